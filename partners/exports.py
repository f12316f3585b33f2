"""CSV exports of a firm's roster and dashboard figures, streamed in constant memory.

The roster is two ordered server-side cursors merged in step — the memberships by user id and
the active credentials of those people by holder id — so a 50,000-row export holds one chunk of
each at a time and runs two queries whatever its size. No scores or design content: only who
is a member and which certifications they hold (status, as the counting rule says).
"""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import F, Min
from django.utils import timezone

from accounts.models import Membership, PartnerOrganisation
from certification.models import Credential

from .dashboard import active_at

CHUNK_SIZE = 2000

ROSTER_HEADER = [
    "email",
    "full_name",
    "region",
    "joined_at",
    "left_at",
    "active_certifications",
    "next_expiry",
]


class _Echo:
    """The file-like object csv.writer needs: ``write`` hands the line back instead of storing."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([_safe(value) for value in row])


def _safe(value):
    """Neutralise spreadsheet formulas in text (CSV injection): a leading = + - @ gets a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _iso(moment) -> str:
    return moment.isoformat() if moment else ""


def roster_rows(*, firm: PartnerOrganisation, include_former: bool = False, now=None):
    """The header, then one row per consultant membership (current only unless
    ``include_former``), in user id order."""
    now = now or timezone.now()
    memberships = Membership.objects.filter(organisation=firm, kind=Membership.Kind.CONSULTANT)
    if not include_former:
        memberships = memberships.filter(left_at__isnull=True)
    # A current membership first for each person, so it meets their credentials in the merge.
    members = memberships.order_by("user_id", F("left_at").desc(nulls_first=True)).values_list(
        "user_id", "user__email", "user__full_name", "user__region", "joined_at", "left_at"
    )
    held = (
        Credential.objects.filter(active_at(now), holder_id__in=memberships.values("user_id"))
        .values_list("holder_id", "certification__slug")
        .annotate(until=Min("valid_until"))
        .order_by("holder_id", "certification__slug")
    )
    yield ROSTER_HEADER
    credentials = iter(held.iterator(chunk_size=CHUNK_SIZE))
    pending = next(credentials, None)
    for user_id, email, name, region, joined, left in members.iterator(chunk_size=CHUNK_SIZE):
        slugs, expiry = [], None
        while pending is not None and pending[0] <= user_id:
            if pending[0] == user_id:
                slugs.append(pending[1])
                expiry = min(expiry, pending[2]) if expiry else pending[2]
            pending = next(credentials, None)
        if left is not None:  # a former member: what they hold now is not the firm's
            slugs, expiry = [], None
        yield [email, name, region, _iso(joined), _iso(left), ";".join(slugs), _iso(expiry)]


def dashboard_rows(figures: dict):
    """The dashboard as (section, key, value) rows."""
    yield ["section", "key", "value"]
    yield ["as_of", "", _iso(figures["as_of"])]
    counts = figures["headcount"]
    yield ["headcount", "total", counts["total"]]
    for row in counts["by_certification"]:
        yield ["headcount_by_certification", row["slug"], row["count"]]
    for row in counts["by_domain"]:
        yield ["headcount_by_domain", row["id"], row["count"]]
    for row in counts["by_region"]:
        yield ["headcount_by_region", row["region"], row["count"]]
    for row in figures["trend"]:
        yield ["trend", row["month"], row["count"]]
    for key, value in figures["pipeline"].items():
        yield ["pipeline", key, value]
    for row in figures["coverage"]["domains"]:
        yield ["coverage", row["id"], row["proficient"]]
    for row in figures["targets"]:
        yield [
            "target",
            f"{row['tier']}: {row['certification']}",
            f"{row['current']}/{row['target']}",
        ]
