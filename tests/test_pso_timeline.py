"""The PSO timeline: what a supplier must see coming (portal.pso_timeline.timeline)."""

from datetime import date, timedelta

import pytest

from portal.pso import (
    LEAFLET_RULES,
    Certificate,
    Contract,
    Level,
    Rule,
    Status,
    assess,
)
from portal.pso_timeline import EntryKind, TimelineEntry, change_days, timeline

BIG = [Contract(start=date(2019, 1, 1), end=None, annual_value_cents=20_000_000)]
THRESHOLD = 15_000_000


def cert(level, issued_on, valid_until, state="verified", id=None):
    return Certificate(level=Level(level), issued_on=issued_on, valid_until=valid_until,
                       state=state, id=id)


def summary(entries):
    return [(e.date, e.kind, e.assessment.status) for e in entries]


def test_a_certificate_ending_next_year_opens_a_gap_the_day_after():
    held = cert("trede_2", date(2024, 3, 4), date(2026, 3, 3), id=1)
    entries = timeline(LEAFLET_RULES, BIG, [held], date(2025, 6, 1))
    assert summary(entries) == [
        (date(2025, 6, 1), EntryKind.TODAY, Status.COMPLIANT),
        (date(2026, 1, 1), EntryKind.YEAR, Status.EXPIRING),
        (date(2026, 3, 3), EntryKind.CERTIFICATE_ENDS, Status.EXPIRING),
        (date(2026, 3, 4), EntryKind.GAP, Status.NON_COMPLIANT),
        (date(2027, 1, 1), EntryKind.YEAR, Status.NON_COMPLIANT),
    ]
    ends, gap = entries[2], entries[3]
    assert ends.certificate == held
    assert gap.certificate == held  # the certificate used until the gap
    assert gap.assessment.required_level == Level.TREDE_2
    assert all(isinstance(e, TimelineEntry) for e in entries)
    assert all(e.assessment.day == e.date for e in entries)


def test_the_year_entries_carry_each_years_sum_and_level():
    contracts = [Contract(date(2020, 1, 1), date(2025, 12, 31), 10_000_000),
                 Contract(date(2026, 1, 1), date(2026, 12, 31), 20_000_000),
                 Contract(date(2027, 1, 1), None, 14_999_999)]
    entries = timeline(LEAFLET_RULES, contracts, [], date(2025, 6, 1))
    years = [(e.date, e.assessment.obligation.annual_sum_cents, e.assessment.required_level)
             for e in entries if e.kind in (EntryKind.TODAY, EntryKind.YEAR)]
    assert years == [(date(2025, 6, 1), 10_000_000, None),
                     (date(2026, 1, 1), 20_000_000, Level.TREDE_2),
                     (date(2027, 1, 1), 14_999_999, None)]
    # without a certificate, the year that crosses the threshold opens a gap on 1 January
    gaps = [e.date for e in entries if e.kind == EntryKind.GAP]
    assert gaps == [date(2026, 1, 1)]


def test_no_gap_entry_when_it_is_non_compliant_today():
    entries = timeline(LEAFLET_RULES, BIG, [], date(2025, 6, 1))
    assert [e.kind for e in entries] == [EntryKind.TODAY, EntryKind.YEAR, EntryKind.YEAR]
    assert {e.assessment.status for e in entries} == {Status.NON_COMPLIANT}


def test_a_renewal_in_place_leaves_no_gap():
    old = cert("trede_2", date(2024, 3, 4), date(2026, 3, 3), id=1)
    new = cert("trede_2", date(2026, 3, 4), date(2028, 3, 3), id=2)
    entries = timeline(LEAFLET_RULES, BIG, [old, new], date(2025, 6, 1))
    assert summary(entries) == [
        (date(2025, 6, 1), EntryKind.TODAY, Status.COMPLIANT),
        (date(2026, 1, 1), EntryKind.YEAR, Status.COMPLIANT),
        (date(2026, 3, 3), EntryKind.CERTIFICATE_ENDS, Status.COMPLIANT),
        (date(2027, 1, 1), EntryKind.YEAR, Status.COMPLIANT),
    ]


def test_a_gap_after_the_renewal_ends_is_shown():
    old = cert("trede_2", date(2024, 3, 4), date(2026, 3, 3), id=1)
    new = cert("trede_2", date(2026, 3, 4), date(2027, 5, 31), id=2)
    entries = timeline(LEAFLET_RULES, BIG, [old, new], date(2025, 6, 1))
    gaps = [e for e in entries if e.kind == EntryKind.GAP]
    assert [g.date for g in gaps] == [date(2027, 6, 1)]
    assert gaps[0].certificate == new


