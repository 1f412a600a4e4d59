"""Who may open a view, in words: `@login_required`, `@staff_required`, ...

Each decorator asks a predicate of portal.permissions, the same one the services and the
templates ask."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from portal import permissions
from portal.extensions import login_manager

__all__ = ["login_required", "staff_required", "moderator_required", "supplier_admin_required",
           "supplier_required"]


def _requires(check):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = _requires(permissions.is_staff_member)
moderator_required = _requires(permissions.can_moderate)
supplier_required = _requires(permissions.is_supplier)
supplier_admin_required = _requires(permissions.is_supplier_admin)
