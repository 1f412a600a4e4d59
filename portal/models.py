"""Every model, imported in one place so that mappers and migrations see the whole schema."""

from portal.audit import AuditEvent
from portal.auth.models import LoginFailure, Token, User, UserSession
from portal.certificates.models import Certificate, ReminderSent
from portal.contracts.models import ContractImport, ContractImportRow
from portal.obligations.models import PolicyRule
from portal.stories.models import Story, StoryRevision
from portal.suppliers.models import Contract, Organisation

__all__ = ["AuditEvent", "Certificate", "Contract", "ContractImport", "ContractImportRow",
           "LoginFailure", "Organisation", "PolicyRule", "ReminderSent", "Story",
           "StoryRevision", "Token", "User", "UserSession"]
