"""W3C Bitstring Status List v1.0: a GZIP-compressed bitstring, multibase base64url encoded,
published inside a signed ``BitstringStatusListCredential``."""

import base64
import gzip

from .jsonld import VC_V2

LIST_SIZE = 131_072  # entries; the spec's minimum (16 KB) for group privacy
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_TYPE = "BitstringStatusListCredential"


class StatusUnavailable(Exception):
    """The status list could not be fetched or read: the status is unknown, never "valid"."""


def encode(bits: bytes | bytearray) -> str:
    """Multibase ('u', base64url without padding) of the GZIP of the bitstring."""
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode(encoded: str) -> bytearray:
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url ('u...')")
    data = encoded[1:]
    data += "=" * (-len(data) % 4)
    return bytearray(gzip.decompress(base64.urlsafe_b64decode(data)))


def empty() -> bytearray:
    return bytearray(LIST_SIZE // 8)


def get_bit(bits: bytes | bytearray, index: int) -> bool:
    # Bit 0 is the left-most bit of the first byte (the spec's ordering).
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"status index {index} is outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytearray, index: int, value: bool) -> None:
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"status index {index} is outside the list")
    mask = 0x80 >> (index % 8)
    if value:
        bits[index // 8] |= mask
    else:
        bits[index // 8] &= ~mask & 0xFF


def status_entry(list_url: str, index: int, purpose: str = "revocation") -> dict:
    """The ``credentialStatus`` of a credential whose status is bit ``index`` of the list."""
    return {
        "id": f"{list_url}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(
    *,
    list_url: str,
    issuer: str,
    bits: bytes | bytearray,
    valid_from: str,
    purpose: str = "revocation",
) -> dict:
    """The unsigned status-list credential (sign it with ``eddsa.sign``)."""
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", LIST_TYPE],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode(bits),
        },
    }
