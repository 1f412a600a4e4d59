"""Every model, imported in one place so that mappers and migrations see the whole schema."""

from portal.audit import AuditEvent
from portal.auth.models import LoginFailure, Token, User, UserSession
from portal.suppliers.models import Organisation

__all__ = ["AuditEvent", "LoginFailure", "Organisation", "Token", "User", "UserSession"]
