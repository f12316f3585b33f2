"""One way in for every JSON body: nesting depth, numbers and text checked before anything else
sees the data.

Every JSON request body goes through ``loads``: the API's default parser (``JSONParser``), the
verification page's upload and the design validator. It refuses, with a stable code:

- ``invalid_json``: not UTF-8, not JSON, or NaN/Infinity (or a number too large for a float);
- ``json_too_deep``: arrays and objects nested deeper than ``JSON_MAX_DEPTH``, found by a
  linear scan of the raw bytes *before* the recursive parser runs, so no nesting reaches a
  ``RecursionError``;
- ``json_invalid_text``: a NUL (``\\u0000``) or a lone UTF-16 surrogate (``\\ud800``) in any
  key or string, which PostgreSQL refuses to store and UTF-8 cannot encode.

Bodies too large to read are refused earlier still, from their ``Content-Length``, by
``config.middleware.RequestSizeLimitMiddleware``.
"""

import json
import math
import re
from array import array
from itertools import accumulate
from typing import Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

DEFAULT_MAX_DEPTH = 32

# The depth scan works on bytes: in UTF-8 no byte of a multi-byte character is ASCII, so
# quotes, backslashes and brackets found here are the JSON text's own.
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
_DEPTH_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 / -1 as signed bytes
# NUL and lone surrogates can only arrive as \u escapes (strict UTF-8 and the parser refuse
# them raw), so text without such an escape needs no walk through the parsed value.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89abcdefABCDEF][0-9a-fA-F]{2})")
_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")


class JSONRejected(ValueError):
    """The body is not JSON this platform accepts. ``code`` is stable; the message says why."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def max_depth() -> int:
    return getattr(settings, "JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH)


def nesting_depth(raw: bytes) -> int:
    """How deep arrays and objects nest in JSON text, without parsing it (linear time, no
    recursion). Malformed text may measure wrong, but the parser refuses it anyway."""
    # Escaped backslashes, then escaped quotes, go first (left to right, as JSON reads them);
    # then every second run between quotes is a string's content.
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    skeleton = unescaped.translate(None, _NOT_STRUCTURE).split(b'"')[::2]
    steps = array("b", b"".join(skeleton).translate(_DEPTH_STEP))
    return max(accumulate(steps), default=0)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONRejected(f"The number {text[:40]} is too large.", code="invalid_json")
    return value


def _no_constant(name: str):
    raise JSONRejected(f"{name} is not a JSON number.", code="invalid_json")


def _printable_key(key: str) -> str:
    return json.dumps(key)[1:-1][:60]  # ASCII escapes: safe to echo whatever the key holds


def invalid_text_path(value: Any) -> str | None:
    """The JSON path of the first key or string holding a NUL or a lone surrogate, if any.
    Iterative, so any nesting is safe."""
    stack = [(value, "$")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if _BAD_CHAR.search(item):
                return path
        elif isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{path}.{_printable_key(key)}"
                if _BAD_CHAR.search(key):
                    return child_path
                stack.append((child, child_path))
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(item))
    return None


def loads(raw: bytes | str, *, encoding: str = "utf-8") -> Any:
    """Parse untrusted JSON text, or raise ``JSONRejected``. Never raises anything else for
    any input of the accepted types."""
    try:
        data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
        text = data.decode(encoding)
        if encoding.replace("-", "").lower() != "utf8":
            data = text.encode("utf-8")
    except (UnicodeError, LookupError) as exc:
        raise JSONRejected(
            "The body is not UTF-8 text (or holds a lone surrogate).", code="invalid_json"
        ) from exc
    limit = max_depth()
    if nesting_depth(data) > limit:
        raise JSONRejected(f"The JSON nests deeper than {limit} levels.", code="json_too_deep")
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except JSONRejected:
        raise
    except RecursionError as exc:  # unreachable after the scan; kept as a last guard
        raise JSONRejected(
            f"The JSON nests deeper than {limit} levels.", code="json_too_deep"
        ) from exc
    except ValueError as exc:
        raise JSONRejected(
            f"The body is not valid JSON: {str(exc)[:200]}", code="invalid_json"
        ) from exc
    if _SUSPECT_ESCAPE.search(data) and (path := invalid_text_path(value)) is not None:
        raise JSONRejected(
            f"{path} holds a NUL character or a lone UTF-16 surrogate, which is not accepted.",
            code="json_invalid_text",
        )
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser through ``loads``: the API's only parser (settings
    ``DEFAULT_PARSER_CLASSES``). Refusals are 400 ``{code, detail}``."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        raw = stream.read() if stream is not None else b""
        try:
            return loads(raw, encoding=encoding)
        except JSONRejected as exc:
            raise ParseError(str(exc), code=exc.code) from exc
