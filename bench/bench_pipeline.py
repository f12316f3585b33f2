"""Grading pipeline benchmark: a burst of submissions through real PostgreSQL, Redis and Celery
worker processes, next to the engine alone on the same cores, in the same run.

What it does:
1. creates a throwaway database ``practica_bench_<pid>`` (dropped at the end) and uses queue
   names with a unique prefix, so it never touches anyone else's data or messages;
2. publishes the scenario pack, creates an exam and N candidates, starts N attempts (each with
   its own variant seed) and saves a realistic design for each: the pack's exemplar, resolved for
   that attempt's variant;
3. engine alone: grades the same N (seed, design) pairs in a pool of fresh interpreters that
   import only the engine, one per core, and times it (the ceiling the pipeline is compared
   with);
4. one job at a time in this process: the grading task's service against the engine alone, so
   the pipeline's own cost a job is measured free of contention;
5. pipeline: starts one Celery worker with one pool process per core, submits all N attempts at
   once (validation, the conditional UPDATE, job rows, audit rows, enqueue after commit), and
   waits until every job has its report;
6. prints submit-to-report latency p50/p95, designs graded per minute, the pipeline's throughput
   as a percentage of the engine alone, and the overhead per job.

Needs PostgreSQL on 127.0.0.1:5432 (trust auth, user postgres) and Redis on 127.0.0.1:6379, or
``--pg`` / ``--redis`` URLs. Run: ``.venv/bin/python bench/bench_pipeline.py [-n 500]``.
"""

import argparse
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PACK = "ap-invoice-processing"
DESIGN = "agent-extraction-with-callback"


