"""Staff adding policy rules: a change is a new row, never an edit of what was in force."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import audit, formats, permissions, pso
from portal.auth.models import User
from portal.exceptions import DomainError
from portal.extensions import db
from portal.obligations import loader
from portal.obligations.models import PolicyRule
from portal.suppliers.models import Organisation


@dataclass(frozen=True)
class Preview:
    """What a new rule would do on the day it starts: which suppliers change status."""

    day: date
    changes: list[tuple[pso.Status, pso.Status]]  # per supplier that changes: before, after

    @property
    def moves(self) -> Counter:
        return Counter(self.changes)


def all_rules() -> list[PolicyRule]:
    return list(db.session.scalars(
        select(PolicyRule).order_by(PolicyRule.effective_from.desc(), PolicyRule.id.desc())))


def _candidate(effective_from, effective_until, threshold_cents, required_level) -> pso.Rule:
    # A new rule outranks every existing one on the same date (rule_on: highest id wins).
    return pso.Rule(effective_from=effective_from, effective_until=effective_until,
                    threshold_cents=threshold_cents, required_level=required_level,
                    id=2**62)


def check(today: date, effective_from: date, effective_until: date | None,
          threshold_cents: int, required_level: str) -> None:
    if effective_from < today:
        raise DomainError(_l("Een nieuwe regel kan niet in het verleden ingaan: dat zou "
                             "statussen van toen stilletjes veranderen. Kies vandaag of later."),
                          field="effective_from")
    if effective_until is not None and effective_until < effective_from:
        raise DomainError(_l("De einddatum ligt vóór de ingangsdatum."), field="effective_until")
    if threshold_cents < 0:
        raise DomainError(_l("De drempel kan niet negatief zijn."), field="threshold")
    if required_level not in {level.value for level in pso.LEVELS}:
        raise DomainError(_l("Kies een trede uit de lijst."), field="required_level")


def preview(today: date, effective_from: date, effective_until: date | None,
            threshold_cents: int, required_level: str) -> Preview:
    check(today, effective_from, effective_until, threshold_cents, required_level)
    current = loader.rules()
    new = _candidate(effective_from, effective_until, threshold_cents, required_level)
    # On its first day only the rule in force then counts, for everyone: found once.
    before_rules = [r for r in [pso.rule_on(current, effective_from)] if r is not None]
    after_rules = [r for r in [pso.rule_on([*current, new], effective_from)] if r is not None]
    if before_rules == after_rules:
        return Preview(effective_from, [])
    contracts = loader.contracts(year=effective_from.year)
    certificates = loader.certificates()
    changes = []
    for org_id in db.session.scalars(select(Organisation.id)):
        facts = contracts[org_id], certificates[org_id], effective_from
        before = pso.assess(before_rules, *facts).status
        after = pso.assess(after_rules, *facts).status
        if before != after:
            changes.append((before, after))
    return Preview(effective_from, changes)


def add_rule(actor: User, today: date, *, effective_from: date, effective_until: date | None,
             threshold_cents: int, required_level: str, note: str = "") -> PolicyRule:
    permissions.require(permissions.can_change_policy(actor))
    check(today, effective_from, effective_until, threshold_cents, required_level)
    rule = PolicyRule(effective_from=effective_from, effective_until=effective_until,
                      threshold_cents=threshold_cents, required_level=required_level,
                      note=(note or "").strip() or None, created_by_id=actor.id)
    db.session.add(rule)
    db.session.flush()
    audit.record("policy_rule_added", actor=actor, obj=rule,
                 effective_from=effective_from.isoformat(),
                 effective_until=effective_until.isoformat() if effective_until else None,
                 threshold=formats.format_euro(threshold_cents), level=required_level)
    return rule
