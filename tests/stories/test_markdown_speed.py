"""Rendering time grows in step with the length of a story body, whatever the body holds.

A story is rendered when it is saved and on every keystroke of the live preview, so a body
that makes the renderer slow would tie up a server worker. Every hard case in
`markdown_inputs.CASES` (deep nesting, unclosed constructs, long runs of one delimiter, ...)
must render at the length limit within BAR, and twice the text may cost at most about twice
the time (a quadratic renderer costs four times as much). `bench/markdown.py` prints the
figures behind these tests.
"""

import gc
import time

import pytest

from portal.markdown import MAX_SOURCE_LENGTH, render
from tests.stories.markdown_inputs import CASES

BAR = 0.250  # seconds, in-process, for any body up to the length limit
MAX_RATIO = 2.8  # time at the limit / time at half of it; linear is 2, quadratic 4
NOISE_FLOOR = 0.010  # below this, fixed costs and timer noise decide the ratio


@pytest.fixture(autouse=True, scope="module")
def settled_heap():
    """Time the renderer, not the test run: earlier tests in the same process leave many
    objects behind, and a collection of those landing inside a timing says nothing about
    rendering. They are collected once and set aside (gc.freeze) while this module runs."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


def timed(source: str) -> float:
    start = time.perf_counter()
    render(source)
    return time.perf_counter() - start


@pytest.mark.parametrize("name", list(CASES))
def test_every_hard_case_renders_in_time_linear_in_its_length(name):
    make = CASES[name]
    full, half = make(MAX_SOURCE_LENGTH), make(MAX_SOURCE_LENGTH // 2)
    render(make(100))
    best_full, best_half = timed(full), timed(half)
    for _ in range(6):  # more runs only when the first do not clearly pass (noise)
        if best_full < BAR / 2 and (best_full < NOISE_FLOOR
                                    or best_full / best_half < MAX_RATIO - 0.5):
            break
        best_full, best_half = min(best_full, timed(full)), min(best_half, timed(half))
    assert best_full < BAR, f"{best_full * 1000:.0f} ms at {MAX_SOURCE_LENGTH:,} characters"
    if best_full >= NOISE_FLOOR:
        assert best_full / best_half < MAX_RATIO, (
            f"{best_half * 1000:.1f} ms at {len(half):,}, {best_full * 1000:.1f} ms at "
            f"{len(full):,} characters")


def test_the_cases_are_what_they_say():
    """Each case makes exactly the length asked for, and a normal story is among them."""
    for name, make in CASES.items():
        assert len(make(MAX_SOURCE_LENGTH)) == MAX_SOURCE_LENGTH, name
        assert len(make(777)) == 777, name
    assert "<h2>" in render(CASES["normal story"](2000))
    assert len(CASES) >= 60
