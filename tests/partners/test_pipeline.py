"""The pipeline: enrolled, in progress, passed, failed, expiring within 90 days, lapsed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Attempt
from partners.dashboard import pipeline
from tests.certification.factories import DecisionFactory

from .factories import CredentialRowFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(certification):
    from assessments.models import Exam

    return Exam.objects.create(slug="fin-exam", title="Finance exam", certification=certification)


def attempt(user, exam, status, submitted_days_ago=1):
    submitted = timezone.now() - timedelta(days=submitted_days_ago)
    return Attempt.objects.create(
        submitted_at=submitted if status == Attempt.Status.SUBMITTED else None,
        exam=exam,
        candidate=user,
        status=status,
        seed=1,
        scenario_version_ids=[],
        deadline=timezone.now() + timedelta(hours=2),
    )


def test_each_stage_counts_the_right_people(firm, other_firm, member_of, certification, exam):
    now = timezone.now()
    working = member_of(firm)
    attempt(working, exam, Attempt.Status.IN_PROGRESS)
    waiting = member_of(firm)  # submitted, no decision yet
    attempt(waiting, exam, Attempt.Status.SUBMITTED)
    failed = member_of(firm)
    DecisionFactory(
        user=failed,
        certification=certification,
        outcome="fail",
        critical_passed=False,
        attempt=attempt(failed, exam, "submitted"),
    )
    passed_after_fail = member_of(firm)
    DecisionFactory(
        user=passed_after_fail, certification=certification, outcome="fail", critical_passed=False
    )
    CredentialRowFactory(holder=passed_after_fail, certification=certification)
    expiring = member_of(firm)
    CredentialRowFactory(
        holder=expiring, certification=certification, valid_from=now - timedelta(days=700)
    )
    lapsed = member_of(firm)
    CredentialRowFactory(
        holder=lapsed, certification=certification, valid_from=now - timedelta(days=800)
    )
    member_of(firm)  # not started
    attempt(member_of(other_firm), exam, Attempt.Status.IN_PROGRESS)  # another firm's

    figures = pipeline(firm=firm, now=now)
    assert figures == {
        "members": 7,
        "enrolled": 3,  # working, waiting, failed have attempts
        "in_progress": 2,
        "passed": 3,  # passed_after_fail, expiring, lapsed (their decisions passed)
        "failed": 1,  # failed and never passed
        "expiring": 1,
        "lapsed": 1,
    }


def test_a_renewed_credential_is_not_expiring(firm, member_of, certification):
    now = timezone.now()
    user = member_of(firm)
    CredentialRowFactory(
        holder=user, certification=certification, valid_from=now - timedelta(days=700)
    )
    CredentialRowFactory(
        holder=user, certification=certification, valid_from=now - timedelta(days=1)
    )
    assert pipeline(firm=firm, now=now)["expiring"] == 0


def test_an_old_undecided_submission_is_not_in_progress(firm, member_of, exam):
    attempt(member_of(firm), exam, Attempt.Status.SUBMITTED, submitted_days_ago=45)
    figures = pipeline(firm=firm, now=timezone.now())
    assert (figures["enrolled"], figures["in_progress"]) == (1, 0)
