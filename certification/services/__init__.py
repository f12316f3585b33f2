"""Writes on credentials: issuing, lifecycle changes, status lists, re-signing. Every change
writes an audit row in its own transaction. Reads live in ``selectors``."""

from .issuance import IssuanceRefused, credential_issue
from .lifecycle import (
    credential_revoke,
    credential_suspend,
    credential_unsuspend,
    credential_withdraw_for_decision,
    credentials_record_expiry,
    credentials_warn_expiring,
)
from .signing import credentials_resign_for_key
from .status_lists import status_list_sign

__all__ = [
    "IssuanceRefused",
    "credential_issue",
    "credential_revoke",
    "credential_suspend",
    "credential_unsuspend",
    "credential_withdraw_for_decision",
    "credentials_record_expiry",
    "credentials_resign_for_key",
    "credentials_warn_expiring",
    "status_list_sign",
]
