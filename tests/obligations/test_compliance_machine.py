"""Random sequences of real changes to suppliers' facts, each committed as its view commits it,
with days passing in between.

After every step the stored compliance is what computing it again gives (what
`flask --app portal check-compliance` checks), and what a page does first brings every row to
the simulated day.

Runs on SQLite and, with PORTAL_SQLALCHEMY_DATABASE_URI, on PostgreSQL. CI runs a fixed set of
examples; locally more, and new ones on every run (PORTAL_COMPLIANCE_SHRINK=1 also reduces a
failure to its fewest steps, PORTAL_COMPLIANCE_STEPS sets the steps per example):
PORTAL_COMPLIANCE_EXAMPLES=200 PORTAL_COMPLIANCE_RANDOM=1 \
  .venv/bin/pytest tests/obligations/test_compliance_machine.py
"""

import itertools
import os
from datetime import date, timedelta

from hypothesis import HealthCheck, Phase, settings, stateful
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule
from sqlalchemy import select

from portal import clock, pso
from portal.auth.models import User
from portal.certificates import services as certificate_services
from portal.certificates.models import Certificate
from portal.contracts import importing
from portal.contracts import services as contract_services
from portal.contracts.models import Contract
from portal.exceptions import DomainError
from portal.extensions import db
from portal.obligations import compliance, policy
from portal.obligations import services as obligation_services
from portal.obligations.models import Compliance
from portal.staff import services as staff_services
from portal.suppliers.models import Organisation
from tests import factories
from tests.conftest import empty_tables

EXAMPLES = int(os.environ.get("PORTAL_COMPLIANCE_EXAMPLES", "25"))
STEPS = int(os.environ.get("PORTAL_COMPLIANCE_STEPS", "15"))
RANDOM = bool(os.environ.get("PORTAL_COMPLIANCE_RANDOM"))  # new examples on every run
# Shrinking a failure to its fewest steps takes minutes; PORTAL_COMPLIANCE_SHRINK=1 turns it on.
PHASES = [Phase.explicit, Phase.generate] + (
    [Phase.shrink] if os.environ.get("PORTAL_COMPLIANCE_SHRINK") else [])

START = date(2026, 3, 1)
LEVELS = [level.value for level in pso.LEVELS]
# Around the seeded rules' threshold of EUR 150,000 a year, so statuses do change.
AMOUNTS = st.sampled_from([0, 40_000_00, 100_000_00, 150_000_00, 200_000_00, 400_000_00])
# Mostly the levels the seeded rules ask for or more, so certificates do count.
CERTIFICATE_LEVELS = st.sampled_from(["trede_2", "trede_3", "pso_30plus", "trede_2", "aspirant"])
NEW_SUPPLIER_KVK = itertools.count(70_000_000)


