import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_check(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tier's conftest allows async-unsafe access for this process; a deployment
    # never does (check --deploy refuses it), so the child does not inherit it.
    skip = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = _run_check(
        {
            "SECRET_KEY": "x" * 30 + "-production-like-secret-key-value-0123456789",
            "DATABASE_URL": "postgres://practica@db.internal:5432/practica",
            "REDIS_URL": "redis://cache.internal:6379/0",
            "ALLOWED_HOSTS": "practica.example.com",
            "PRACTICA_VAR_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = _run_check(
        {
            "SECRET_KEY": "",
            "DATABASE_URL": "postgres://practica@db.internal:5432/practica",
            "REDIS_URL": "redis://cache.internal:6379/0",
            "PRACTICA_VAR_DIR": str(tmp_path),
        }
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_settings_refuse_sqlite(tmp_path):
    result = _run_check(
        {
            "SECRET_KEY": "y" * 60,
            "REDIS_URL": "redis://cache.internal:6379/0",
            "PRACTICA_VAR_DIR": str(tmp_path),
        }
    )
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr
