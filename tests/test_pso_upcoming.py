"""The coming obligation: the first day within a year on which a supplier's status changes
(portal.pso_timeline.next_change). Pure: no app, no database."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.pso import LEAFLET_RULES, Certificate, Contract, Level, Rule, Status, assess
from portal.pso_timeline import UPCOMING_DAYS, next_change, unmet_new_requirement

TODAY = date(2026, 11, 28)


def cert(level, issued_on, valid_until, state="verified", id=None):
    return Certificate(level=Level(level), issued_on=issued_on, valid_until=valid_until,
                       state=state, id=id)


def test_a_contract_for_next_year_over_the_threshold_is_coming():
    """Below EUR 150,000 now; a contract starting 1 January lifts the supplier over it."""
    contracts = [Contract(date(2026, 1, 1), date(2026, 12, 31), 10_000_000),
                 Contract(date(2027, 1, 1), None, 20_000_000)]
    assert assess(LEAFLET_RULES, contracts, [], TODAY).status == Status.NOT_REQUIRED
    change = next_change(LEAFLET_RULES, contracts, [], TODAY)
    assert (change.on, change.status, change.required_level) == (
        date(2027, 1, 1), Status.NON_COMPLIANT, Level.TREDE_2)


def test_a_certificate_ending_becomes_expiring_ninety_days_before():
    contracts = [Contract(date(2020, 1, 1), None, 20_000_000)]
    held = cert("trede_2", date(2025, 6, 1), date(2027, 5, 31))
    change = next_change(LEAFLET_RULES, contracts, [held], TODAY)
    assert (change.on, change.status) == (date(2027, 5, 31) - timedelta(days=90),
                                          Status.EXPIRING)


def test_nothing_coming_within_a_year_is_none():
    contracts = [Contract(date(2020, 1, 1), None, 20_000_000)]
    held = cert("trede_3", date(2026, 6, 1), date(2028, 5, 31))
    assert next_change(LEAFLET_RULES, contracts, [held], TODAY) is None
    assert next_change(LEAFLET_RULES, [], [], TODAY) is None


def test_a_change_a_day_past_the_window_is_not_coming():
    contracts = [Contract(date(2020, 1, 1), None, 20_000_000)]
    held = cert("trede_2", date(2026, 1, 1), TODAY + timedelta(days=UPCOMING_DAYS + 91))
    assert next_change(LEAFLET_RULES, contracts, [held], TODAY) is None
    shorter = cert("trede_2", date(2026, 1, 1), TODAY + timedelta(days=UPCOMING_DAYS + 90))
    change = next_change(LEAFLET_RULES, contracts, [shorter], TODAY)
    assert change.on == TODAY + timedelta(days=UPCOMING_DAYS)


def coming(rules, contracts, certificates, today=TODAY):
    now = assess(rules, contracts, certificates, today)
    return unmet_new_requirement(now, next_change(rules, contracts, certificates, today))


def test_a_first_requirement_not_met_from_its_first_day_is_a_new_requirement():
    contracts = [Contract(date(2026, 1, 1), date(2026, 12, 31), 10_000_000),
                 Contract(date(2027, 1, 1), None, 20_000_000)]
    assert coming(LEAFLET_RULES, contracts, [])


def test_a_higher_level_than_the_one_held_is_a_new_requirement():
    """The leaflet: trede 1 in 2021, trede 2 from 2022, a supplier holding trede 1."""
    contracts = [Contract(date(2020, 1, 1), None, 20_000_000)]
    held = cert("trede_1", date(2021, 1, 1), date(2022, 12, 31))
    assert coming(LEAFLET_RULES, contracts, [held], date(2021, 11, 1))


def test_what_is_met_or_awaits_verification_or_only_ends_is_no_new_requirement():
    contracts = [Contract(date(2026, 1, 1), date(2026, 12, 31), 10_000_000),
                 Contract(date(2027, 1, 1), None, 20_000_000)]
    held = cert("trede_2", date(2026, 6, 1), date(2028, 5, 31))
    upload = cert("trede_2", date(2026, 12, 1), date(2028, 11, 30), state="pending")
    assert not coming(LEAFLET_RULES, contracts, [held])
    assert not coming(LEAFLET_RULES, contracts, [upload])
    # The same level as today, only the certificate ends: the expiry reminders' business.
    always = [Contract(date(2020, 1, 1), None, 20_000_000)]
    ending = cert("trede_2", date(2025, 6, 1), date(2027, 1, 31))
    today = date(2027, 1, 1)
    assert next_change(LEAFLET_RULES, always, [ending], today).status == Status.NON_COMPLIANT
    assert not coming(LEAFLET_RULES, always, [ending], today)
    assert not unmet_new_requirement(assess(LEAFLET_RULES, always, [], TODAY), None)


days = st.integers(min_value=-800, max_value=800).map(lambda n: TODAY + timedelta(days=n))
levels = st.sampled_from(list(Level))


@st.composite
def suppliers(draw):
    rules = list(LEAFLET_RULES)
    if draw(st.booleans()):
        rules.append(Rule(draw(days), draw(st.sampled_from([10_000_000, 15_000_000])),
                          draw(levels), id=99))
    contracts = [Contract(start, start + timedelta(days=draw(st.integers(0, 900)))
                          if draw(st.booleans()) else None,
                          draw(st.sampled_from([5_000_000, 10_000_000, 20_000_000])))
                 for start in draw(st.lists(days, max_size=3))]
    certificates = []
    for n, start in enumerate(draw(st.lists(days, max_size=3))):
        certificates.append(cert(draw(levels), start,
                                 start + timedelta(days=draw(st.integers(0, 730))),
                                 draw(st.sampled_from(["verified", "pending", "rejected"])),
                                 id=n + 1))
    return rules, contracts, certificates


@settings(max_examples=60, deadline=None, derandomize=True)
@given(suppliers())
def test_the_first_change_is_the_one_a_day_by_day_walk_finds(supplier):
    """Checking only the days a status can change on finds what checking every day finds."""
    rules, contracts, certificates = supplier
    now = assess(rules, contracts, certificates, TODAY).status
    walked = next(((TODAY + timedelta(days=n), a.status) for n in range(1, UPCOMING_DAYS + 1)
                   if (a := assess(rules, contracts, certificates,
                                   TODAY + timedelta(days=n))).status != now), None)
    change = next_change(rules, contracts, certificates, TODAY)
    assert (None if change is None else (change.on, change.status)) == walked
