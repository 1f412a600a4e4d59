"""Domain exceptions: services raise them, views turn their message into a form error."""


class DomainError(Exception):
    """A refused action; `message` is shown to the user as it is (already translated lazily)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class PermissionDenied(Exception):
    """The acting user may not do this; the view answers 403."""
