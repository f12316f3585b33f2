"""The synthetic scale data: the skew, history, and idempotence (at a small size)."""

import pytest

from accounts.models import Membership, PartnerOrganisation, User
from certification.models import Credential
from partners.figures import dashboard
from partners.scale import firm_sizes, generate

pytestmark = pytest.mark.django_db


def test_firm_sizes_add_up_with_the_largest_at_one_fifteenth():
    import random

    sizes = firm_sizes(300_000, 1_000, random.Random(1))
    assert sum(sizes) == 300_000 and len(sizes) == 1_000
    assert sizes[:3] == [20_000] * 3 and max(sizes) == 20_000
    assert min(sizes) >= 1


def test_generating_twice_adds_nothing_and_a_larger_run_tops_up():
    first = generate(consultants=450, firms=12, log=lambda _: None)
    counts = (User.objects.count(), Membership.objects.count(), Credential.objects.count())
    again = generate(consultants=450, firms=12, log=lambda _: None)
    assert again["users"] == 0 and again["credentials"] == 0
    assert (User.objects.count(), Membership.objects.count(), Credential.objects.count()) == counts
    assert first["users"] == 450 and first["attempts"] >= 2 * 450
    assert Membership.objects.filter(left_at__isnull=False).exists()
    more = generate(consultants=500, firms=12, log=lambda _: None)
    assert more["users"] == 50
    largest = PartnerOrganisation.objects.get(slug=first["largest_firm"])
    figures = dashboard(firm=largest)
    assert 0 < figures["headcount"]["total"] <= figures["pipeline"]["members"]
