"""Every model, imported in one place so that mappers and migrations see the whole schema."""

from portal.audit import AuditEvent
from portal.auth.models import LoginFailure, Token, User, UserSession
from portal.certificates.models import Certificate
from portal.contracts.models import Contract, ContractImport, ContractImportRow
from portal.obligations.models import PolicyRule, ReminderSent
from portal.stories.models import Story, StoryRevision
from portal.suppliers.models import Organisation

__all__ = ["AuditEvent", "Certificate", "Contract", "ContractImport", "ContractImportRow",
           "LoginFailure", "Organisation", "PolicyRule", "ReminderSent", "Story",
           "StoryRevision", "Token", "User", "UserSession"]
