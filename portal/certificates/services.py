"""Uploading, viewing and deciding on PSO certificates."""

import hashlib
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from portal import audit, permissions, pso
from portal.auth.models import User
from portal.certificates.models import Certificate
from portal.certificates.pdf import is_pdf
from portal.db import facts_changed, utcnow
from portal.exceptions import DomainError
from portal.extensions import db
from portal.states import CertificateState, check_move
from portal.storage import get_storage
from portal.suppliers.models import Organisation

VALIDITY_MESSAGES = {
    "ends_before_start": _l("De einddatum ligt vóór de datum van afgifte. Controleer beide "
                            "datums."),
    "longer_than_two_years": _l("Een PSO-certificaat is hoogstens 2 jaar geldig. Controleer "
                                "de datum van afgifte en de einddatum."),
}


class DecisionConflict(DomainError):
    """Someone else decided on this certificate first."""


def for_organisation(organisation: Organisation) -> list[Certificate]:
    return list(db.session.scalars(
        select(Certificate).where(Certificate.organisation_id == organisation.id)
        .order_by(Certificate.valid_until.desc(), Certificate.id.desc())
    ))


def pending_queue() -> list[Certificate]:
    """Waiting for verification, oldest upload first: first come, first served."""
    return list(db.session.scalars(
        select(Certificate).where(Certificate.state == CertificateState.PENDING)
        .order_by(Certificate.uploaded_at, Certificate.id)
    ))


def pending_count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(Certificate)
        .where(Certificate.state == CertificateState.PENDING))


def upload(actor: User, *, level: str, number: str, issued_on: date, valid_until: date,
           filename: str, data: bytes) -> Certificate:
    """Store a supplier's certificate for verification; refuses anything that is not one."""
    permissions.require(permissions.is_supplier(actor))
    organisation = actor.organisation
    if level not in {lvl.value for lvl in pso.LEVELS}:
        raise DomainError(_l("Kies een trede uit de lijst."), field="level")
    problem = pso.validity_problem(issued_on, valid_until)
    if problem:
        raise DomainError(VALIDITY_MESSAGES[problem], field="valid_until")
    if len(data) > current_app.config["CERTIFICATE_MAX_BYTES"]:
        raise DomainError(_l("Het bestand is groter dan 10 MB. Verklein de PDF of scan met een "
                             "lagere resolutie."), field="file")
    if not data or not is_pdf(data):
        raise DomainError(_l("Dit bestand is geen PDF. Upload het certificaat als PDF-bestand."),
                          field="file")
    digest = hashlib.sha256(data).hexdigest()
    duplicate = db.session.scalars(select(Certificate).where(
        Certificate.organisation_id == organisation.id, Certificate.sha256 == digest)).first()
    if duplicate is not None:
        raise DomainError(_l("Dit bestand heeft u al geüpload (certificaat %(number)s).",
                             number=duplicate.number), field="file")
    key = get_storage().save(data)
    certificate = Certificate(
        organisation=organisation, level=level, number=number.strip(), issued_on=issued_on,
        valid_until=valid_until, file_key=key, original_name=(filename or "")[:255],
        size=len(data), sha256=digest, uploaded_by_id=actor.id, state=CertificateState.PENDING,
    )
    db.session.add(certificate)
    db.session.flush()
    audit.record("certificate_uploaded", actor=actor, obj=certificate, level=level,
                 number=certificate.number)
    return certificate


def read_file(actor: User, certificate: Certificate) -> bytes:
    permissions.require(permissions.can_view_certificate(actor, certificate))
    return get_storage().read(certificate.file_key)


def _decide(actor: User, certificate: Certificate, state: CertificateState,
            reason: str | None) -> None:
    """Move a pending certificate to `state`; of two staff deciding at once, one wins."""
    permissions.require(permissions.can_decide_certificates(actor))
    now = utcnow()
    result = db.session.execute(
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.state == CertificateState.PENDING)
        .values(state=check_move(CertificateState.PENDING, state), rejection_reason=reason,
                decided_by_id=actor.id, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(certificate)
        raise DecisionConflict(_l("Over dit certificaat is al beslist: het is nu %(state)s.",
                                  state=STATE_LABELS.get(certificate.state, certificate.state)))
    db.session.refresh(certificate)
    facts_changed(certificate.organisation_id)  # one UPDATE: no ORM event notes it
    details = {"kvk": certificate.organisation.kvk}
    if reason:
        details["reason"] = reason
    audit.record(f"certificate_{state}", actor=actor, obj=certificate, **details)


def verify(actor: User, certificate: Certificate) -> None:
    _decide(actor, certificate, CertificateState.VERIFIED, None)


def reject(actor: User, certificate: Certificate, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Geef een reden, zodat de leverancier weet wat er mis is."),
                          field="reason")
    _decide(actor, certificate, CertificateState.REJECTED, reason)


STATE_LABELS = {
    CertificateState.PENDING: _l("wacht op controle"),
    CertificateState.VERIFIED: _l("goedgekeurd"),
    CertificateState.REJECTED: _l("afgekeurd"),
}


def stored_file_problems() -> list[tuple[Certificate, str]]:
    """Every certificate whose file is gone ("missing") or altered ("sha256"), oldest first.

    Read one file at a time, so a store of thousands of PDFs is checked in little memory.
    """
    storage = get_storage()
    problems = []
    rows = db.session.scalars(select(Certificate).order_by(Certificate.id))
    for certificate in rows:
        if not storage.exists(certificate.file_key):
            problems.append((certificate, "missing"))
        elif storage.sha256(certificate.file_key) != certificate.sha256:
            problems.append((certificate, "sha256"))
    return problems
