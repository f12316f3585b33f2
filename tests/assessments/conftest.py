import pytest

from assessments.models import Certification, Exam, ExamScenario


@pytest.fixture
def ap_version(db):
    return published_version_of("ap-invoice-processing")


def published_version_of(slug: str):
    """A published version row for a shipped pack. The publish service (which self-tests the
    pack, about a second a pack) is tested in tests/scenarios; here only the row is needed."""
    from scenarios.engine import ENGINE_VERSION, load_pack
    from scenarios.models import Scenario, ScenarioVersion
    from scenarios.services import PACKS_DIR

    pack = load_pack(PACKS_DIR / slug)
    scenario, _ = Scenario.objects.get_or_create(
        slug=pack.slug, defaults={"title": pack.data["title"]}
    )
    return ScenarioVersion.objects.create(
        scenario=scenario,
        version=pack.version,
        title=pack.data["title"],
        content=pack.data,
        content_sha256=pack.sha256,
        engine_version=ENGINE_VERSION,
        selftest={"ok": True},
    )


@pytest.fixture
def published_exam(certification):
    """An exam on a pack published through the real publishing service (which self-tests it),
    as production does; slower than ``exam``, so used by the end-to-end test only."""
    from scenarios.engine import load_pack
    from scenarios.services import PACKS_DIR, scenario_version_publish

    version, _ = scenario_version_publish(pack=load_pack(PACKS_DIR / "ap-invoice-processing"))
    exam = Exam.objects.create(
        slug="published-exam", title="Published exam", certification=certification
    )
    ExamScenario.objects.create(exam=exam, scenario_version=version, position=1)
    return exam


@pytest.fixture
def certification(db):
    return Certification.objects.create(
        slug="finance-ops-specialist",
        name="AI Deployment Specialist: Finance Operations",
        criteria="Redesigned an AP workflow that passed every critical control.",
        blueprint=[{"id": "risk-controls", "name": "Risk and controls", "weight": 0.3}],
        cut_score=70,
        validity_days=730,
    )


@pytest.fixture
def exam(certification, ap_version):
    exam = Exam.objects.create(
        slug="finance-ops-exam",
        title="Finance operations exam",
        certification=certification,
        time_limit_minutes=120,
        max_attempts=2,
        cooldown_hours_after_fail=24,
    )
    ExamScenario.objects.create(exam=exam, scenario_version=ap_version, position=1)
    return exam


@pytest.fixture
def exemplar_for():
    """The AP exemplar design resolved for an attempt's own variant."""
    from scenarios.engine import draw_variant, load_pack
    from scenarios.engine.selftest import design_of
    from scenarios.services import PACKS_DIR

    pack = load_pack(PACKS_DIR / "ap-invoice-processing")

    def make(attempt, name="agent-extraction-with-callback"):
        return design_of(pack.resolve(draw_variant(pack, attempt.seed)), name)

    return make


@pytest.fixture(autouse=True)
def _on_commit_runs_at_once(monkeypatch):
    """The fast tier wraps each test in a transaction that never commits, so work scheduled
    with on_commit would never run; run it at once (the integration tier checks real commit
    ordering with a real worker)."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


@pytest.fixture(autouse=True)
def _fixed_attempt_seed(monkeypatch):
    """Attempts draw their variant seed at random; tests fix it so every run grades the same
    variant (the packs' robustness across variants is checked by their self-tests)."""
    import types

    monkeypatch.setattr(
        "assessments.services.attempts.secrets", types.SimpleNamespace(randbelow=lambda n: 7)
    )


@pytest.fixture
def decisions_seen():
    """Every (decision_id, event) announced through the decision hook during the test. Only this
    test's listener is removed afterwards: the credential app's own listener must stay."""
    from assessments import hooks

    seen = []

    def listener(decision_id, event):
        seen.append((decision_id, event))

    hooks.register_decision_listener(listener)
    yield seen
    hooks._listeners.remove(listener)
