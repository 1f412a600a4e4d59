"""Domain rules in portal.pso, without a database or a request."""

from datetime import date, timedelta

import pytest

from portal import pso
from portal.pso import (
    ENDS_BEFORE_START,
    EXPIRY_WARNING_DAYS,
    LEAFLET_RULES,
    LEVELS,
    LONGER_THAN_TWO_YEARS,
    Assessment,
    Certificate,
    Contract,
    Level,
    Obligation,
    Rule,
    Status,
    add_years,
    annual_contract_sum,
    assess,
    covered_until,
    latest_valid_until,
    meets,
    normalise_kvk,
    obligation_on,
    rule_on,
    validity_problem,
)


@pytest.mark.parametrize("value, expected", [
    ("14012345", "14012345"),
    ("1401 2345", "14012345"),
    ("14.01.23.45", "14012345"),
    ("4012345", "04012345"),  # a spreadsheet dropped the leading zero
    (" 04012345 ", "04012345"),
])
def test_valid_kvk_numbers(value, expected):
    assert normalise_kvk(value) == expected


@pytest.mark.parametrize("value", ["", "123456", "140123456", "1401234a", "NL14012345",
                                   "-4012345", "١٤٠١٢٣٤٥"])
def test_invalid_kvk_numbers(value):
    assert normalise_kvk(value) is None


# --- The engine of the PSO obligation --------------------------------------------------------
# Dates are chosen around the leaflet's rules: trede 1 from 2021, trede 2 from 2022, both from
# an annual contract sum of EUR 150,000.00.

THRESHOLD = 15_000_000
BIG = [Contract(start=date(2019, 1, 1), end=None, annual_value_cents=20_000_000, reference="A")]
TREDES = [Level.TREDE_1, Level.TREDE_2, Level.TREDE_3, Level.PSO_30PLUS]


def cert(level, issued_on, valid_until, state="verified", id=None):
    return Certificate(level=Level(level), issued_on=issued_on, valid_until=valid_until,
                       state=state, number=f"PSO-{id}", id=id)


def contract(start, end, euros=200_000):
    return Contract(start=start, end=end, annual_value_cents=euros * 100)


# Levels


def test_levels_in_order_with_the_stored_values():
    assert [level.value for level in LEVELS] == [
        "aspirant", "basistrede", "trede_1", "trede_2", "trede_3", "pso_30plus"]
    assert Level("trede_2") is Level.TREDE_2
    assert Level.TREDE_2 == "trede_2"


@pytest.mark.parametrize("held, required, expected", [
    ("trede_1", "trede_1", True),
    ("trede_2", "trede_1", True),
    ("trede_3", "trede_1", True),
    ("trede_1", "trede_2", False),
    ("trede_2", "trede_2", True),
    ("trede_3", "trede_2", True),
    ("trede_2", "trede_3", False),
    ("trede_3", "trede_3", True),
    ("trede_3", "pso_30plus", False),  # 30+ is a mark on top of trede 3
    ("pso_30plus", "pso_30plus", True),
    ("basistrede", "basistrede", True),
    ("trede_1", "basistrede", True),
    ("aspirant", "basistrede", False),
    ("aspirant", "aspirant", True),
    ("basistrede", "aspirant", True),
])
def test_meets(held, required, expected):
    assert meets(Level(held), Level(required)) is expected
    assert meets(held, required) is expected  # the stored strings work as well


@pytest.mark.parametrize("held", [Level.ASPIRANT, Level.BASISTREDE])
@pytest.mark.parametrize("required", TREDES)
def test_aspirant_and_basistrede_never_meet_a_trede(held, required):
    assert not meets(held, required)


@pytest.mark.parametrize("required", LEVELS)
def test_pso_30plus_meets_every_requirement(required):
    assert meets(Level.PSO_30PLUS, required)


def test_meets_refuses_an_unknown_level():
    with pytest.raises(ValueError):
        meets("trede_4", Level.TREDE_1)


# Certificate validity