def _grade_one(args: tuple[int, dict]) -> float:
    """Engine alone, in a pool process: grade one design for its variant, return seconds."""
    from scenarios.engine import grade, load_pack

    global _PACK_CACHE
    try:
        pack = _PACK_CACHE
    except NameError:
        pack = _PACK_CACHE = load_pack(ROOT / "scenarios" / "packs" / PACK)
    seed, design = args
    started, cpu = time.perf_counter(), time.process_time()
    grade(pack, seed, design).to_dict()
    return time.perf_counter() - started, time.process_time() - cpu


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _worker_pids(parent: int) -> list[int]:
    """The Celery parent and its pool processes."""
    pids = [parent]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return pids


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def _create_database(pg_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_database(pg_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _clean_redis(redis_url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)


def _start_worker(env: dict, prefix: str, workers: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
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
            f"{prefix}grading,{prefix}default",
            "--hostname",
            f"bench-{os.getpid()}@%h",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_ready(proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    from config.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the worker exited at start; see {log}")
        replies = app.control.ping(timeout=0.5) or []
        if any(name.startswith(f"bench-{os.getpid()}@") for reply in replies for name in reply):
            return
    raise SystemExit(f"the worker did not answer within {timeout}s; see {log}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="submissions in the burst")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="pool processes")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--submit-threads", type=int, default=8)
    parser.add_argument(
        "--settings",
        default="config.settings.production",
        help="settings module for this process and the workers (on PYTHONPATH)",
    )
    args = parser.parse_args()

    pid = os.getpid()
    db_name = f"practica_bench_{pid}"
    prefix = f"bench{pid}."
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": args.settings,
        "SECRET_KEY": f"bench-only-{pid}-not-a-secret-{os.urandom(8).hex()}",
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"{args.pg}/{db_name}",
        "REDIS_URL": args.redis,
        "CELERY_BROKER_URL": args.redis,
        "CELERY_QUEUE_PREFIX": prefix,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    log = ROOT / "var" / f"bench-worker-{pid}.log"
    log.parent.mkdir(exist_ok=True)
    _create_database(args.pg, db_name)
    worker = None
    try:
        import django

        django.setup()
        worker = run(args, env, prefix, log)
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        from django.db import connections

        connections.close_all()
        _drop_database(args.pg, db_name)
        _clean_redis(args.redis, prefix)


def _inline(exam, version, pack, *, n_each: int) -> tuple[float, float]:
    """Mean seconds a job: the engine alone, and ``grading_job_run`` (engine included), one
    job at a time, alternating, each on its own attempts (the engine caches per seed)."""
    from unittest import mock

    from accounts.models import User
    from assessments.models import GradingJob
    from assessments.services.attempts import attempt_start, attempt_submit
    from assessments.services.grading import grading_job_run
    from scenarios import engine
    from scenarios.engine.selftest import design_of

    jobs, pairs = [], []
    with mock.patch("assessments.services.jobs.send_after_commit"):  # not on the queue
        for i in range(2 * n_each):
            user = User.objects.create(email=f"inline{i}@bench.test")
            attempt, _ = attempt_start(candidate=user, exam=exam)
            design = design_of(pack.resolve(engine.draw_variant(pack, attempt.seed)), DESIGN)
            if i % 2:
                attempt_submit(attempt=attempt, designs={version.pk: design})
                jobs.append(str(GradingJob.objects.get(attempt=attempt).pk))
            else:
                pairs.append((attempt.seed, design))
    grading_job_run(job_id=jobs.pop())  # warm: imports, the pack cache
    engine.grade(pack, *pairs.pop())
    engine_times, task_times = [], []
    for job_id, (seed, design) in zip(jobs, pairs, strict=True):
        started = time.perf_counter()
        engine.grade(pack, seed, design).to_dict()
        engine_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert grading_job_run(job_id=job_id) == "graded"
        task_times.append(time.perf_counter() - started)
    return statistics.mean(engine_times), statistics.mean(task_times)


def run(args, env: dict, prefix: str, log: Path) -> subprocess.Popen:
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from assessments.models import Attempt, Certification, Exam, ExamScenario, GradingJob
    from assessments.services.attempts import attempt_autosave, attempt_start, attempt_submit
    from scenarios import engine
    from scenarios.engine.selftest import design_of
    from scenarios.selectors import pack_for_version
    from scenarios.services import PACKS_DIR, scenario_version_publish

    n, workers = args.n, args.workers
    print(
        f"pipeline benchmark: {n} submissions of {PACK!r} / {DESIGN!r}, {workers} worker process(es)"
    )
    call_command("migrate", verbosity=0)
    version, _ = scenario_version_publish(pack=engine.load_pack(PACKS_DIR / PACK))
    certification = Certification.objects.create(slug="bench", name="Bench", cut_score=70)
    exam = Exam.objects.create(
        slug="bench", title="Bench", certification=certification, max_attempts=3
    )
    ExamScenario.objects.create(exam=exam, scenario_version=version, position=1)
    users = User.objects.bulk_create(
        [User(email=f"bench{i}@bench.test", full_name=f"Bench {i}") for i in range(n)]
    )
    pack = pack_for_version(version)
    attempts, pairs = [], []
    for user in users:
        attempt, _ = attempt_start(candidate=user, exam=exam)
        design = design_of(pack.resolve(engine.draw_variant(pack, attempt.seed)), DESIGN)
        attempt_autosave(attempt=attempt, scenario_version_id=version.pk, design=design)
        attempts.append(attempt)
        pairs.append((attempt.seed, design))

    # 1. The engine alone on the same cores: the ceiling. Fresh interpreters (spawn) that import
    #    only the engine, so nothing of Django or the pipeline is in them.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
        # Start the processes and load the pack, with a seed no attempt uses (no cache hits).
        list(pool.map(_grade_one, [(2**31 + i, pairs[0][1]) for i in range(workers)]))
        started = time.perf_counter()
        measured = list(pool.map(_grade_one, pairs, chunksize=1))
        engine_wall = time.perf_counter() - started
    engine_rate = n / engine_wall
    engine_mean = statistics.mean(wall for wall, _ in measured)
    engine_cpu = statistics.mean(cpu for _, cpu in measured)

    # 2. One job at a time in this process, nothing else running: the task's service (claim,
    #    grade, store the report, audit, open the human items) next to the engine alone on
    #    other attempts of the same kind. The difference is the pipeline's own cost a job,
    #    free of the contention the burst below adds on a small machine.
    inline_engine, inline_task = _inline(exam, version, pack, n_each=min(40, n))

    # 3. The pipeline.
    worker = _start_worker(env, prefix, workers, log)
    _wait_ready(worker, log)
    connection.close()
    worker_pids = _worker_pids(worker.pid)
    cpu_before = {pid: _cpu_seconds(pid) for pid in worker_pids}

    def submit(attempt):
        from django.db import connection as thread_connection

        try:
            attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk))
        finally:
            thread_connection.close()

    burst_started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.submit_threads) as pool:
        list(pool.map(submit, attempts))
    submit_wall = time.perf_counter() - burst_started
    from django.utils import timezone

    burst_end = timezone.now()
    deadline = time.monotonic() + max(120, 20 * engine_wall)
    burst_jobs = GradingJob.objects.filter(attempt__in=[a.pk for a in attempts])
    while burst_jobs.filter(status="done").count() < n:
        if time.monotonic() > deadline:
            raise SystemExit(f"not every job finished in time; see {log}")
        time.sleep(0.2)
    burst_wall = time.perf_counter() - burst_started
    # CPU the pipeline used: the worker processes, and the database backends serving them (the
    # submissions' own connections were closed after each submit: that is web-tier work).
    worker_cpu = sum(_cpu_seconds(pid) - cpu_before[pid] for pid in worker_pids)
    parent_cpu = _cpu_seconds(worker.pid) - cpu_before[worker.pid]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        backend_pids = [row[0] for row in cursor.fetchall()]
    db_cpu = sum(_cpu_seconds(pid) for pid in backend_pids)
    if not backend_pids:
        print(
            "  (the workers closed their database connections after each task, as Celery's"
            " Django fixup does unless CELERY_DB_REUSE_MAX is set: database CPU not counted)"
        )
    pipeline_cpu = (worker_cpu + db_cpu) / n

    rows = list(
        burst_jobs.values_list(
            "attempt__submitted_at",
            "started_at",
            "finished_at",
            "report__created_at",
            "runs",
            "engine_seconds",
        )
    )
    latencies = [(r[3] - r[0]).total_seconds() for r in rows]
    in_worker = [(r[2] - r[1]).total_seconds() for r in rows]
    engine_in_worker = [r[5] for r in rows]
    first_start = min(r[1] for r in rows)
    last_finish = max(r[2] for r in rows)
    window = (last_finish - first_start).total_seconds()
    pipeline_rate = n / window
    # Once the burst is in, the web tier's work (validating and saving submissions, here in this
    # process on the same cores) is over: what remains is the grading pipeline alone.
    after = sorted(r[2] for r in rows if r[2] > burst_end)
    steady_rate = (
        (len(after) - 1) / (after[-1] - after[0]).total_seconds() if len(after) > 20 else 0
    )
    per_job_wall = workers * window / n  # seconds of one process per job, everything included
    print()
    print(
        f"  engine alone, {workers} processes:  {engine_rate * 60:8.0f} designs/min"
        f"   ({engine_mean * 1000:.1f} ms a design, mean of {n})"
    )
    print(
        f"  pipeline, {workers} processes:      {pipeline_rate * 60:8.0f} designs/min"
        f"   (first start to last report: {window:.1f} s)"
    )
    print(f"  pipeline / engine alone:       {100 * pipeline_rate / engine_rate:8.1f} %")
    if steady_rate:
        print(
            f"  after the burst was in:        {steady_rate * 60:8.0f} designs/min"
            f"   = {100 * steady_rate / engine_rate:.1f} % of the engine alone"
            f"   ({len(after)} jobs; the submissions no longer share the cores)"
        )
    print(
        f"  overhead a job:                {1000 * (per_job_wall - engine_wall * workers / n):8.1f} ms"
        f"   (process time a job {per_job_wall * 1000:.1f} ms vs engine {engine_wall * workers / n * 1000:.1f} ms)"
    )
    print(
        f"  inside the task: mean {statistics.mean(in_worker) * 1000:.1f} ms, of which the engine"
        f" {statistics.mean(engine_in_worker) * 1000:.1f} ms (claim, store, audit: the rest)"
    )
    print(
        f"  CPU a job: engine alone {engine_cpu * 1000:.1f} ms; pipeline {pipeline_cpu * 1000:.1f} ms"
        f" (pool processes {(worker_cpu - parent_cpu) / n * 1000:.1f}, Celery's parent process"
        f" {parent_cpu / n * 1000:.1f}, database {db_cpu / n * 1000:.1f}):"
        f" throughput on the same cores {100 * engine_cpu / pipeline_cpu:.1f} % of the engine alone"
    )
    print(
        f"  one job at a time, in-process: engine {inline_engine * 1000:.1f} ms, the task's service"
        f" {inline_task * 1000:.1f} ms: pipeline cost {1000 * (inline_task - inline_engine):.1f} ms a job"
    )
    print(
        f"  submit -> report latency:      p50 {_percentile(latencies, 50):.2f} s"
        f"   p95 {_percentile(latencies, 95):.2f} s   max {max(latencies):.2f} s"
    )
    print(
        f"  burst: {n} submits in {submit_wall:.1f} s ({submit_wall / n * 1000:.1f} ms each, "
        f"{args.submit_threads} threads); all graded {burst_wall:.1f} s after the first submit"
    )
    print(f"  jobs run more than once: {sum(1 for r in rows if r[4] != 1)}")
    return worker


if __name__ == "__main__":
    main()
