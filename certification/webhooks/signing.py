"""Signing webhook bodies (plain Python: a receiver may copy this module as it is).

Header ``Practica-Signature: t=<unix seconds>,v1=<hex>``, where ``<hex>`` is
HMAC-SHA256(secret, f"{t}.".encode() + body). The timestamp is signed with the body, so a
captured request cannot be replayed later with a new time: a receiver refuses a timestamp
more than ``TOLERANCE_SECONDS`` away from its clock, and remembers the ``Practica-Delivery``
ids it has handled within that window.
"""

import hashlib
import hmac
import time

HEADER = "Practica-Signature"
TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    """The signature header is missing, malformed, stale or does not match the body."""


def signature(secret: str, body: bytes, timestamp: int) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, body, timestamp)}"


def verify(
    secret: str,
    body: bytes,
    header: str,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> int:
    """Check ``header`` against ``body``; return the signed timestamp, or raise SignatureError."""
    parts = dict(part.split("=", 1) for part in (header or "").split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError) as error:
        raise SignatureError("malformed signature header") from error
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise SignatureError("timestamp outside the tolerance: a replay, or a wrong clock")
    if not hmac.compare_digest(signature(secret, body, timestamp), given):
        raise SignatureError("signature does not match the body")
    return timestamp
