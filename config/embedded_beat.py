"""The periodic schedule without a broker, for the embedded mode (`make run` with no Redis).

With Redis, Celery beat sends ``CELERY_BEAT_SCHEDULE``'s tasks to the workers. Without it
nothing would: attempts would never be expired at their deadline, lost work never re-sent. So
``scripts/run.py`` starts this module beside the web server (``python -m config.embedded_beat``),
and it runs the same schedule's tasks in its own process, each at its interval. Tasks run
eagerly (``CELERY_TASK_ALWAYS_EAGER`` is on without a broker), so what they send runs here too.
"""

import contextlib
import logging
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)


class Schedule:
    """The beat schedule's entries (``{name: {"task": ..., "schedule": seconds}}``) and when each
    last ran, on a monotonic clock. Every entry is due at the start."""

    def __init__(self, entries: dict):
        self.entries = {
            name: (entry["task"], float(entry["schedule"])) for name, entry in entries.items()
        }
        self.last_run: dict[str, float] = {}

    def due(self, now: float) -> list[str]:
        return [
            name
            for name, (_task, every) in self.entries.items()
            if name not in self.last_run or now - self.last_run[name] >= every
        ]

    def run_due(self, now: float, run: Callable[[str], object]) -> list[str]:
        """Run every due entry's task with ``run(task_name)``; a failing task is logged and
        tried again at its next interval, never stopping the others."""
        ran = []
        for name in self.due(now):
            self.last_run[name] = now
            task, every = self.entries[name]
            try:
                run(task)
            except Exception:
                logger.exception("embedded beat: %s failed; tried again in %gs", task, every)
            ran.append(name)
        return ran


def run_task(task_name: str) -> object:
    """Run one registered task in this process and return its result (raising its error)."""
    from config.celery import app

    app.loader.import_default_modules()  # registers every app's tasks (autodiscovery)
    return app.tasks[task_name].apply(throw=True).get()


def serve(stop: threading.Event, *, tick: float = 1.0) -> None:
    """Run the schedule until ``stop`` is set."""
    from django.conf import settings

    schedule = Schedule(settings.CELERY_BEAT_SCHEDULE)
    while not stop.is_set():
        for name in schedule.run_due(time.monotonic(), run_task):
            logger.debug("embedded beat: ran %s", name)
        stop.wait(tick)


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from django.conf import settings

    if not settings.CELERY_TASK_ALWAYS_EAGER:
        raise SystemExit("A broker is configured: run Celery beat instead (celery -A config).")
    logger.info("embedded beat: running %s in-process", ", ".join(settings.CELERY_BEAT_SCHEDULE))
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C in `make run` stops it quietly
        serve(threading.Event())


if __name__ == "__main__":
    main()
