"""Problem ``type`` URLs resolve to a page explaining the code, and every code the apps raise
is explained there."""

import re
import uuid
from pathlib import Path

import pytest

from config.problems import PROBLEMS

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "accounts",
    "assessments",
    "certification",
    "config",
    "scenarios",
    "audit",
    "demo",
    "partners",
    "quality",
]
CODE = re.compile(r"\bcode\s*=\s*\"([a-z][a-z_]+)\"")


def _codes_in_source() -> set[str]:
    codes = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "engine" in path.parts or "migrations" in path.parts:
                continue  # the engine's codes are per-problem codes inside invalid_design
            codes.update(CODE.findall(path.read_text()))
    return codes


def test_every_error_code_raised_in_the_apps_is_explained():
    codes = _codes_in_source()
    assert {"not_found", "invalid_points", "not_a_credential"} <= codes | set(PROBLEMS)
    assert codes - set(PROBLEMS) == set(), "add these codes to config/problems.py"


def test_a_problem_type_url_from_the_credential_api_resolves_to_its_explanation(client, settings):
    response = client.get(f"/api/v1/credentials/verify/{uuid.uuid4()}")
    assert response.status_code == 404
    problem = response.json()
    assert problem["type"] == f"{settings.PUBLIC_BASE_URL}/problems/not_found"

    page = client.get(problem["type"].removeprefix(settings.PUBLIC_BASE_URL))
    assert page.status_code == 200
    text = page.content.decode()
    assert "not_found" in text and PROBLEMS["not_found"].explanation[:40] in text


def test_the_index_lists_every_code_and_an_unknown_code_is_404(client):
    index = client.get("/problems/").content.decode()
    assert all(f'href="/problems/{code}"' in index for code in PROBLEMS)
    assert client.get("/problems/no_such_code").status_code == 404
