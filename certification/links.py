"""Where a holder finds their credentials: the links the lower layers show through their
hooks (``assessments.hooks.register_credential_links`` for a decision,
``accounts.hooks.register_holder_credentials`` for ``GET /me/``). Registered in ``apps.py``."""

from .documents import credential_url
from .models import Credential


def _link(credential: Credential) -> dict:
    return {
        "id": str(credential.pk),
        "url": credential_url(credential.pk),
        "status": credential.status,
    }


def decision_credential_links(decision_ids: list) -> dict:
    """The credential each of these decisions issued, if any."""
    credentials = Credential.objects.filter(decision_id__in=decision_ids).only(
        "id", "decision_id", "revoked_at", "suspended_at", "valid_until"
    )
    return {c.decision_id: _link(c) for c in credentials}


def holder_credential_links(user) -> list[dict]:
    """Every credential issued to ``user``, newest first, with its certification and dates."""
    credentials = (
        Credential.objects.filter(holder=user)
        .select_related("certification")
        .only(
            "id",
            "decision_id",
            "issued_at",
            "valid_until",
            "revoked_at",
            "suspended_at",
            "certification__slug",
            "certification__name",
        )
        .order_by("-issued_at")
    )
    return [
        {
            **_link(c),
            "certification": c.certification.slug,
            "name": c.certification.name,
            "decision": str(c.decision_id),
            "issued_at": c.issued_at,
            "valid_until": c.valid_until,
        }
        for c in credentials
    ]
