"""Domain errors: what a service raises when a business rule refuses what it was asked to do.

Plain Python that knows nothing of HTTP: a service says *what* went wrong, with a stable
``code`` that callers branch on, a message a person can act on, and optionally ``errors`` (a
list of problems, each with a path). How that reads over HTTP (the status code and the
``{code, detail, errors}`` body) is decided in one place, ``config.api.exception_handler``;
a management command, a task or a test catches these like any other exception.

Pick the class by what the refusal means, not by a status code:

- ``InvalidRequest``: the input breaks a rule (a missing reason, points not on the rubric).
- ``Unauthorized``: who is asking is not established.
- ``Forbidden``: who is asking may not do this (a conflict of interest, no attempts left).
- ``NotFound``: what was named does not exist, or is not the caller's to see.
- ``Conflict``: the thing is not in a state that allows this (already submitted, taken).
- ``TooLarge``: the input is over a size limit.
"""

from typing import Any


class DomainError(Exception):
    """A business rule refused the request: ``code`` (stable), ``message``, ``errors``."""

    default_code = "invalid_request"
    default_message = "The request could not be processed."

    def __init__(self, message: str | None = None, *, code: str | None = None, errors: Any = None):
        self.message = message or self.default_message
        self.code = code or self.default_code
        self.errors = errors
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"


class InvalidRequest(DomainError):
    default_code = "invalid_request"


class Unauthorized(DomainError):
    default_code = "not_authenticated"
    default_message = "Log in first."


class Forbidden(DomainError):
    default_code = "permission_denied"
    default_message = "You may not do this."


class NotFound(DomainError):
    default_code = "not_found"
    default_message = "Not found."


class Conflict(DomainError):
    default_code = "conflict"
    default_message = "This cannot be done in the current state."


class TooLarge(DomainError):
    default_code = "request_too_large"
    default_message = "The request is larger than allowed."
