"""The demo's standard-setting study: made through the services, in round 2 with the flagged
checkpoint the panel discussed, and loading it twice changes nothing."""

import pytest

from audit.models import AuditEvent
from demo.angoff import load_angoff_demo
from demo.people import load_people
from quality.angoff_models import AngoffRating, AngoffStudy
from quality.angoff_selectors import summary_of
from tests.assessments.conftest import published_version_of

pytestmark = pytest.mark.django_db


def test_the_demo_study_is_in_round_two_with_its_disagreement_and_loads_once():
    published_version_of("ap-invoice-processing")
    users = load_people()
    lines = load_angoff_demo(users)
    study = AngoffStudy.objects.get()
    assert lines and lines[0].endswith(f"/quality/standard-setting/{study.pk}/")
    assert study.status == "open" and study.round == 2 and study.panelists.count() == 3

    first = summary_of(study, 1)
    assert first["raters"] == 3 and first["flagged"] == ["monitoring"]  # 45, 80, 95
    second = summary_of(study, 2)
    assert second["raters"] == 3 and second["flagged"] == []  # 70, 78, 95: SD 12.77
    # Rated weight 16 of 34, monitoring 2 of it. Round 1: others mean (65 + 72 + 78) / 3,
    # monitoring 73.33: (1800 + 14 * 71.67 + 2 * 73.33) / 34 = 2950 / 34 = 86.76.
    # Round 2: others 72.67, monitoring 81: (1800 + 1017.33 + 162) / 34 = 87.63.
    assert (first["cut_score"], second["cut_score"]) == (86.76, 87.63)

    counts = (AngoffRating.objects.count(), AuditEvent.objects.count())
    assert load_angoff_demo(users) == lines
    assert (AngoffStudy.objects.count(), AngoffRating.objects.count()) == (1, counts[0])
    assert AuditEvent.objects.count() == counts[1]