def test_every_gap_in_the_window_is_shown():
    first = cert("trede_2", date(2024, 1, 1), date(2025, 8, 31), id=1)
    second = cert("trede_3", date(2026, 2, 1), date(2027, 1, 31), id=2)
    entries = timeline(LEAFLET_RULES, BIG, [first, second], date(2025, 6, 1))
    assert [e.date for e in entries if e.kind == EntryKind.GAP] == [
        date(2025, 9, 1), date(2027, 2, 1)]


def test_the_2021_to_2022_switch():
    trede_1 = cert("trede_1", date(2020, 10, 1), date(2022, 9, 30), id=1)
    entries = timeline(LEAFLET_RULES, BIG, [trede_1], date(2021, 6, 1))
    assert summary(entries) == [
        (date(2021, 6, 1), EntryKind.TODAY, Status.COMPLIANT),
        (date(2022, 1, 1), EntryKind.YEAR, Status.NON_COMPLIANT),
        (date(2022, 1, 1), EntryKind.RULE_CHANGE, Status.NON_COMPLIANT),
        (date(2022, 1, 1), EntryKind.GAP, Status.NON_COMPLIANT),
        (date(2022, 9, 30), EntryKind.CERTIFICATE_ENDS, Status.NON_COMPLIANT),
        (date(2023, 1, 1), EntryKind.YEAR, Status.NON_COMPLIANT),
    ]
    change = entries[2]
    assert change.assessment.obligation.rule == LEAFLET_RULES[1]
    assert entries[0].assessment.required_level == Level.TREDE_1


def test_before_2021_the_first_rule_is_announced():
    entries = timeline(LEAFLET_RULES, BIG, [], date(2020, 6, 1), years=2)
    assert summary(entries) == [
        (date(2020, 6, 1), EntryKind.TODAY, Status.NOT_REQUIRED),
        (date(2021, 1, 1), EntryKind.YEAR, Status.NON_COMPLIANT),
        (date(2021, 1, 1), EntryKind.RULE_CHANGE, Status.NON_COMPLIANT),
        (date(2021, 1, 1), EntryKind.GAP, Status.NON_COMPLIANT),
    ]


def test_rule_changes_only_after_today_and_when_the_rule_in_force_changes():
    rules = [Rule(date(2022, 1, 1), THRESHOLD, Level.TREDE_2, id=1),
             Rule(date(2025, 3, 1), THRESHOLD, Level.TREDE_3,
                  effective_until=date(2025, 12, 31), id=2),
             # starts in the window, but a later row wins on all its days: no change
             Rule(date(2026, 5, 1), THRESHOLD, Level.TREDE_1,
                  effective_until=date(2026, 5, 31), id=3),
             Rule(date(2026, 5, 1), THRESHOLD, Level.TREDE_2,
                  effective_until=date(2026, 5, 31), id=4)]
    entries = timeline(rules, BIG, [], date(2025, 3, 1))
    changes = [(e.date, e.assessment.obligation.rule.id) for e in entries
               if e.kind == EntryKind.RULE_CHANGE]
    # 1 March 2025 is today; the temporary rule ends: the 2022 row is in force again
    assert changes == [(date(2026, 1, 1), 1), (date(2026, 5, 1), 4), (date(2026, 6, 1), 1)]


def test_a_rule_that_ends_without_a_successor():
    rules = [Rule(date(2021, 1, 1), THRESHOLD, Level.TREDE_1,
                  effective_until=date(2025, 9, 30))]
    held = cert("trede_1", date(2024, 1, 1), date(2025, 12, 31))
    entries = timeline(rules, BIG, [held], date(2025, 6, 1), years=1)
    assert summary(entries) == [
        (date(2025, 6, 1), EntryKind.TODAY, Status.COMPLIANT),
        (date(2025, 10, 1), EntryKind.RULE_CHANGE, Status.NOT_REQUIRED),
        (date(2025, 12, 31), EntryKind.CERTIFICATE_ENDS, Status.NOT_REQUIRED),
    ]
    assert entries[1].assessment.obligation.rule is None


def test_the_certificate_held_is_shown_even_when_too_low():
    trede_1 = cert("trede_1", date(2024, 1, 1), date(2025, 10, 31))
    entries = timeline(LEAFLET_RULES, BIG, [trede_1], date(2025, 6, 1), years=1)
    assert summary(entries) == [
        (date(2025, 6, 1), EntryKind.TODAY, Status.NON_COMPLIANT),
        (date(2025, 10, 31), EntryKind.CERTIFICATE_ENDS, Status.NON_COMPLIANT),
    ]
    assert entries[1].certificate == trede_1


