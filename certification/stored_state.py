"""What by-ID verification needs of a stored credential, kept in the shared cache.

By-ID verification is the public hot path. Its answer depends on a handful of columns (the
signing key, the status-list slot, the dates, suspension, renewal); this module reads them in
one query and keeps them in the default cache (Redis in production), so a warm request makes
one Redis round trip and no database query.

Every service that changes one of these columns calls ``forget`` inside its transaction. When
the transaction commits, the entry is replaced by a short-lived tombstone, and entries are only
ever written where none is (SET NX): a request that read the database just before the change
committed cannot store its stale copy over the tombstone, and requests after the commit read
the database until the tombstone expires. ``TTL_SECONDS`` bounds anything else (a commit whose
tombstone could not be written because Redis was down), the same bound the served status
list's ``max-age`` gives verifiers.
"""

import json
import uuid
from dataclasses import astuple, dataclass
from datetime import UTC, datetime

from django.db import connection, transaction

from config.cache import Pending, RoundTrip, cache_set

from .models import Credential

TTL_SECONDS = 300
TOMBSTONE_SECONDS = 10
_TOMBSTONE = "-"
_KEY = "cred-state:v1:{}"


@dataclass(frozen=True)
class StoredState:
    pk: uuid.UUID
    signing_key_id: str
    status_index: int
    valid_from: datetime
    valid_until: datetime
    suspended_at: datetime | None
    list_id: int
    list_version: int
    list_updated_at: datetime
    successor: uuid.UUID | None

    @classmethod
    def of(cls, credential: Credential) -> "StoredState":
        return cls(
            credential.pk,
            credential.signing_key_id,
            credential.status_index,
            credential.valid_from,
            credential.valid_until,
            credential.suspended_at,
            credential.status_list.pk,
            credential.status_list.version,
            credential.status_list.updated_at,
            getattr(credential, "successor", None),
        )

    @classmethod
    def from_row(cls, row) -> "StoredState":
        pk, key_id, index, start, end, suspended, list_id, version, updated, successor = row
        return cls(
            _to_uuid(pk),
            key_id,
            index,
            _to_datetime(start),
            _to_datetime(end),
            _to_datetime(suspended),
            list_id,
            version,
            _to_datetime(updated),
            _to_uuid(successor),
        )

    def encode(self) -> str:
        return json.dumps([_plain(value) for value in astuple(self)], separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str | bytes) -> "StoredState":
        return cls.from_row(json.loads(raw))


_FIELDS = (
    "pk",
    "signing_key_id",
    "status_index",
    "valid_from",
    "valid_until",
    "suspended_at",
    "status_list_id",
    "status_list__version",
    "status_list__updated_at",
    "superseded_by__pk",
)
_sql: dict[str, str] = {}


def _plain(value):
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _to_uuid(value) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(str(value))


def _to_datetime(value) -> datetime | None:
    if value is None:
        return None
    # PostgreSQL gives aware datetimes; SQLite naive ones (or text), always in UTC; the cache
    # ISO 8601 text (fromisoformat: the C parser, several times faster than parse_datetime).
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _from_database(pk: uuid.UUID) -> StoredState | None:
    """One query, compiled once per process from the ORM (so table and column names stay the
    ORM's), run on a plain cursor."""
    sql = _sql.get(connection.vendor)
    if sql is None:
        queryset = Credential.objects.filter(pk=pk).order_by().values_list(*_FIELDS)
        sql, _ = queryset.query.sql_with_params()
        _sql[connection.vendor] = sql
    param = Credential._meta.pk.get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [param])
        row = cursor.fetchone()
    return None if row is None else StoredState.from_row(row)


class Lookup:
    """A state lookup whose cache read travels in the caller's round trip (by-ID verification
    sends it with the rate-limit count): create it inside ``with RoundTrip() as trip``, call
    ``result()`` after. An ID that is not a UUID or names no credential gives None; misses
    are not cached (an ID exists only once issued, and caching "absent" would let anyone fill
    the cache)."""

    def __init__(self, credential_id, trip: RoundTrip):
        try:
            self.pk = _to_uuid(credential_id)
        except ValueError:
            self.pk = None
        self._cached = trip.get(_KEY.format(self.pk)) if self.pk else Pending()

    def result(self) -> StoredState | None:
        if self.pk is None:
            return None
        cached = self._cached.value
        if cached is not None and cached not in (_TOMBSTONE, _TOMBSTONE.encode()):
            return StoredState.decode(cached)
        state = _from_database(self.pk)
        if state is not None and cached is None:
            cache_set(_KEY.format(self.pk), state.encode(), ttl=TTL_SECONDS, only_if_absent=True)
        return state


def load(credential_id) -> StoredState | None:
    """The state of a credential issued here, from the cache or else the database."""
    with RoundTrip() as trip:
        lookup = Lookup(credential_id, trip)
    return lookup.result()


def load_many(pks: list[uuid.UUID]) -> dict[uuid.UUID, StoredState]:
    """The states of many credentials from the database, in one query (bulk verification: a
    batch reads the current rows rather than fill the cache with entries nobody else asked
    for). IDs that name no credential are absent from the answer."""
    if not pks:
        return {}
    rows = Credential.objects.filter(pk__in=pks).order_by().values_list(*_FIELDS)
    return {state.pk: state for state in map(StoredState.from_row, rows)}


def forget(credential_id) -> None:
    """Replace the cached state with a tombstone once the caller's transaction commits (at once
    outside one). A cache that cannot be reached then is logged, not raised: the change has
    committed, and the entry expires within ``TTL_SECONDS``."""
    key = _KEY.format(credential_id)
    transaction.on_commit(lambda: cache_set(key, _TOMBSTONE, ttl=TOMBSTONE_SECONDS))