@pytest.mark.parametrize("issued_on, valid_until, expected", [
    (date(2024, 3, 1), date(2024, 3, 1), None),  # one day
    (date(2024, 3, 1), date(2024, 2, 29), ENDS_BEFORE_START),
    (date(2024, 3, 1), date(2023, 3, 1), ENDS_BEFORE_START),
    (date(2024, 3, 1), date(2025, 3, 1), None),
    (date(2024, 3, 1), date(2026, 2, 28), None),
    (date(2024, 3, 1), date(2026, 3, 1), None),  # the same calendar day two years on
    (date(2024, 3, 1), date(2026, 3, 2), LONGER_THAN_TWO_YEARS),
    (date(2024, 3, 1), date(2034, 3, 1), LONGER_THAN_TWO_YEARS),
    (date(2024, 2, 29), date(2026, 2, 28), None),  # leap day: 28 February two years on
    (date(2024, 2, 29), date(2026, 3, 1), LONGER_THAN_TWO_YEARS),
    (date(2023, 2, 28), date(2025, 2, 28), None),
    (date(2023, 2, 28), date(2025, 3, 1), LONGER_THAN_TWO_YEARS),
    (date(2022, 2, 28), date(2024, 2, 28), None),
    (date(2022, 2, 28), date(2024, 2, 29), LONGER_THAN_TWO_YEARS),
    (date(2023, 12, 31), date(2025, 12, 31), None),
    (date(2023, 12, 31), date(2026, 1, 1), LONGER_THAN_TWO_YEARS),
])
def test_validity_problem(issued_on, valid_until, expected):
    assert validity_problem(issued_on, valid_until) == expected


@pytest.mark.parametrize("day, years, expected", [
    (date(2024, 5, 17), 2, date(2026, 5, 17)),
    (date(2024, 2, 29), 2, date(2026, 2, 28)),
    (date(2024, 2, 29), 4, date(2028, 2, 29)),
    (date(2024, 2, 29), -1, date(2023, 2, 28)),
])
def test_add_years(day, years, expected):
    assert add_years(day, years) == expected


def test_latest_valid_until_is_two_years_on():
    assert latest_valid_until(date(2025, 7, 1)) == date(2027, 7, 1)


# Dataclasses


def test_levels_given_as_strings_become_levels():
    assert Certificate("trede_2", date(2024, 1, 1), date(2025, 1, 1), "pending").level \
        is Level.TREDE_2
    assert Rule(date(2021, 1, 1), THRESHOLD, "trede_1").required_level is Level.TREDE_1


@pytest.mark.parametrize("state", ["", "approved", "Verified"])
def test_certificate_refuses_an_unknown_state(state):
    with pytest.raises(ValueError):
        Certificate(Level.TREDE_1, date(2024, 1, 1), date(2025, 1, 1), state)


def test_certificate_refuses_an_unknown_level():
    with pytest.raises(ValueError):
        Certificate("trede_9", date(2024, 1, 1), date(2025, 1, 1), "verified")


def test_leaflet_rules():
    trede_1, trede_2 = LEAFLET_RULES
    assert trede_1 == Rule(date(2021, 1, 1), 15_000_000, Level.TREDE_1)
    assert trede_2 == Rule(date(2022, 1, 1), 15_000_000, Level.TREDE_2)
    assert all(rule.effective_until is None for rule in LEAFLET_RULES)


# Annual contract sum


@pytest.mark.parametrize("start, end, counts_in_2023", [
    (date(2023, 1, 1), date(2023, 12, 31), True),
    (date(2023, 7, 1), None, True),  # starts mid-year: the full annual value
    (date(2023, 7, 1), date(2023, 9, 30), True),  # a few months only: still the full value
    (date(2020, 1, 1), date(2023, 6, 30), True),  # ends mid-year
    (date(2020, 1, 1), date(2023, 1, 1), True),  # ends on the first day of the year
    (date(2023, 12, 31), None, True),  # starts on the last day of the year
    (date(2020, 1, 1), None, True),
    (date(2020, 1, 1), date(2022, 12, 31), False),  # ended on 31 Dec of the year before
    (date(2024, 1, 1), None, False),  # starts on 1 Jan of the next year
    (date(2024, 1, 1), date(2024, 12, 31), False),
])
def test_which_contracts_count_in_a_year(start, end, counts_in_2023):
    other = contract(date(2023, 1, 1), None, euros=1_000)
    total = annual_contract_sum([other, contract(start, end, euros=200_000)], 2023)
    assert total == (20_100_000 if counts_in_2023 else 100_000)


