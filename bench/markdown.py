"""Benchmark (not a test) of the story renderer on hostile input: does time grow with length?

    .venv/bin/python bench/markdown.py [--sizes 2500,5000,10000,20000] [--repeat 3]
                                       [--timeout 60] [--cap 10] [--case TEXT]

Renders every case of `tests/stories/markdown_inputs.py` (deep nesting, unclosed constructs,
long runs of one delimiter, many references, wide tables, a normal story ...) with
`portal.markdown.render`, in-process, at each size, best of `--repeat` runs. Prints per case
the time at each size, the growth ratio between the two largest sizes (about 2 when rendering
is linear, about 4 when it is quadratic) and, at the end, the slowest case at the largest
size and the largest ratio. Each case runs in a process of its own that is stopped after
`--timeout` seconds; a case stops growing once one run takes longer than `--cap` seconds.
Exits 1 when a case takes over 250 ms at the largest size (or was stopped, or failed).
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Run as a script, this folder comes first on sys.path, and this file's name would hide
# the Markdown package of the same name.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from tests.stories.markdown_inputs import CASES  # noqa: E402

BAR_SECONDS = 0.250


def child(name: str, sizes: list[int], repeat: int, cap: float) -> None:
    """Time one case at growing sizes; print `size seconds` per line as soon as known."""
    from portal.markdown import render

    make = CASES[name]
    render(make(100))  # imports and first-use set-up are not the case's cost
    for size in sizes:
        source = make(size)
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            render(source)
            best = min(best, time.perf_counter() - start)
            if best > cap:
                break
        print(size, best, flush=True)
        if best > cap:
            return


def measure(name: str, args) -> tuple[dict[int, float], str]:
    """The case's best time per size, and how it ended when it did not finish: "stopped"
    (timeout) or the last line of its error."""
    command = [sys.executable, __file__, "--child", name, "--sizes",
               ",".join(map(str, args.sizes)), "--repeat", str(args.repeat),
               "--cap", str(args.cap)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE,  # noqa: S603
                               stderr=subprocess.PIPE, text=True)
    try:
        out, err = process.communicate(timeout=args.timeout)
        ended = "" if process.returncode == 0 else (err.strip().splitlines() or ["?"])[-1]
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        ended = "stopped"
    times = {}
    for line in out.splitlines():
        size, seconds = line.split()
        times[int(size)] = float(seconds)
    return times, ended


def cell(times: dict[int, float], ended: str, size: int, args) -> str:
    if size in times:
        seconds = times[size]
        return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"
    done = [s for s in args.sizes if s in times]
    if done and times[done[-1]] > args.cap:
        return "(skipped)"
    if ended == "stopped":
        return f"> {args.timeout:g} s (stopped)"
    return f"failed: {ended.split(':')[0]}"


def ratio(times: dict[int, float], sizes: list[int]) -> float | None:
    small, large = sizes[-2], sizes[-1]
    if small in times and large in times and times[small] > 0:
        return times[large] / times[small]
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,5000,10000,20000",
                        help="comma-separated lengths in characters, ascending")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the best counts")
    parser.add_argument("--timeout", type=float, default=60,
                        help="seconds after which a case's process is stopped")
    parser.add_argument("--cap", type=float, default=10,
                        help="a case stops growing once one run takes longer (seconds)")
    parser.add_argument("--case", default="", help="only the cases whose name contains this")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        child(args.child, args.sizes, args.repeat, args.cap)
        return 0

    names = [name for name in CASES if args.case in name]
    small, large = args.sizes[-2], args.sizes[-1]
    print(f"best of {args.repeat} runs per size; ratio = time at {large:,} / time at "
          f"{small:,} characters\n")
    print("| case | " + " | ".join(f"{s:,}" for s in args.sizes) + " | ratio |")
    print("|---" * (len(args.sizes) + 2) + "|")
    results, endings = {}, {}
    started = time.perf_counter()
    for name in names:
        times, ended = results[name], endings[name] = measure(name, args)
        growth = ratio(times, args.sizes)
        print(f"| {name} | " + " | ".join(cell(times, ended, s, args) for s in args.sizes)
              + f" | {'-' if growth is None else f'{growth:.2f}'} |", flush=True)

    slow = [name for name, times in results.items() if times.get(large, float("inf"))
            > BAR_SECONDS]
    worst = max(results, key=lambda name: results[name].get(large, float("inf")))
    ratios = {name: r for name in results if (r := ratio(results[name], args.sizes))}
    print(f"\n{len(names)} cases in {time.perf_counter() - started:.0f} s.")
    print(f"Slowest at {large:,}: {worst}, {cell(results[worst], endings[worst], large, args)}.")
    if ratios:
        steepest = max(ratios, key=ratios.get)
        print(f"Largest ratio: {steepest}, {ratios[steepest]:.2f}.")
    if slow:
        print(f"\nFAIL: {len(slow)} cases over {BAR_SECONDS * 1000:.0f} ms at {large:,}: "
              + ", ".join(slow))
        return 1
    print(f"\nOK: every case under {BAR_SECONDS * 1000:.0f} ms at {large:,} characters.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
