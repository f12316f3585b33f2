"""The embedded mode's periodic schedule (config.embedded_beat) and `make run` starting it."""

import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from config.embedded_beat import Schedule

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = {
    "fast": {"task": "a.tasks.fast", "schedule": 30.0},
    "slow": {"task": "b.tasks.slow", "schedule": 60.0},
}


def test_every_entry_runs_at_the_start_then_at_its_interval():
    schedule = Schedule(ENTRIES)
    ran: list[str] = []

    assert schedule.run_due(100.0, ran.append) == ["fast", "slow"]
    assert schedule.run_due(129.0, ran.append) == []
    assert schedule.run_due(130.0, ran.append) == ["fast"]
    assert schedule.run_due(160.0, ran.append) == ["fast", "slow"]
    assert ran == ["a.tasks.fast", "b.tasks.slow", "a.tasks.fast", "a.tasks.fast", "b.tasks.slow"]


def test_a_failing_task_is_logged_and_does_not_stop_the_others(caplog):
    schedule = Schedule(ENTRIES)
    ran: list[str] = []

    def run(task):
        if task == "a.tasks.fast":
            raise RuntimeError("database is locked")
        ran.append(task)

    assert schedule.run_due(0.0, run) == ["fast", "slow"]
    assert ran == ["b.tasks.slow"]
    assert "a.tasks.fast failed" in caplog.text
    assert schedule.run_due(30.0, run) == ["fast"]  # tried again at its next interval


def _run_script():
    spec = importlib.util.spec_from_file_location("practica_run", ROOT / "scripts" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _environment(monkeypatch, **values: str) -> None:
    """A private copy of the environment for run.py to change (restored after the test)."""
    environ = {
        k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "DEBUG"}
    }
    monkeypatch.setattr(os, "environ", {**environ, **values})


class _Started:
    def __init__(self, command, **kwargs):
        self.command = command
        self.terminated = False

    def poll(self):
        return None

    def send_signal(self, signum):
        self.terminated = True

    def wait(self, timeout=None):
        return 0


@pytest.mark.parametrize(
    ("services", "expected"),
    [
        ({}, ["-m", "config.embedded_beat"]),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/9", "DATABASE_URL": "postgres://x@h/db"},
            ["-m", "celery", "-A", "config", "worker", "-B"],
        ),
    ],
)
def test_make_run_starts_the_periodic_schedule_in_either_mode(monkeypatch, services, expected):
    _environment(monkeypatch, **services)
    run = _run_script()
    started: list[_Started] = []
    ran: list[list[str]] = []

    def popen(command, **kwargs):
        started.append(_Started(command, **kwargs))
        return started[-1]

    def run_command(command, **kwargs):
        ran.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(run.subprocess, "Popen", popen)
    monkeypatch.setattr(run.subprocess, "run", run_command)
    monkeypatch.setattr(run.signal, "signal", lambda signum, handler: None)

    assert run.main() == 0

    assert [s.command[1 : 1 + len(expected)] for s in started] == [expected]
    assert started[0].command[0] == sys.executable
    assert started[0].terminated  # stopped with the web server
    assert any("runserver" in command for command in ran)
    assert os.environ["DEBUG"] == "true"


def test_a_sigterm_to_make_run_stops_the_periodic_process_too(monkeypatch):
    _environment(monkeypatch)
    run = _run_script()
    started: list[_Started] = []
    handlers = {}

    def popen(command, **kwargs):
        started.append(_Started(command, **kwargs))
        return started[-1]

    def run_command(command, **kwargs):
        if "runserver" in command:
            handlers[signal.SIGTERM](signal.SIGTERM, None)  # SIGTERM while serving
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(run.subprocess, "Popen", popen)
    monkeypatch.setattr(run.subprocess, "run", run_command)
    monkeypatch.setattr(
        run.signal, "signal", lambda signum, handler: handlers.update({signum: handler})
    )

    with pytest.raises(SystemExit):
        run.main()

    assert started[0].command[1:] == ["-m", "config.embedded_beat"]
    assert started[0].terminated