def test_annual_sum_adds_the_contracts_of_the_year():
    contracts = [contract(date(2022, 3, 1), date(2023, 2, 28), euros=100_000),
                 contract(date(2023, 5, 1), None, euros=60_000),
                 contract(date(2024, 1, 1), None, euros=1_000_000)]
    assert annual_contract_sum(contracts, 2021) == 0
    assert annual_contract_sum(contracts, 2022) == 10_000_000
    assert annual_contract_sum(contracts, 2023) == 16_000_000
    assert annual_contract_sum(contracts, 2024) == 106_000_000
    assert annual_contract_sum([], 2023) == 0
    assert annual_contract_sum(iter(contracts), 2023) == 16_000_000  # any iterable


# Rules in force


@pytest.mark.parametrize("day, expected", [
    (date(2000, 1, 1), None),
    (date(2020, 12, 31), None),
    (date(2021, 1, 1), Level.TREDE_1),
    (date(2021, 12, 31), Level.TREDE_1),
    (date(2022, 1, 1), Level.TREDE_2),
    (date(2030, 6, 1), Level.TREDE_2),
])
def test_rule_on_the_leaflet(day, expected):
    rule = rule_on(LEAFLET_RULES, day)
    assert (rule.required_level if rule else None) == expected
    assert rule_on(list(reversed(LEAFLET_RULES)), day) == rule  # the order of rows is no matter


def test_a_rule_ends_on_its_last_day_and_an_older_one_resumes():
    base = Rule(date(2022, 1, 1), THRESHOLD, Level.TREDE_2, id=2)
    temporary = Rule(date(2023, 1, 1), THRESHOLD, Level.TREDE_3,
                     effective_until=date(2023, 6, 30), id=3)
    rules = [base, temporary]
    assert rule_on(rules, date(2022, 12, 31)) == base
    assert rule_on(rules, date(2023, 1, 1)) == temporary
    assert rule_on(rules, date(2023, 6, 30)) == temporary
    assert rule_on(rules, date(2023, 7, 1)) == base


def test_no_rule_after_the_last_one_ended():
    only = Rule(date(2021, 1, 1), THRESHOLD, Level.TREDE_1, effective_until=date(2021, 12, 31))
    assert rule_on([only], date(2021, 12, 31)) == only
    assert rule_on([only], date(2022, 1, 1)) is None


def test_on_the_same_date_the_newest_row_wins():
    older = Rule(date(2024, 1, 1), THRESHOLD, Level.TREDE_2, id=7)
    newer = Rule(date(2024, 1, 1), 10_000_000, Level.TREDE_3, id=8)
    assert rule_on([newer, older], date(2024, 5, 1)) == newer
    assert rule_on([older, newer], date(2024, 5, 1)) == newer


# Obligation


@pytest.mark.parametrize("cents, in_scope", [
    (15_000_000, True),  # exactly EUR 150,000.00: "minimaal"
    (14_999_999, False),  # EUR 149,999.99
    (15_000_001, True),
    (0, False),
])
def test_threshold(cents, in_scope):
    contracts = [Contract(date(2023, 1, 1), None, cents)]
    obligation = obligation_on(LEAFLET_RULES, contracts, date(2023, 6, 1))
    assert obligation.annual_sum_cents == cents
    assert obligation.rule == LEAFLET_RULES[1]
    assert obligation.required_level == (Level.TREDE_2 if in_scope else None)
    assert obligation.required is in_scope


def test_threshold_reached_by_two_contracts_together():
    contracts = [Contract(date(2023, 1, 1), None, 10_000_000),
                 Contract(date(2023, 9, 1), date(2023, 10, 1), 5_000_000)]
    assert obligation_on(LEAFLET_RULES, contracts, date(2023, 2, 1)).required_level \
        == Level.TREDE_2


