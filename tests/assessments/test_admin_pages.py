"""Programme staff's admin pages for the exam models render, with data in them."""

import pytest
from django.urls import reverse

from assessments.models import (
    Attempt,
    Certification,
    CertificationDecision,
    Escalation,
    Exam,
    GradeReport,
    GradingJob,
    HumanScore,
    Regrade,
)
from assessments.services.attempts import attempt_start, attempt_submit


@pytest.mark.django_db
def test_every_exam_model_has_a_working_admin_list_and_detail_page(
    client, programme_admin, candidate, exam, exemplar_for
):
    programme_admin.is_staff = programme_admin.is_superuser = True
    programme_admin.save()
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: exemplar_for(attempt)}
    )
    Escalation.objects.create(kind="grading_stuck", target_type="x", target_id="1")
    Regrade.objects.create(
        attempt=attempt, requested_by=programme_admin, reason="r", scenario_version_ids=[]
    )
    CertificationDecision.objects.create(
        user=candidate,
        certification=exam.certification,
        outcome="fail",
        critical_passed=False,
        total=10,
        cut_score=70,
    )
    client.force_login(programme_admin)
    models = [
        Certification,
        Exam,
        Attempt,
        GradingJob,
        GradeReport,
        HumanScore,
        CertificationDecision,
        Escalation,
        Regrade,
    ]
    for model in models:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, opts.model_name
        obj = model.objects.first()
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200, opts.model_name
