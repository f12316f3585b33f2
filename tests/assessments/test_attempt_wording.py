"""Refusals count in the singular when there is one ("1 attempt in 1 day")."""

import pytest

from assessments.models import Attempt


@pytest.mark.django_db
def test_no_attempts_left_counts_in_the_singular(client_for, candidate, exam):
    exam.max_attempts, exam.window_days = 1, 1
    exam.save()
    client = client_for(candidate)
    started = client.post(f"/api/v1/exams/{exam.slug}/attempts/").json()
    Attempt.objects.filter(pk=started["id"]).update(status=Attempt.Status.ABANDONED)
    refused = client.post(f"/api/v1/exams/{exam.slug}/attempts/").json()
    assert refused["code"] == "attempts_exhausted"
    assert refused["detail"] == "No attempts left: this exam allows 1 attempt in 1 day."