def test_a_certificate_ending_after_the_window_is_not_an_entry():
    held = cert("trede_2", date(2025, 1, 1), date(2026, 12, 31))
    entries = timeline(LEAFLET_RULES, BIG, [held], date(2025, 6, 1), years=1)
    assert summary(entries) == [(date(2025, 6, 1), EntryKind.TODAY, Status.COMPLIANT)]
    entries = timeline(LEAFLET_RULES, BIG, [held], date(2025, 6, 1), years=2)
    assert (date(2026, 12, 31), EntryKind.CERTIFICATE_ENDS, Status.EXPIRING) in summary(entries)
    assert date(2027, 1, 1) not in [e.date for e in entries]  # the window ends on 31 Dec


def test_a_certificate_ending_today():
    held = cert("trede_2", date(2024, 6, 2), date(2025, 6, 1))
    entries = timeline(LEAFLET_RULES, BIG, [held], date(2025, 6, 1), years=1)
    assert summary(entries) == [
        (date(2025, 6, 1), EntryKind.TODAY, Status.EXPIRING),
        (date(2025, 6, 1), EntryKind.CERTIFICATE_ENDS, Status.EXPIRING),
        (date(2025, 6, 2), EntryKind.GAP, Status.NON_COMPLIANT),
    ]


def test_waiting_for_verification_is_not_a_gap():
    held = cert("trede_2", date(2024, 3, 4), date(2026, 3, 3), id=1)
    upload = cert("trede_2", date(2026, 3, 4), date(2028, 3, 3), state="pending", id=2)
    entries = timeline(LEAFLET_RULES, BIG, [held, upload], date(2025, 6, 1))
    assert EntryKind.GAP not in [e.kind for e in entries]
    assert entries[-1].assessment.status == Status.PENDING


@pytest.mark.parametrize("years", [0, -1])
def test_a_timeline_covers_at_least_this_year(years):
    with pytest.raises(ValueError):
        timeline(LEAFLET_RULES, BIG, [], date(2025, 6, 1), years=years)


def test_entries_are_sorted_and_accept_any_iterable():
    held = cert("trede_2", date(2024, 3, 4), date(2026, 3, 3))
    entries = timeline(iter(LEAFLET_RULES), iter(BIG), iter([held]), date(2025, 6, 1))
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    assert len(entries) == 5


SCENARIOS = {
    "ends next year": [cert("trede_2", date(2024, 3, 4), date(2026, 3, 3))],
    "two gaps": [cert("trede_2", date(2024, 1, 1), date(2025, 8, 31)),
                 cert("pso_30plus", date(2026, 2, 1), date(2027, 1, 31))],
    "pending then verified": [cert("trede_2", date(2024, 1, 1), date(2025, 8, 31)),
                              cert("trede_2", date(2025, 9, 15), date(2026, 9, 14),
                                   state="pending"),
                              cert("trede_3", date(2026, 12, 1), date(2027, 6, 30))],
    "rejected and too low": [cert("trede_3", date(2025, 1, 1), date(2026, 12, 31),
                                  state="rejected"),
                             cert("trede_1", date(2025, 1, 1), date(2026, 12, 31)),
                             cert("trede_2", date(2026, 4, 1), date(2026, 4, 30))],
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_gaps_agree_with_checking_every_day(name):
    certificates = SCENARIOS[name]
    contracts = [Contract(date(2020, 1, 1), date(2025, 12, 31), 20_000_000),
                 Contract(date(2027, 1, 1), None, 20_000_000)]  # a year without obligation
    today = date(2025, 6, 1)
    expected, previous = [], assess(LEAFLET_RULES, contracts, certificates, today).status
    day = today + timedelta(days=1)
    while day <= date(2027, 12, 31):
        status = assess(LEAFLET_RULES, contracts, certificates, day).status
        if status == Status.NON_COMPLIANT and previous != Status.NON_COMPLIANT:
            expected.append(day)
        previous = status
        day += timedelta(days=1)
    entries = timeline(LEAFLET_RULES, contracts, certificates, today)
    assert expected  # each scenario has at least one gap
    assert [e.date for e in entries if e.kind == EntryKind.GAP] == expected


def test_change_days():
    rules = [Rule(date(2021, 1, 1), THRESHOLD, Level.TREDE_1, effective_until=date(2025, 7, 31))]
    certificates = [cert("trede_1", date(2025, 3, 1), date(2026, 2, 27), state="pending")]
    assert change_days(rules, certificates, date(2025, 6, 1), date(2026, 12, 31)) == [
        date(2025, 8, 1), date(2026, 1, 1), date(2026, 2, 28)]
