from django import template

register = template.Library()

CHECK_LABELS = {
    "format": "Format",
    "issuer_key": "Issuer's key",
    "proof": "Signature",
    "issuer_trust": "Issued by Practica",
    "co_signer": "Other signer",
    "dates": "Validity dates",
    "status": "Revocation status",
    "suspension": "Suspension",
    "superseded": "Renewal",
}
STATUS_LABELS = {
    "valid": "Valid",
    "untrusted_issuer": "Signature valid, not issued by Practica",
    "expired": "Expired",
    "not_yet_valid": "Not yet valid",
    "suspended": "Suspended",
    "revoked": "Revoked",
    "status_unknown": "Status unknown",
    "invalid": "Invalid",
}


@register.filter
def check_label(name: str) -> str:
    return CHECK_LABELS.get(name, name.replace("_", " ").capitalize())


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())
