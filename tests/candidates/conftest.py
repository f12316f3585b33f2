import pytest

from scenarios.models import Scenario, ScenarioVersion
from tests.assessments.conftest import (  # noqa: F401  (fixtures shared with the exam API tests)
    _fixed_attempt_seed,
    _on_commit_runs_at_once,
    ap_version,
    certification,
    exam,
    exemplar_for,
)


@pytest.fixture
def practice_version(ap_version):  # noqa: F811  (the imported fixture, by name)
    """A practice pack: the AP pack under another slug, marked ``purpose: practice``."""
    content = {**ap_version.content, "slug": "ap-practice", "purpose": "practice"}
    scenario = Scenario.objects.create(slug="ap-practice", title="AP practice")
    return ScenarioVersion.objects.create(
        scenario=scenario,
        version=1,
        title="Accounts payable (practice)",
        content=content,
        content_sha256="practice-" + ap_version.content_sha256[:40],
        engine_version=ap_version.engine_version,
        selftest={"ok": True},
    )
