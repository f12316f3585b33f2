"""Bulk verification for employers: many credentials (IDs, URLs or documents) in one request,
each answered exactly as single verification answers it (``selectors.verify_stored`` for a
credential issued here, ``verification.verify_document`` for a document), plus two statuses of
its own for an item that names nothing: ``invalid_id`` (not an ID or one of our URLs) and
``not_found`` (no such credential was issued here).

Made for batches: the credentials' states are read in one query per ``CHUNK`` IDs and their
proofs checked through one cache round trip (see ``selectors.prefetch_proofs``), never one
query per item.
"""

import csv
import io
import uuid
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils import timezone

from config.errors import InvalidRequest, TooLarge

from . import keys, selectors, stored_state
from .verification import credential_uuid, verify_document

CHUNK = 5000
HEADER_WORDS = {
    "id",
    "ids",
    "credential",
    "credential_id",
    "credential id",
    "url",
    "credential_url",
}


def max_items() -> int:
    """The most items a request with an employer's API key (or signed-in employer) may send."""
    return settings.BULK_VERIFY_MAX_ITEMS


def anonymous_max_items() -> int:
    """The most items a request without an account may send: enough to check a shortlist,
    not to sweep the register (an employer account lifts it to ``max_items``)."""
    return min(settings.BULK_VERIFY_ANONYMOUS_MAX_ITEMS, settings.BULK_VERIFY_MAX_ITEMS)


def reference_uuid(text: str) -> uuid.UUID | None:
    """The credential ID in a bare ID, or in any of our credential URLs (page, .json, .pdf),
    ignoring a query string or fragment."""
    text = text.strip().split("?")[0].split("#")[0].removesuffix(".json").removesuffix(".pdf")
    return credential_uuid(text) or credential_uuid(text.rstrip("/").rsplit("/", 1)[-1])


def _missing(item: str, status: str, detail: str) -> dict:
    return {
        "input": item,
        "status": status,
        "verified": False,
        "checks": [],
        "credential_id": None,
        "issuer": None,
        "issuer_name": None,
        "verification_method": None,
        "detail": detail,
    }


def check_count(items: list, *, limit: int) -> None:
    """InvalidRequest for an empty or non-list ``items``, TooLarge for more than ``limit``."""
    if not isinstance(items, list) or not items:
        raise InvalidRequest(
            "Send a non-empty list of credential IDs, URLs or documents.", code="invalid_items"
        )
    if len(items) > limit:
        raise TooLarge(
            f"At most {limit} credentials a request; this one has {len(items)}."
            + (
                " An employer account with an API key may send up to "
                f"{max_items()} (see /problems/too_many_items)."
                if limit < max_items()
                else ""
            ),
            code="too_many_items",
        )


def verify_many(items: list, *, limit: int | None = None) -> list[dict]:
    """One result per item, in order. A string is an ID or URL; a dict is a credential
    document. More than ``limit`` items (default ``BULK_VERIFY_MAX_ITEMS``): TooLarge; anything
    else: InvalidRequest."""
    check_count(items, limit=max_items() if limit is None else limit)
    with keys.registry_snapshot():  # one look at the key registry for the whole batch
        return _verify_all(items)


def _verify_all(items: list) -> list[dict]:
    ids = [reference_uuid(item) if isinstance(item, str) else None for item in items]
    states = {}
    wanted = list(dict.fromkeys(pk for pk in ids if pk))
    for start in range(0, len(wanted), CHUNK):
        states.update(stored_state.load_many(wanted[start : start + CHUNK]))
    selectors.prefetch_proofs(list(states.values()))
    now = timezone.now()
    results = []
    for item, pk in zip(items, ids, strict=True):
        if isinstance(item, dict):
            results.append({"input": None, **verify_document(item, now=now), "detail": ""})
        elif not isinstance(item, str) or pk is None:
            text = item if isinstance(item, str) else None
            results.append(
                _missing(text, "invalid_id", "not a credential ID or a credential URL of ours")
            )
        elif pk not in states:
            results.append(
                _missing(item, "not_found", "no credential with this ID was issued here")
            )
        else:
            results.append(
                {"input": item, **selectors.verify_stored(states[pk], now=now), "detail": ""}
            )
    return results


def references_from_csv(data: bytes) -> list[str]:
    """The first cell of each non-empty row of a CSV of credential IDs or URLs. A first row
    whose first cell is a column name (``id``, ``credential_id``, ``url``...) is a header."""
    text = _text(data)
    try:
        rows = [row for row in csv.reader(io.StringIO(text)) if row and row[0].strip()]
    except csv.Error as error:
        raise InvalidRequest(f"The file is not CSV: {error}", code="invalid_csv") from error
    if rows and rows[0][0].strip().lower() in HEADER_WORDS:
        rows = rows[1:]
    return [row[0].strip() for row in rows]


def _text(data: bytes) -> str:
    """The CSV's text: UTF-8 (with or without a byte-order mark), or UTF-16 with one (what
    spreadsheets export as "Unicode text"). Anything else is refused, saying what to send."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InvalidRequest(
                "The file is not valid UTF-16 text.", code="invalid_csv"
            ) from error
    if b"\x00" in data:
        raise InvalidRequest(
            "The file is binary, not a CSV: send a text file with one credential ID or URL a line.",
            code="invalid_csv",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidRequest(
            f"The file is not UTF-8 text (byte {error.start + 1} is not): save it as CSV UTF-8.",
            code="invalid_csv",
        ) from error


def why(result: dict) -> str:
    """A result in words: what failed, or that every check passed."""
    if result.get("detail"):
        return result["detail"]
    failed = [f"{c['name']}: {c['detail']}" for c in result["checks"] if c["outcome"] != "pass"]
    return "; ".join(failed) or "every check passed"


def _cell(value) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CSV_COLUMNS = ["input", "status", "verified", "credential_id", "issuer_name", "why"]


def results_csv(results: Iterable[dict]) -> Iterator[str]:
    """The results as CSV lines: one row per item, its status and why."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for result in results:
        writer.writerow(
            [
                _cell(result.get("input")),
                result["status"],
                "yes" if result["verified"] else "no",
                _cell(result.get("credential_id")),
                _cell(result.get("issuer_name")),
                _cell(why(result)),
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
