from django.utils.translation import gettext


class DomainError(Exception):
    """A refused operation. `code` is stable (for the API), `message` is shown to the user."""

    status = 400

    def __init__(self, message, *, code="invalid", status=None):
        super().__init__(message)
        self.message = str(message)
        self.code = code
        if status is not None:
            self.status = status


class NotAllowed(DomainError):
    status = 403

    def __init__(self, message=None, *, code="forbidden"):
        super().__init__(message or gettext("You do not have permission to do this."), code=code)


class InvalidTransition(DomainError):
    status = 409

    def __init__(self, message, *, code="invalid_transition"):
        super().__init__(message, code=code)
