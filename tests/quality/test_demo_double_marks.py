"""The demo data with double marking on, as `make run` has it: no demo attempt waits forever
for a second mark, and the agreement page has figures."""

import pytest
from django.core.management import call_command

from assessments.models import HumanMark, HumanScore
from quality.agreement_models import AgreementReport


@pytest.mark.django_db(transaction=True)
def test_every_double_marked_demo_item_gets_its_second_mark(settings):
    settings.DEBUG = True
    settings.HUMAN_SCORING_DOUBLE_MARK_SHARE = 1.0
    settings.HUMAN_SCORING_DOUBLE_MARK_BORDERLINE = True

    call_command("load_demo_data")

    seconds = HumanMark.objects.filter(kind="second")
    assert seconds.exists()
    assert not HumanScore.objects.filter(marks__kind="first", status="open").exists()
    report = AgreementReport.objects.get()
    assert report.pairs == seconds.count() and report.figures["graders"]
