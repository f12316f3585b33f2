"""`make help` prints the targets with the real port, not a literal $(PORT)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(("env", "port"), [({}, "8000"), ({"PORT": "8080"}, "8080")])
def test_make_help_prints_the_port_the_server_will_use(env, port, monkeypatch):
    monkeypatch.delenv("PORT", raising=False)
    out = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
        timeout=30,
        check=True,
    ).stdout
    run_line = next(line for line in out.splitlines() if line.strip().startswith("make run "))
    assert f"http://127.0.0.1:{port}" in run_line and "$(" not in out
