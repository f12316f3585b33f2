"""How long `make run` spends loading the demo data (docs/demo.md), on a fresh SQLite database.

Prints, each as wall seconds and CPU seconds of the process (user + system):
  * publishing the scenario packs and creating the exams (``demo.exams``: every pack's rubric
    self-test over 30 seeds, the bulk of a first load);
  * everything else of a first ``load_demo_data`` (the walkthrough's people and the cohort's
    two years: ``demo.cohort``, ``demo.quality``, ``demo.partners``);
  * a second ``load_demo_data`` on the same database (idempotent: finds everything in place).

Each step runs in its own process, as `make run` runs the command. On a shared machine the wall
times grow with the load average (printed); the CPU seconds do not.

    .venv/bin/python bench/bench_demo.py
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(step: str, args: list[str], env: dict) -> None:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"{step:<44} {wall:7.1f} s wall {cpu:7.1f} s CPU", flush=True)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")},
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DEBUG": "true",
            "PYTHONWARNINGS": "ignore",
        }
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        run("migrate (not part of the demo)", ["manage.py", "migrate", "--noinput"], env)
        run(
            "publish the packs, create the exams",
            [
                "manage.py",
                "shell",
                "-c",
                "from demo.exams import load_exams, load_scenarios; load_scenarios(); load_exams()",
            ],
            env,
        )
        run("load_demo_data: people, the cohort, figures", ["manage.py", "load_demo_data"], env)
        run("load_demo_data again (nothing to do)", ["manage.py", "load_demo_data"], env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
