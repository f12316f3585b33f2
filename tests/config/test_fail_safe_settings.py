"""Fail-safe defaults: the server entry points start on production settings unless told
otherwise, DEBUG is off unless asked for, and production settings write nothing at import."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_LIKE = {
    "SECRET_KEY": "z" * 60,
    "DATABASE_URL": "postgres://practica@db.internal:5432/practica",
    "REDIS_URL": "redis://cache.internal:6379/0",
}

REPORT = (
    "import json, os; from django.conf import settings; "
    "print(json.dumps({'module': os.environ['DJANGO_SETTINGS_MODULE'], 'debug': settings.DEBUG}))"
)


def _python(code: str, tmp_path, **extra: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter whose environment names no settings module, no
    DEBUG and a var/ folder that does not exist yet."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DJANGO_SETTINGS_MODULE",
            "DEBUG",
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
        and not k.startswith("CELERY_")
    }
    env.update(PRACTICA_VAR_DIR=str(tmp_path / "var"), **extra)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "entry_point",
    [
        "import config.wsgi",
        "import config.asgi",
        "from config.celery import app; app.loader.import_default_modules()",
    ],
)
def test_server_entry_points_default_to_production_settings(entry_point, tmp_path):
    result = _python(f"{entry_point}; {REPORT}", tmp_path, **PRODUCTION_LIKE)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "module": "config.settings.production",
        "debug": False,
    }


def test_a_server_started_without_configuration_refuses_to_start(tmp_path):
    result = _python("import config.wsgi", tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_manage_py_runs_with_debug_off_unless_asked(tmp_path):
    code = f"import sys; sys.argv = ['manage.py', 'shell', '-c', {REPORT!r}]; " + (
        "import runpy; runpy.run_path('manage.py', run_name='__main__')"
    )
    quiet = _python(code, tmp_path)
    asked = _python(code, tmp_path, DEBUG="true")
    assert quiet.returncode == 0, quiet.stderr
    assert json.loads(quiet.stdout.splitlines()[-1]) == {
        "module": "config.settings.local",
        "debug": False,
    }
    assert json.loads(asked.stdout.splitlines()[-1])["debug"] is True


def test_production_settings_write_no_files_at_import(tmp_path):
    with_config = _python(
        "import django; django.setup()",
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        **PRODUCTION_LIKE,
    )
    without_key = _python(
        "import django; django.setup()",
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.production",
    )
    assert with_config.returncode == 0, with_config.stderr
    assert without_key.returncode != 0
    assert not (tmp_path / "var").exists()


def test_development_settings_keep_their_files_under_var(tmp_path):
    result = _python(
        "import django; django.setup()", tmp_path, DJANGO_SETTINGS_MODULE="config.settings.local"
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0
