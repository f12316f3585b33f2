"""W3C Bitstring Status List v1.0: a GZIP-compressed bitstring, multibase base64url encoded."""

import base64
import gzip

LIST_SIZE = 131_072  # entries; the spec's minimum (16 KB) for group privacy


def encode(bits: bytearray) -> str:
    """Multibase ('u', base64url without padding) of the GZIP of the bitstring."""
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode(encoded: str) -> bytearray:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url ('u...')")
    data = encoded[1:]
    data += "=" * (-len(data) % 4)
    return bytearray(gzip.decompress(base64.urlsafe_b64decode(data)))


def empty() -> bytearray:
    return bytearray(LIST_SIZE // 8)


def get_bit(bits: bytearray, index: int) -> bool:
    # Bit 0 is the left-most bit of the first byte (the spec's ordering).
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytearray, index: int, value: bool) -> None:
    mask = 0x80 >> (index % 8)
    if value:
        bits[index // 8] |= mask
    else:
        bits[index // 8] &= ~mask & 0xFF