@pytest.mark.parametrize("day, expected", [
    (date(2019, 6, 1), None),
    (date(2020, 12, 31), None),  # before 2021 nothing is required, however large the sum
    (date(2021, 1, 1), Level.TREDE_1),
    (date(2021, 12, 31), Level.TREDE_1),
    (date(2022, 1, 1), Level.TREDE_2),
    (date(2026, 3, 15), Level.TREDE_2),
])
def test_required_level_over_time(day, expected):
    obligation = obligation_on(LEAFLET_RULES, BIG, day)
    assert obligation == Obligation(day=day, rule=rule_on(LEAFLET_RULES, day),
                                    annual_sum_cents=20_000_000, required_level=expected)


def test_the_sum_is_that_of_the_days_year():
    contracts = [contract(date(2021, 1, 1), date(2022, 12, 31))]
    assert obligation_on(LEAFLET_RULES, contracts, date(2022, 12, 31)).required_level \
        == Level.TREDE_2
    later = obligation_on(LEAFLET_RULES, contracts, date(2023, 1, 1))
    assert later.annual_sum_cents == 0
    assert later.required_level is None


# Status


def status_on(certificates, day, contracts=BIG, rules=LEAFLET_RULES):
    return assess(rules, contracts, certificates, day)


def test_not_required_below_the_threshold_but_the_certificate_held_is_reported():
    held = cert("trede_1", date(2023, 1, 1), date(2024, 12, 31), id=1)
    small = [contract(date(2020, 1, 1), None, euros=149_999)]
    result = status_on([held], date(2023, 6, 1), contracts=small)
    assert result == Assessment(Status.NOT_REQUIRED, result.obligation, None, None, None, held)
    assert result.required_level is None
    assert result.days_left is None


def test_not_required_before_2021():
    result = status_on([], date(2020, 12, 31))
    assert result.status == Status.NOT_REQUIRED
    assert result.obligation.rule is None
    assert result.best_held is None


def test_compliant_with_the_required_level():
    held = cert("trede_2", date(2023, 1, 1), date(2024, 12, 31), id=1)
    result = status_on([held], date(2023, 6, 1))
    assert result.status == Status.COMPLIANT
    assert result.certificate == held
    assert result.best_held == held
    assert result.expires_on == date(2024, 12, 31)
    assert result.pending is None
    assert result.renewal is None
    assert result.day == date(2023, 6, 1)
    assert result.required_level == Level.TREDE_2


@pytest.mark.parametrize("day, status", [
    (date(2023, 12, 31), Status.NON_COMPLIANT),  # the day before it starts
    (date(2024, 1, 1), Status.EXPIRING),  # its first day
    (date(2024, 3, 31), Status.EXPIRING),  # its last day: still valid
    (date(2024, 4, 1), Status.NON_COMPLIANT),  # the day after
])
def test_a_certificate_is_valid_from_its_first_through_its_last_day(day, status):
    held = cert("trede_2", date(2024, 1, 1), date(2024, 3, 31))
    assert status_on([held], day).status == status


def test_the_2021_certificate_no_longer_suffices_in_2022():
    trede_1 = cert("trede_1", date(2021, 1, 1), date(2022, 12, 31), id=1)
    last_day = status_on([trede_1], date(2021, 12, 31))
    assert last_day.status == Status.COMPLIANT
    assert last_day.required_level == Level.TREDE_1
    first_day = status_on([trede_1], date(2022, 1, 1))
    assert first_day.status == Status.NON_COMPLIANT
    assert first_day.required_level == Level.TREDE_2
    assert first_day.certificate is None
    assert first_day.best_held == trede_1  # "you hold trede 1, trede 2 is required"


@pytest.mark.parametrize("level, day, status", [
    ("aspirant", date(2021, 6, 1), Status.NON_COMPLIANT),
    ("basistrede", date(2021, 6, 1), Status.NON_COMPLIANT),
    ("aspirant", date(2023, 6, 1), Status.NON_COMPLIANT),
    ("basistrede", date(2023, 6, 1), Status.NON_COMPLIANT),
    ("trede_1", date(2021, 6, 1), Status.COMPLIANT),
    ("trede_1", date(2023, 6, 1), Status.NON_COMPLIANT),
    ("trede_2", date(2021, 6, 1), Status.COMPLIANT),
    ("trede_2", date(2023, 6, 1), Status.COMPLIANT),
    ("trede_3", date(2023, 6, 1), Status.COMPLIANT),
    ("pso_30plus", date(2021, 6, 1), Status.COMPLIANT),
    ("pso_30plus", date(2023, 6, 1), Status.COMPLIANT),
])
def test_levels_against_the_leaflet_rules(level, day, status):
    held = cert(level, day - timedelta(days=100), day + timedelta(days=200))
    result = status_on([held], day)
    assert result.status == status
    assert result.best_held == held
    assert result.certificate == (held if status == Status.COMPLIANT else None)


