from .api import RevokeView, SuspendView, UnsuspendView, VerifyByIdView, VerifyUploadView
from .pages import (
    certification_page,
    credential_json,
    credential_page,
    credential_pdf,
    did_json,
    status_list,
    verify_page,
)

__all__ = [
    "RevokeView",
    "SuspendView",
    "UnsuspendView",
    "VerifyByIdView",
    "VerifyUploadView",
    "certification_page",
    "credential_json",
    "credential_page",
    "credential_pdf",
    "did_json",
    "status_list",
    "verify_page",
]
