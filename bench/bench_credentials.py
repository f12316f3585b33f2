"""Credential benchmark: issuing, and verifying through the HTTP API on a local gunicorn.

Prints:
  * credentials issued per second on one core (sign only, and the full service: allocate a
    status-list index, build, sign, insert, audit);
  * requests per second with p50/p99 latency on a local gunicorn (2 sync workers) for
    /healthz (a trivial JSON view: the framework's own ceiling), the by-ID verification API
    (/api/v1/credentials/verify/<id>, cycling over many credentials) and the upload
    verification API (POST a signed credential: full eddsa-rdfc-2022 verification each time).

The load generator is a few client processes on the same machine, so the absolute figures
include its cost; the ratio to /healthz is the figure to watch. Uses DATABASE_URL when set
(a PostgreSQL database is created for the run and dropped afterwards when it points at a
server), else a temporary SQLite file.

BENCH_SETTINGS names another settings module to measure a configuration change (e.g. one that
turns CONN_HEALTH_CHECKS off), with PYTHONPATH pointing at it.

Run: `.venv/bin/python bench/bench_credentials.py [--issue N] [--seconds S] [--rounds R]`
     e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/...
"""

import argparse
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare_env(tmp: Path, database_url: str | None) -> tuple[dict, str | None]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("BENCH_SETTINGS", "config.settings.local"),
        "DEBUG": "false",
        "PRACTICA_VAR_DIR": str(tmp),
        "CREDENTIAL_KEYS_DIR": str(tmp / "keys"),
        "CREDENTIAL_ISSUER_METHOD": "did:key",
        "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
        "THROTTLE_VERIFY": "100000000/minute",
        "THROTTLE_ANON": "100000000/minute",
        "SECRET_KEY": "bench-only-not-secret",
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": "600",
    }
    # The shared cache (Redis, as in production) when REDIS_URL is set; else each worker
    # process has its own in-memory cache. Tasks never run here (issuing is called directly).
    env.pop("CELERY_BROKER_URL", None)
    dropped = None
    if database_url and database_url.startswith("postgres"):
        import psycopg

        name = f"bench_credentials_{os.getpid()}"
        base, _, _ = database_url.rpartition("/")
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = f"{base}/{name}"
        dropped = name
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return env, dropped


def _drop(database_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _issue_phase(count: int) -> list[str]:
    """In this process (one core): sign-only and full issuance rates. Returns credential ids."""
    import django

    django.setup()
    from assessments.models import Certification, CertificationDecision
    from certification import documents, keys
    from certification.services import credential_issue
    from certification.vc import eddsa
    from tests.factories import UserFactory

    certification = Certification.objects.create(
        slug="bench-specialist",
        name="AI Deployment Specialist: Finance Operations",
        criteria="Every critical checkpoint and 70% overall.",
        blueprint=[
            {"id": "risk-controls", "name": "Risk and controls", "weight": 0.4},
            {"id": "human-oversight", "name": "Human oversight", "weight": 0.3},
            {"id": "process-design", "name": "Process design", "weight": 0.3},
        ],
        cut_score=70,
        validity_days=730,
    )
    decisions = [
        CertificationDecision.objects.create(
            user=UserFactory(),
            certification=certification,
            outcome="pass",
            critical_passed=True,
            total=80 + i % 20,
            cut_score=70,
            domain_scores={"risk-controls": 90.0, "human-oversight": 80.0, "process-design": 75},
        )
        for i in range(count)
    ]
    first = credential_issue(decision_id=decisions[0].pk)  # warms keys, contexts, the list
    key = keys.active_key()
    unsigned = {k: v for k, v in first.document.items() if k != "proof"}
    method = keys.verification_method(key)
    started = time.perf_counter()
    for _ in range(count):
        eddsa.sign(unsigned, key.private, verification_method=method)
    sign_rate = count / (time.perf_counter() - started)

    started = time.perf_counter()
    ids = [str(first.pk)]
    for decision in decisions[1:]:
        ids.append(str(credential_issue(decision_id=decision.pk).pk))
    issue_rate = (count - 1) / (time.perf_counter() - started)
    print(f"issue: sign only      {sign_rate:8.0f} credentials/s on one core")
    print(f"issue: full service   {issue_rate:8.0f} credentials/s on one core ({count} issued)")
    assert documents.credential_url(first.pk)
    return ids


def _request(port: int, raw: bytes) -> tuple[int, float]:
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(raw)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    elapsed = time.perf_counter() - started
    status = int(b"".join(chunks[:1])[9:12] or 0)
    return status, elapsed


def _client(port: int, requests: list[bytes], seconds: float, queue) -> None:
    latencies, errors, i = [], 0, 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        status, elapsed = _request(port, requests[i % len(requests)])
        i += 1
        if status != 200:
            errors += 1
        latencies.append(elapsed)
    queue.put((latencies, errors))


def _load(port: int, requests: list[bytes], seconds: float, clients: int) -> dict:
    # Warm up: every distinct request a few times, so both workers have their connections
    # and (without a shared cache) their own cached results; steady state is what is measured.
    for raw in requests[:1000] * 3:
        _request(port, raw)
    queue = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(target=_client, args=(port, requests, seconds, queue))
        for _ in range(clients)
    ]
    started = time.perf_counter()
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    wall = time.perf_counter() - started
    for p in procs:
        p.join()
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = sum(e for _, e in results)
    return {
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "n": len(latencies),
        "errors": errors,
    }


