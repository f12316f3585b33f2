import pytest

from assessments.models import Certification, Exam, ExamScenario
from tests.assessments.conftest import published_version_of


@pytest.fixture
def reliability_exam(transactional_db):
    version = published_version_of("ap-invoice-processing")
    certification = Certification.objects.create(
        slug="finance-ops", name="Finance operations", cut_score=70, validity_days=730
    )
    exam = Exam.objects.create(
        slug="finance-ops-exam", title="Finance ops", certification=certification, max_attempts=5
    )
    ExamScenario.objects.create(exam=exam, scenario_version=version, position=1)
    return exam


@pytest.fixture
def start_attempts(reliability_exam):
    """``start_attempts(n)`` → n attempts by n different candidates, each with the exemplar
    design for its own variant saved as a draft."""
    from assessments.services.attempts import attempt_autosave, attempt_start
    from scenarios.engine import draw_variant, load_pack
    from scenarios.engine.selftest import design_of
    from scenarios.services import PACKS_DIR
    from tests.factories import UserFactory

    pack = load_pack(PACKS_DIR / "ap-invoice-processing")

    def start(n: int):
        attempts = []
        for _ in range(n):
            attempt, _ = attempt_start(candidate=UserFactory(), exam=reliability_exam)
            design = design_of(
                pack.resolve(draw_variant(pack, attempt.seed)), "agent-extraction-with-callback"
            )
            attempt_autosave(
                attempt=attempt, scenario_version_id=attempt.scenario_version_ids[0], design=design
            )
            attempts.append(attempt)
        return attempts

    return start


@pytest.fixture
def worker_env(monkeypatch):
    """Environment for worker processes started by a test (they read settings from it)."""

    def set_env(**values):
        for key, value in values.items():
            monkeypatch.setenv(key, str(value))

    return set_env
