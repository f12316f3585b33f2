"""`make run`: migrate, load demo data, print the demo logins, then serve the platform.

With REDIS_URL and DATABASE_URL set, a Celery worker (with the periodic scheduler embedded)
starts beside the web server. Otherwise tasks run in-process, and the periodic schedule (expire
attempts at their deadline, re-send lost work, escalate) runs in a small process of its own
(``config.embedded_beat``), so nothing else is needed.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, check=True)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    # A development server: ask for DEBUG explicitly (the settings default to off).
    os.environ.setdefault("DEBUG", "true")
    port = os.environ.get("PORT", "8000")
    # Credential ids and QR codes are built from the public address: make it this server's.
    os.environ.setdefault("PUBLIC_BASE_URL", f"http://127.0.0.1:{port}")
    manage("migrate", "--noinput")
    manage("load_demo_data", "--print-logins", f"--base-url=http://127.0.0.1:{port}")

    if os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL"):
        prefix = os.environ.get("CELERY_QUEUE_PREFIX", "")
        queues = f"{prefix}grading,{prefix}default"
        print(f"Starting a Celery worker (queues: {queues}; beat embedded)", flush=True)
        command = [
            PY,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-B",
            "--schedule",
            str(ROOT / "var" / "celerybeat-schedule"),
            "--loglevel",
            "INFO",
            "-Q",
            queues,
            "--concurrency",
            str(os.cpu_count() or 2),
        ]
    else:
        print(
            "No REDIS_URL/DATABASE_URL: SQLite database and in-process tasks; the periodic "
            "sweeps (attempt deadlines, lost work) run in config.embedded_beat.",
            flush=True,
        )
        command = [PY, "-m", "config.embedded_beat"]
    worker = subprocess.Popen(command, cwd=ROOT)
    # Stopped by SIGTERM (a process manager, `kill`): unwind like Ctrl-C, so the web server and
    # the worker or periodic process stop with this one instead of being left running.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))

    print(f"\nPractica is running at http://127.0.0.1:{port}/  (Ctrl-C to stop)\n", flush=True)
    try:
        server = subprocess.run(
            [PY, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT
        )
        return server.returncode
    except KeyboardInterrupt:
        return 0
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
