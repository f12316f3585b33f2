"""The cut score a decision applies: the certification's, except for a scenario version whose
cut score a standard-setting study set (``rubric.standard_setting``), averaged over the exam's
scenarios as the total is."""

import copy
import hashlib
import json

import pytest

from assessments.models import CertificationDecision, ExamScenario
from assessments.services.attempts import attempt_start, attempt_submit
from assessments.services.decisions import exam_cut_score
from scenarios.models import ScenarioVersion
from tests.assessments.test_regrade import _score_everything

pytestmark = pytest.mark.django_db


def _next_version(ap_version, cut: float, *, standard_set: bool) -> ScenarioVersion:
    content = copy.deepcopy(ap_version.content)
    content["version"] = ap_version.version + 1
    content["rubric"]["cut_score"] = cut
    if standard_set:
        content["rubric"]["standard_setting"] = {"method": "modified-angoff", "study": "1"}
    return ScenarioVersion.objects.create(
        scenario=ap_version.scenario,
        version=content["version"],
        title=ap_version.title,
        content=content,
        content_sha256=hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest(),
        engine_version=ap_version.engine_version,
        selftest={"ok": True},
    )


def _report(version: ScenarioVersion) -> dict:
    return {
        "scenario": {"slug": version.scenario.slug, "version": version.version},
        "cut_score": float(version.content["rubric"]["cut_score"]),
    }


def test_a_pack_cut_score_alone_does_not_move_the_certifications_cut(certification, ap_version):
    plain = _next_version(ap_version, 85.0, standard_set=False)
    assert exam_cut_score(certification=certification, reports=[_report(plain)]) == 70.0


def test_a_cut_score_set_by_a_study_is_the_standard_for_its_scenario(certification, ap_version):
    studied = _next_version(ap_version, 85.88, standard_set=True)
    assert exam_cut_score(certification=certification, reports=[_report(studied)]) == 85.88
    # Two scenarios, one of them standard-set: (70 + 85.88) / 2 = 77.94, as totals average.
    reports = [_report(ap_version), _report(studied)]
    assert exam_cut_score(certification=certification, reports=reports) == 77.94


def test_a_decision_on_a_standard_set_version_applies_and_records_its_cut(
    candidate, grader, certification, exam, ap_version, exemplar_for
):
    studied = _next_version(ap_version, 94.12, standard_set=True)
    ExamScenario.objects.filter(exam=exam).update(scenario_version=studied)
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_submit(attempt=attempt, designs={studied.pk: exemplar_for(attempt)})
    _score_everything(grader, points="bottom")

    decision = CertificationDecision.objects.get(attempt=attempt)
    # Every critical checkpoint passed and the total clears the certification's 70, but not
    # the study's 94.12.
    assert decision.critical_passed and 70 <= decision.total < 94.12
    assert decision.outcome == "fail" and decision.cut_score == 94.12
    assert "cut score of 94.12" in decision.rationale