def test_a_pending_upload_that_would_comply():
    upload = cert("trede_2", date(2023, 1, 1), date(2024, 12, 31), state="pending", id=5)
    result = status_on([upload], date(2023, 6, 1))
    assert result.status == Status.PENDING
    assert result.pending == upload
    assert result.certificate is None
    assert result.best_held is None
    assert result.expires_on is None


def test_a_pending_upload_of_a_too_low_level_is_non_compliant():
    held = cert("trede_1", date(2023, 1, 1), date(2024, 12, 31), id=1)
    upload = cert("basistrede", date(2023, 1, 1), date(2024, 12, 31), state="pending", id=2)
    result = status_on([held, upload], date(2023, 6, 1))
    assert result.status == Status.NON_COMPLIANT
    assert result.pending is None
    assert result.best_held == held


def test_a_pending_upload_not_yet_valid_is_non_compliant():
    upload = cert("trede_2", date(2023, 7, 1), date(2024, 12, 31), state="pending")
    assert status_on([upload], date(2023, 6, 30)).status == Status.NON_COMPLIANT
    assert status_on([upload], date(2023, 7, 1)).status == Status.PENDING


@pytest.mark.parametrize("valid_until, status", [
    (date(2024, 12, 31), Status.COMPLIANT),
    (date(2023, 7, 1), Status.EXPIRING),
])
def test_a_pending_upload_never_lowers_the_status(valid_until, status):
    held = cert("trede_2", date(2023, 1, 1), valid_until, id=1)
    upload = cert("trede_3", date(2023, 5, 1), date(2025, 4, 30), state="pending", id=2)
    result = status_on([held, upload], date(2023, 6, 1))
    assert result.status == status
    assert result.certificate == held


def test_rejected_certificates_never_count():
    rejected = cert("pso_30plus", date(2023, 1, 1), date(2024, 12, 31), state="rejected")
    result = status_on([rejected], date(2023, 6, 1))
    assert result.status == Status.NON_COMPLIANT
    assert (result.certificate, result.pending, result.best_held) == (None, None, None)
    not_needed = status_on([rejected], date(2023, 6, 1), contracts=[])
    assert not_needed.best_held is None


def test_rejected_does_not_hide_a_verified_one():
    rejected = cert("trede_3", date(2023, 1, 1), date(2024, 12, 31), state="rejected", id=2)
    verified = cert("trede_2", date(2023, 1, 1), date(2024, 12, 31), id=1)
    result = status_on([rejected, verified], date(2023, 6, 1))
    assert result.status == Status.COMPLIANT
    assert result.certificate == verified
    assert result.best_held == verified


@pytest.mark.parametrize("days_left, status", [
    (0, Status.EXPIRING),  # its last day
    (1, Status.EXPIRING),
    (89, Status.EXPIRING),
    (90, Status.EXPIRING),  # "within 90 days" includes the 90th
    (91, Status.COMPLIANT),
    (365, Status.COMPLIANT),
])
def test_expiring_boundary(days_left, status):
    day = date(2023, 6, 1)
    held = cert("trede_2", date(2023, 1, 1), day + timedelta(days=days_left))
    result = status_on([held], day)
    assert result.status == status
    assert result.days_left == days_left
    assert EXPIRY_WARNING_DAYS == 90


@pytest.mark.parametrize("renewal_from, status", [
    (date(2023, 6, 15), Status.COMPLIANT),  # overlapping, starting after the day
    (date(2023, 7, 1), Status.COMPLIANT),  # on the old one's last day
    (date(2023, 7, 2), Status.COMPLIANT),  # adjacent: the day after
    (date(2023, 7, 3), Status.EXPIRING),  # one day without a certificate
])
def test_a_renewal_in_place_is_not_expiring(renewal_from, status):
    old = cert("trede_2", date(2022, 7, 2), date(2023, 7, 1), id=1)
    new = cert("trede_2", renewal_from, date(2025, 6, 30), id=2)
    result = status_on([old, new], date(2023, 6, 1))
    assert result.status == status
    assert result.certificate == old
    if status == Status.COMPLIANT:
        assert result.expires_on == date(2025, 6, 30)
        assert result.renewal == new
    else:
        assert result.expires_on == date(2023, 7, 1)
        assert result.renewal is None