def _get(path: str) -> bytes:
    return f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode()


def _post_json(path: str, body: dict) -> bytes:
    data = json.dumps(body).encode()
    head = (
        f"POST {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\n\r\n"
    )
    return head.encode() + data


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--issue", type=int, default=300, help="credentials to issue")
    parser.add_argument("--seconds", type=float, default=4.0, help="per endpoint and round")
    parser.add_argument("--clients", type=int, default=4, help="load-generator processes")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        env, created_db = _prepare_env(tmp, database_url)
        server = None
        try:
            subprocess.run(
                [PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
            )
            engine = "PostgreSQL" if created_db else "SQLite"
            cache_kind = "Redis" if env.get("REDIS_URL") else "per-process memory"
            print(
                f"database: {engine}; cache: {cache_kind}; gunicorn: 2 sync workers; "
                f"{args.clients} client processes"
            )
            os.environ.update(env)
            sys.path.insert(0, str(ROOT))
            ids = _issue_phase(args.issue)

            port = _free_port()
            server = subprocess.Popen(
                [
                    PY,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "--workers",
                    "2",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
            )
            deadline = time.time() + 30
            while time.time() < deadline:
                try:
                    if _request(port, _get("/healthz"))[0] == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            from certification.models import Credential

            document = Credential.objects.get(pk=ids[0]).document
            runs = [
                ("GET /healthz (ceiling)", [_get("/healthz")], args.seconds),
                (
                    "GET verify by id",
                    [_get(f"/api/v1/credentials/verify/{i}") for i in ids],
                    args.seconds,
                ),
                (
                    "POST verify upload",
                    [_post_json("/api/v1/credentials/verify", document)],
                    args.seconds,
                ),
            ]
            # Rounds alternate the endpoints, so that load from elsewhere on the machine hits
            # them alike; each figure is the best round (as bench_engine reports best of N).
            by_name: dict[str, list[dict]] = {name: [] for name, _, _ in runs}
            for _ in range(args.rounds):
                for name, requests, seconds in runs:
                    by_name[name].append(_load(port, requests, seconds, args.clients))
            print(f"best of {args.rounds} alternating rounds of {args.seconds:g} s each")
            print(f"{'endpoint':<26} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
            figures = {}
            for name, rounds in by_name.items():
                r = figures[name] = max(rounds, key=lambda x: x["rps"])
                errors = sum(x["errors"] for x in rounds)
                print(f"{name:<26} {r['rps']:8.0f} {r['p50']:8.2f} {r['p99']:8.2f} {errors:7d}")
            ratio = figures["GET /healthz (ceiling)"]["rps"] / figures["GET verify by id"]["rps"]
            print(f"by-id verification is {ratio:.2f}x below the ceiling (aim: within 2x)")
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=10)
            if created_db and database_url:
                from django.db import connections

                connections.close_all()
                _drop(database_url, created_db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
