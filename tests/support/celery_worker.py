"""A real Celery worker process for the integration tier.

The worker runs the project's own code against the test database that pytest-django created
(its name is passed through DATABASE_URL) and the same Redis, consuming queues whose names carry
this test run's prefix, so parallel runs on one machine never take each other's messages.
Tests can kill it (SIGKILL, as the OOM killer would) and start a new one.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


class WorkerProcess:
    def __init__(self, *, concurrency: int = 1, queues: list[str] | None = None):
        self.concurrency = concurrency
        self.queues = queues or [settings.CELERY_GRADING_QUEUE, settings.CELERY_DEFAULT_QUEUE]
        self.proc: subprocess.Popen | None = None
        self.log_path = ROOT / "var" / f"test-worker-{os.getpid()}.log"
        self._starts = 0

    def env(self) -> dict[str, str]:
        db = connection.settings_dict
        user, host = db["USER"] or "postgres", db["HOST"] or "127.0.0.1"
        url = f"postgres://{user}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.test",
            DATABASE_URL=url,
            REDIS_URL=settings.CELERY_BROKER_URL,
            CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
            CELERY_QUEUE_PREFIX=settings.CELERY_QUEUE_PREFIX,
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self, *, wait: float = 30.0) -> "WorkerProcess":
        self._starts += 1
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "a")  # noqa: SIM115 - closed with the process
        hostname = f"test-{os.getpid()}-{self._starts}@%h"
        self.proc = subprocess.Popen(
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
                str(self.concurrency),
                "-Q",
                ",".join(self.queues),
                "--hostname",
                hostname,
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready(hostname.replace("%h", ""), wait)
        return self

    def _wait_ready(self, name_prefix: str, wait: float) -> None:
        from config.celery import app

        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited at start; see {self.log_path}")
            replies = app.control.ping(timeout=0.5) or []
            if any(name.startswith(name_prefix) for reply in replies for name in reply):
                return
        raise RuntimeError(f"worker did not answer a ping within {wait}s; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL the whole process group: main process and pool children, no clean-up."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
