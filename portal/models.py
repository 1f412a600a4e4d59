"""Every model, imported in one place so that mappers and migrations see the whole schema."""

from portal.audit import AuditEvent
from portal.auth.models import LoginFailure, Token, User, UserSession
from portal.certificates.models import Certificate
from portal.contracts.models import Contract, ContractImport, ContractImportRow
from portal.obligations.models import Compliance, ComplianceSnapshot, PolicyRule, ReminderSent
from portal.stories import search
from portal.stories.models import Story, StoryRevision, StoryTotal
from portal.suppliers.models import NAME_INDEX, Organisation

__all__ = ["AuditEvent", "Certificate", "Compliance", "ComplianceSnapshot", "Contract",
           "ContractImport", "ContractImportRow", "LoginFailure", "Organisation", "PolicyRule",
           "ReminderSent", "Story", "StoryRevision", "StoryTotal", "Token", "User",
           "UserSession"]


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's comparison: leave out what migrations make by hand and a model cannot
    describe to it, the full-text search objects and the index on lower(name) (SQLite does
    not reflect indexes on expressions)."""
    if type_ == "index" and name == NAME_INDEX:
        return False
    return search.include_object(obj, name, type_, reflected, compare_to)