@pytest.mark.parametrize("level, state", [
    ("trede_1", "verified"),  # too low to carry on
    ("trede_2", "rejected"),
])
def test_a_renewal_that_does_not_count_leaves_it_expiring(level, state):
    old = cert("trede_2", date(2022, 7, 2), date(2023, 7, 1), id=1)
    new = cert(level, date(2023, 7, 2), date(2025, 6, 30), state=state, id=2)
    result = status_on([old, new], date(2023, 6, 1))
    assert result.status == Status.EXPIRING
    assert result.expires_on == date(2023, 7, 1)
    assert result.renewal is None
    assert result.pending is None


def test_a_pending_renewal_is_shown_but_it_is_still_expiring():
    old = cert("trede_2", date(2022, 7, 2), date(2023, 7, 1), id=1)
    new = cert("trede_2", date(2023, 7, 2), date(2025, 6, 30), state="pending", id=2)
    result = status_on([old, new], date(2023, 6, 1))
    assert result.status == Status.EXPIRING
    assert result.pending == new
    assert result.renewal is None


def test_a_chain_of_renewals_counts_to_its_end():
    chain = [cert("trede_2", date(2022, 7, 2), date(2023, 7, 1), id=1),
             cert("trede_3", date(2023, 7, 2), date(2023, 8, 31), id=2),
             cert("pso_30plus", date(2023, 8, 15), date(2025, 8, 14), id=3)]
    result = status_on(chain, date(2023, 6, 1))
    assert result.status == Status.COMPLIANT
    assert result.expires_on == date(2025, 8, 14)
    assert result.renewal == chain[1]
    assert covered_until(date(2023, 7, 1), chain) == date(2025, 8, 14)
    assert covered_until(date(2023, 7, 1), chain[::2]) == date(2023, 7, 1)


def test_a_renewal_valid_already_is_the_certificate_used():
    old = cert("trede_2", date(2022, 7, 2), date(2023, 7, 1), id=1)
    new = cert("trede_2", date(2023, 6, 1), date(2025, 5, 31), id=2)
    result = status_on([old, new], date(2023, 6, 1))
    assert result.status == Status.COMPLIANT
    assert result.certificate == new
    assert result.expires_on == date(2025, 5, 31)
    assert result.renewal is None


def test_of_several_valid_certificates_the_one_valid_longest_is_used():
    short = cert("pso_30plus", date(2023, 1, 1), date(2023, 8, 1), id=1)
    long = cert("trede_2", date(2023, 3, 1), date(2025, 2, 28), id=2)
    too_low = cert("trede_1", date(2023, 3, 1), date(2025, 2, 28), id=3)
    result = status_on([short, long, too_low], date(2023, 6, 1))
    assert result.status == Status.COMPLIANT
    assert result.certificate == long
    assert result.best_held == short  # the highest level held
    assert result.expires_on == date(2025, 2, 28)


def test_assess_takes_any_iterable_of_certificates():
    held = cert("trede_2", date(2023, 1, 1), date(2024, 12, 31))
    assert assess(iter(LEAFLET_RULES), iter(BIG), iter([held]), date(2023, 6, 1)).status \
        == Status.COMPLIANT


@pytest.mark.parametrize("status, expected", [
    (pso.Status.NON_COMPLIANT, True), (pso.Status.EXPIRING, True),
    (pso.Status.COMPLIANT, False), (pso.Status.PENDING, False), (pso.Status.NOT_REQUIRED, False),
])
def test_needs_upload_only_when_not_or_soon_not_covered(status, expected):
    obligation = pso.Obligation(date(2026, 1, 1), None, 0, None)
    assessment = pso.Assessment(status, obligation, None, None, None, None)
    assert assessment.needs_upload is expected