class ComplianceMachine(stateful.RuleBasedStateMachine):
    """The state is in the database; the machine keeps only ids, as a browser keeps links."""

    def __init__(self, app, monkeypatch):
        super().__init__()
        self.app = app
        self.day = START
        monkeypatch.setattr(clock, "local_today", lambda: self.day)
        self.numbers = itertools.count(1)
        self.staff_id = factories.staff().id
        db.session.commit()
        self.uploaders: dict[int, int] = {}  # organisation -> its contact, who uploads
        self.organisations: list[int] = []
        self.contracts: list[int] = []
        self.pending: list[int] = []  # certificates awaiting a decision

    def teardown(self):
        empty_tables()

    # --- how a view does it: load, call the service, commit once or roll back -----------

    def staff(self) -> User:
        return db.session.get(User, self.staff_id)

    def as_a_view(self, work, *args, **kwargs):
        try:
            result = work(*args, **kwargs)
        except DomainError:
            db.session.rollback()
            return None
        db.session.commit()
        return result

    # --- the changes -------------------------------------------------------------------

    @initialize(amount=AMOUNTS, level=CERTIFICATE_LEVELS, issued=st.integers(-700, 0))
    def a_supplier_with_a_contract_and_an_upload(self, amount, level, issued):
        """Where random steps seldom lead by themselves: a supplier with a certificate to
        decide on, which a later step may verify."""
        self.invite_a_supplier_contact(new_organisation=True, data=None)
        self.add_a_contract(None, amount, start=-60, length=None)
        self.upload_a_certificate(None, level, issued, days_valid=730)

    @rule(new_organisation=st.booleans(), data=st.data())
    def invite_a_supplier_contact(self, new_organisation, data):
        """A new supplier, or the first contact of one that an import created."""
        n = next(self.numbers)
        without_contact = [org_id for org_id in self.organisations
                           if org_id not in self.uploaders]
        if new_organisation or not without_contact:
            kvk = f"{next(NEW_SUPPLIER_KVK):08d}"
        else:
            kvk = db.session.get(Organisation, data.draw(st.sampled_from(without_contact))).kvk
        user, _created = self.as_a_view(
            staff_services.invite_supplier_contact, self.staff(),
            organisation_name=f"Leverancier {n}", kvk=kvk, name=f"Contact {n}",
            email=f"contact{n}@example.org")
        self.uploaders[user.organisation_id] = user.id
        if user.organisation_id not in self.organisations:
            self.organisations.append(user.organisation_id)

    @precondition(lambda self: self.uploaders)
    @rule(data=st.data(), level=CERTIFICATE_LEVELS, issued=st.integers(-500, 30),
          days_valid=st.sampled_from([800]) | st.integers(0, 730))
    def upload_a_certificate(self, data, level, issued, days_valid):
        uploaders = sorted(self.uploaders.values())
        supplier = db.session.get(User, uploaders[0] if data is None
                                  else data.draw(st.sampled_from(uploaders)))
        issued_on = self.day + timedelta(days=issued)
        n = next(self.numbers)
        certificate = self.as_a_view(
            certificate_services.upload, supplier, level=level, number=f"PSO-{n}",
            issued_on=issued_on, valid_until=issued_on + timedelta(days=days_valid),
            filename="pso.pdf", data=factories.pdf_bytes(f"machine {n}"))
        if certificate is not None:  # more than two years is refused
            self.pending.append(certificate.id)

    @precondition(lambda self: self.pending)
    @rule(data=st.data(), verdict=st.sampled_from(["verify", "verify", "reject"]))
    def decide_on_a_certificate(self, data, verdict):
        certificate_id = data.draw(st.sampled_from(self.pending))
        certificate = db.session.get(Certificate, certificate_id)
        if verdict == "verify":
            self.as_a_view(certificate_services.verify, self.staff(), certificate)
        else:
            self.as_a_view(certificate_services.reject, self.staff(), certificate,
                           "Onleesbaar")
        assert db.session.get(Certificate, certificate_id).state != "pending"
        self.pending.remove(certificate_id)

    @precondition(lambda self: self.organisations)
    @rule(data=st.data(), amount=AMOUNTS, start=st.integers(-500, 300),
          length=st.none() | st.integers(0, 700))
    def add_a_contract(self, data, amount, start, length):
        organisation = db.session.get(Organisation, self.organisations[0] if data is None
                                      else data.draw(st.sampled_from(self.organisations)))
        start_date = self.day + timedelta(days=start)
        contract = self.as_a_view(
            contract_services.create, self.staff(), organisation,
            reference=f"C-{next(self.numbers)}", description="Onderhoud",
            start_date=start_date,
            end_date=None if length is None else start_date + timedelta(days=length),
            annual_value_cents=amount)
        self.contracts.append(contract.id)

    @precondition(lambda self: self.contracts)
    @rule(data=st.data(), amount=AMOUNTS, start=st.integers(-500, 300),
          length=st.none() | st.integers(0, 700))
    def edit_a_contract(self, data, amount, start, length):
        contract = db.session.get(Contract, data.draw(st.sampled_from(self.contracts)))
        start_date = self.day + timedelta(days=start)
        self.as_a_view(
            contract_services.update, self.staff(), contract, reference=contract.reference,
            description="Onderhoud, gewijzigd", start_date=start_date,
            end_date=None if length is None else start_date + timedelta(days=length),
            annual_value_cents=amount, seen_version=contract_services.version_of(contract))

    @rule(data=st.data(), rows=st.lists(st.tuples(
        st.sampled_from(["existing contract", "new contract", "new supplier"]), AMOUNTS,
        st.integers(-500, 300), st.none() | st.integers(0, 700)), min_size=1, max_size=4))
    def import_contracts(self, data, rows):
        lines = []
        keys = set()
        for what, amount, start, length in rows:
            if what == "existing contract" and self.contracts:
                contract = db.session.get(Contract, data.draw(st.sampled_from(self.contracts)))
                kvk, name = contract.organisation.kvk, contract.organisation.name
                reference = contract.reference
            elif what == "new contract" and self.organisations:
                organisation = db.session.get(
                    Organisation, data.draw(st.sampled_from(self.organisations)))
                kvk, name = organisation.kvk, organisation.name
                reference = f"I-{next(self.numbers)}"
            else:
                kvk, name = f"{next(NEW_SUPPLIER_KVK):08d}", f"Nieuw {next(self.numbers)}"
                reference = f"I-{next(self.numbers)}"
            if (kvk, reference) in keys:  # a key twice in one file is a row error
                continue
            keys.add((kvk, reference))
            start_date = self.day + timedelta(days=start)
            end_date = "" if length is None else (start_date + timedelta(days=length)).isoformat()
            lines.append(f"{kvk};{name};{reference};Uit de export;{start_date.isoformat()};"
                         f"{end_date};{amount // 100}\n")
        data_file = ("kvk;leverancier;referentie;omschrijving;startdatum;einddatum;jaarbedrag\n"
                     + "".join(lines)).encode()
        # Each request of the dry run checks a chunk and commits; then staff apply it.
        contract_import = self.as_a_view(importing.start, self.staff(),
                                         filename="export.csv", data=data_file)
        while contract_import.is_checking:
            self.as_a_view(importing.check_next_chunk, self.staff(), contract_import)
        assert self.as_a_view(importing.apply, self.staff(), contract_import) is not None
        for kvk, reference in keys:
            organisation_id, contract_id = db.session.execute(
                select(Organisation.id, Contract.id).join(Contract.organisation)
                .where(Organisation.kvk == kvk, Contract.reference == reference)).one()
            if organisation_id not in self.organisations:
                self.organisations.append(organisation_id)
            if contract_id not in self.contracts:
                self.contracts.append(contract_id)

    @rule(start=st.integers(0, 200), length=st.none() | st.integers(0, 400),
          threshold=AMOUNTS, level=st.sampled_from(LEVELS))
    def add_a_policy_rule(self, start, length, threshold, level):
        effective_from = self.day + timedelta(days=start)
        self.as_a_view(
            policy.add_rule, self.staff(), self.day, effective_from=effective_from,
            effective_until=None if length is None else effective_from + timedelta(days=length),
            threshold_cents=threshold, required_level=level)

    @rule(days=st.sampled_from([1, 1, 30, 91, 365]) | st.integers(1, 400),
          then=st.sampled_from(["a page", "the daily command", "nothing"]))
    def time_passes(self, days, then):
        self.day += timedelta(days=days)
        if then == "a page":
            obligation_services.current_statuses(self.day)
        elif then == "the daily command":
            result = self.app.test_cli_runner().invoke(
                args=["refresh-compliance", "--today", self.day.isoformat()])
            assert result.exit_code == 0, result.output
            assert set(db.session.scalars(select(Compliance.computed_for))) <= {self.day}

    # --- what must hold after every step -------------------------------------------------

    @invariant()
    def stored_compliance_is_what_is_computed_and_a_page_brings_it_to_today(self):
        assert compliance.differences() == []
        # What a page does before it shows stored statuses.
        compliance.bring_up_to_date(self.day)
        assert set(db.session.scalars(select(Compliance.computed_for))) <= {self.day}
        assert compliance.differences() == []
        # Undone: the next step meets rows computed for earlier days, as after a night
        # whose refresh did not run.
        db.session.rollback()


def test_stored_compliance_stays_what_is_computed_through_any_changes(app, db_session,
                                                                     monkeypatch):
    monkeypatch.setitem(app.config, "CONTRACT_IMPORT_CHUNK_ROWS", 2)  # several chunks
    stateful.run_state_machine_as_test(
        lambda: ComplianceMachine(app, monkeypatch),
        settings=settings(max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None,
                          database=None, derandomize=not RANDOM, phases=PHASES,
                          suppress_health_check=[HealthCheck.too_slow]))
