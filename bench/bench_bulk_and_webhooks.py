"""Bulk verification and webhook burst benchmark (issue 13).

Prints:
  * bulk verification of N credential IDs (default 10,000; real signed credentials, issued by
    the real service the first time and reused after): ``certification.bulk.verify_many`` with
    cold caches (nothing cached in Redis or in the process: each proof answered from its seal,
    or checked in full where there is none) and warm, with the number of SQL queries, and the
    employers' API (POST /api/v1/employers/verify/bulk with an API key, through Django's test
    client), cold and warm;
  * with ``--main-worktree``: the same measured by main's own copy of this script (its code, its
    own database ``--main-database-url``) in the same run, and the ratios main / this branch;
  * a webhook burst: N events recorded for one subscription in one transaction, drained by
    Celery workers to a local HTTP receiver that checks every signature (with REDIS_URL: real
    worker processes, ``--workers`` of them; without: the tasks run in this process, one by one).

Use your own database and Redis db (created if missing, kept for the next run):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_p2 REDIS_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python bench/bench_bulk_and_webhooks.py [--credentials 10000] [--events 10000]

At the seed's scale (issue 13's figure: 10,000 ids among 300,000 credentials, on PostgreSQL),
after ``manage.py generate_scale_data``, padding the table to 300,000 credentials, against
main checked out in a worktree of its own (with its own venv and a copy of the database):

    DATABASE_URL=.../emp_scale_branch REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/bench_bulk_and_webhooks.py --events 0 --pad-to 300000 \\
        --main-worktree /work/wt-main --main-database-url .../emp_scale_main
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_SLUG = "bench-bulk"
COPY_ISSUER = "bench-copies"  # copies go in a status list of their own


def ensure_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def credentials(count: int, real: int) -> list[str]:
    """IDs of ``count`` credentials of the bench certification: ``real`` issued by the real
    service (the first time; reused after), the rest copies of their rows under new IDs.

    Issuing costs a status-list allocation and a signature each (a few per second on a busy
    2-core machine), so 10,000 real ones take too long to make. A copy carries an original's
    signed document (in a status list of its own), so verifying it is the same work: the
    document canonicalised and its proof checked, cached under the copy's own ID."""
    from assessments.models import Certification, CertificationDecision
    from certification.models import Credential, StatusList
    from certification.services import credential_issue
    from certification.vc.status_list import LIST_SIZE
    from tests.factories import UserFactory

    certification, _ = Certification.objects.get_or_create(
        slug=BENCH_SLUG,
        defaults={"name": "Bench specialist", "cut_score": 70, "validity_days": 730},
    )
    mine = Credential.objects.filter(certification=certification)
    originals = list(mine.exclude(status_list__issuer=COPY_ISSUER).order_by("issued_at")[:real])
    started = time.perf_counter()
    for _ in range(real - len(originals)):
        decision = CertificationDecision.objects.create(
            user=UserFactory(email=f"bench-{uuid.uuid4().hex}@bench.test"),
            certification=certification,
            outcome="pass",
            critical_passed=True,
            total=85,
            cut_score=70,
        )
        originals.append(credential_issue(decision_id=decision.pk))
    if time.perf_counter() - started > 1:
        print(f"issued real credentials in {time.perf_counter() - started:.1f} s (once)")
    copies = mine.filter(status_list__issuer=COPY_ISSUER)
    copy_list = StatusList.objects.filter(issuer=COPY_ISSUER).first()
    if copy_list is None:
        copy_list = StatusList.objects.create(issuer=COPY_ISSUER, bits=bytes(LIST_SIZE // 8))
    needed = max(0, count - len(originals) - copies.count())
    start = copies.count()
    decisions = CertificationDecision.objects.bulk_create(
        [
            CertificationDecision(
                user_id=originals[n % len(originals)].holder_id,
                certification=certification,
                outcome="pass",
                critical_passed=True,
                total=85,
                cut_score=70,
            )
            for n in range(needed)
        ],
        batch_size=2000,
    )
    rows = []
    for n, decision in enumerate(decisions):
        row = originals[n % len(originals)]
        rows.append(
            Credential(
                decision=decision,
                holder_id=row.holder_id,
                certification=certification,
                document=row.document,
                signing_key_id=row.signing_key_id,
                status_list=copy_list,
                status_index=start + n,
                valid_from=row.valid_from,
                valid_until=row.valid_until,
            )
        )
    Credential.objects.bulk_create(rows, batch_size=2000)
    _seal(mine)
    ids = [str(c.pk) for c in originals]
    ids += [str(pk) for pk in copies.values_list("pk", flat=True)]
    return ids[:count]


def _seal(credentials) -> None:
    """Seal the bench's credentials as issuance seals what it signs (``proof_seal``: absent on
    main, where there is nothing to do). Every run, not measured: a seal written by an older
    version of the code would not match, and the cold figure would be the full check's."""
    try:
        from certification import proof_seal
    except ImportError:
        return
    from django.db import transaction

    from certification.models import Credential

    started = time.perf_counter()
    rows = credentials.values_list("pk", "signing_key_id", proof_seal.stored_text())
    sealed = [
        Credential(pk=pk, proof_seal=proof_seal.compute(pk=pk, signing_key_id=key, text=text))
        for pk, key, text in rows.iterator(2000)
    ]
    with transaction.atomic():
        Credential.objects.bulk_update(sealed, ["proof_seal"], batch_size=2000)
    print(f"sealed {len(sealed)} bench credentials in {time.perf_counter() - started:.1f} s")


def pad(total: int) -> None:
    """Stub credentials (as ``generate_scale_data`` makes them) until the table holds ``total``,
    so the lookups run against a table at the seed's scale."""
    from assessments.models import Certification, CertificationDecision
    from certification.models import Credential, StatusList
    from certification.vc.status_list import LIST_SIZE
    from tests.factories import UserFactory

    have = Credential.objects.count()
    if have >= total:
        print(f"credentials in the table: {have:,}")
        return
    started = time.perf_counter()
    certification, _ = Certification.objects.get_or_create(
        slug="bench-padding",
        defaults={"name": "Bench padding", "cut_score": 70, "validity_days": 730},
    )
    holder = UserFactory(email=f"bench-pad-{uuid.uuid4().hex}@bench.test")
    now = time.time()
    from datetime import UTC, datetime, timedelta

    valid_from = datetime.fromtimestamp(now, UTC)
    while have < total:
        batch = min(5000, total - have)
        status_list = StatusList.objects.create(issuer="bench-padding", bits=bytes(LIST_SIZE // 8))
        decisions = CertificationDecision.objects.bulk_create(
            [
                CertificationDecision(
                    user=holder,
                    certification=certification,
                    outcome="pass",
                    critical_passed=True,
                    total=85,
                    cut_score=70,
                )
                for _ in range(batch)
            ]
        )
        Credential.objects.bulk_create(
            [
                Credential(
                    decision=decision,
                    holder=holder,
                    certification=certification,
                    document={"synthetic": True},
                    signing_key_id="synthetic",
                    status_list=status_list,
                    status_index=n,
                    valid_from=valid_from,
                    valid_until=valid_from + timedelta(days=730),
                )
                for n, decision in enumerate(decisions)
            ],
            batch_size=2000,
        )
        have += batch
    print(f"padded the table to {have:,} credentials in {time.perf_counter() - started:.0f} s")


def clear_caches() -> None:
    from django.core.cache import cache

    from certification import selectors

    cache.clear()
    selectors._proof_memory.clear()
    selectors._bits_cache.clear()


def bench_bulk(ids: list[str]) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from certification import bulk
    from certification.throttling import BulkVerifyThrottle

    settings.BULK_VERIFY_MAX_ITEMS = max(settings.BULK_VERIFY_MAX_ITEMS, len(ids))
    BulkVerifyThrottle.THROTTLE_RATES = {"verify_bulk": None, "employer_verify_bulk": None}
    clear_caches()
    for label in ("cold", "warm"):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            results = bulk.verify_many(ids)
            elapsed = time.perf_counter() - started
        valid = sum(r["verified"] for r in results)
        print(
            f"bulk verify {len(ids):6d} ids, {label} caches: {elapsed:6.2f} s "
            f"({len(queries)} queries, {valid} valid)"
        )
    client = Client()
    url, headers = _api(settings)
    settings.REQUEST_BODY_LIMITS = {**settings.REQUEST_BODY_LIMITS, url: 8 * 1024 * 1024}
    client.post(  # the first request of a process imports every app's URLs: not measured
        url, {"credentials": ids[:1]}, content_type="application/json", headers=headers
    )
    for label in ("cold", "warm"):
        if label == "cold":
            clear_caches()
        started = time.perf_counter()
        response = client.post(
            url, {"credentials": ids}, content_type="application/json", headers=headers
        )
        elapsed = time.perf_counter() - started
        print(
            f"bulk verify API {len(ids):6d} ids, {label}:   {elapsed:6.2f} s "
            f"(HTTP {response.status_code}, {len(response.content) // 1024} KB, {url})"
        )


def _api(settings) -> tuple[str, dict]:
    """The bulk endpoint that takes 10,000 items: the employers' with an API key where it
    exists (this branch), else the anonymous one (main, where it took 10,000 too)."""
    try:
        from employers import services
        from employers.models import Employer
    except ImportError:
        return "/api/v1/credentials/verify/bulk", {}
    from accounts.models import Role
    from tests.factories import UserFactory

    admin = UserFactory(email=f"bench-{uuid.uuid4().hex}@bench.test", role=Role.PROGRAMME_ADMIN)
    employer = Employer.objects.filter(slug="bench-employer").first() or services.employer_create(
        actor=admin, name="Bench employer", slug="bench-employer"
    )
    _, key = services.api_key_create(actor=admin, employer=employer, name="bench")
    return "/api/v1/employers/verify/bulk", {"Authorization": f"Api-Key {key}"}


FIGURE = re.compile(r"bulk verify (API )?\s*(\d+) ids, (cold|warm)[^:]*:\s+([\d.]+) s")


def figures_of(output: str) -> dict[str, float]:
    """{"cold": s, "warm": s, "API cold": s, "API warm": s} from this script's output."""
    return {
        f"{'API ' if api else ''}{label}": float(seconds)
        for api, _, label, seconds in FIGURE.findall(output)
    }


def run_main(worktree: str, database_url: str, count: int) -> dict[str, float]:
    """Main's own copy of this script, on main's code and its own database, in a subprocess."""
    root = Path(worktree)
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [str(root / ".venv/bin/python"), "bench/bench_bulk_and_webhooks.py"]
    command += ["--credentials", str(count), "--events", "0"]
    output = subprocess.run(
        command, cwd=root, env=env, capture_output=True, text=True, check=True
    ).stdout
    print("main:\n" + "".join(f"  {line}\n" for line in output.splitlines()), end="")
    return figures_of(output)


def receiver(secret_box: dict, counts: dict):
    from http.server import BaseHTTPRequestHandler

    from certification.webhooks import signing

    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            try:
                signing.verify(secret_box["secret"], body, self.headers[signing.HEADER])
                ok = True
            except signing.SignatureError:
                ok = False
            with lock:
                counts["good" if ok else "bad"] += 1
            self.send_response(204 if ok else 400)
            self.end_headers()

        def log_message(self, *args):
            pass

    return Handler


def bench_webhooks(events: int, workers: int) -> None:
    from django.conf import settings
    from django.db import transaction

    from accounts.models import Role
    from certification.models import Credential
    from certification.webhook_models import WebhookDelivery, WebhookSubscription
    from certification.webhooks import services as webhooks
    from tests.factories import UserFactory

    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE = True
    counts, box = {"good": 0, "bad": 0}, {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), receiver(box, counts))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    WebhookSubscription.objects.filter(url__startswith="http://127.0.0.1").update(
        deleted_at=time.strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    admin = UserFactory(email=f"bench-{uuid.uuid4().hex}@bench.test", role=Role.PROGRAMME_ADMIN)
    subscription, box["secret"] = webhooks.webhook_subscribe(
        user=admin,
        url=f"http://127.0.0.1:{server.server_port}/hook",
        events=["suspended"],
        organisation_slug=None,
    )
    credential = Credential.objects.filter(certification__slug=BENCH_SLUG).first()
    worker = None
    eager = settings.CELERY_TASK_ALWAYS_EAGER
    if not eager:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                str(workers),
                "-Q",
                settings.CELERY_DEFAULT_QUEUE,
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env={**os.environ, "WEBHOOK_ALLOW_HTTP": "true", "WEBHOOK_ALLOW_PRIVATE": "true"},
            start_new_session=True,
        )
        time.sleep(5)  # the worker's start-up is not what is measured
    try:
        started = time.perf_counter()
        with transaction.atomic():
            for _ in range(events):
                webhooks.credential_event(credential=credential, event="suspended")
        recorded = time.perf_counter() - started
        pending = WebhookDelivery.objects.filter(
            subscription=subscription, status=WebhookDelivery.Status.PENDING
        )
        while pending.exists():
            time.sleep(0.2)
        drained = time.perf_counter() - started
    finally:
        if worker:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(30)
        server.shutdown()
    delivered = subscription.deliveries.filter(status="delivered").count()
    how = "in this process (no broker)" if eager else f"{workers} worker processes"
    print(
        f"webhook burst {events} events: recorded in {recorded:5.1f} s, all delivered after "
        f"{drained:5.1f} s by {how} ({delivered} delivered, receiver: {counts['good']} good "
        f"signatures, {counts['bad']} bad)"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--credentials", type=int, default=10_000)
    parser.add_argument("--real", type=int, default=200, help="of them, really issued")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pad-to", type=int, default=0, help="credentials in the table, at least")
    parser.add_argument("--main-worktree", help="a checkout of main with its own .venv")
    parser.add_argument("--main-database-url", help="main's own database (a copy of this one)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    print(f"database: {connection.vendor}; broker: {os.environ.get('REDIS_URL') or 'none'}")
    if args.pad_to:
        pad(args.pad_to)
    ids = credentials(args.credentials, min(args.real, args.credentials))
    main_figures = None
    if args.main_worktree:
        main_figures = run_main(args.main_worktree, args.main_database_url, args.credentials)
        print("this branch:")
    import contextlib
    import io

    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        bench_bulk(ids)
    print(captured.getvalue(), end="")
    if main_figures:
        mine = figures_of(captured.getvalue())
        for name in ("cold", "warm", "API cold", "API warm"):
            if name in mine and name in main_figures:
                print(
                    f"ratio main / branch, {name:8s}: {main_figures[name] / mine[name]:6.1f}x "
                    f"({main_figures[name]:.2f} s -> {mine[name]:.2f} s)"
                )
    if args.events:
        bench_webhooks(args.events, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
