"""Signing in: a partner manager lands on their firm's dashboard (the firms' list when they
manage several), registered through config.landing; a consultant still lands on /home/."""

import pytest

from accounts.models import Membership
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _sign_in(client, user):
    return client.post("/signin/", {"username": user.email, "password": PASSWORD})


def test_a_manager_of_one_firm_lands_on_its_dashboard(client, partner_manager, firm):
    response = _sign_in(client, partner_manager)
    assert response.status_code == 302 and response["Location"] == f"/partners/{firm.slug}/"


def test_a_manager_of_several_firms_lands_on_the_list(client, partner_manager, other_firm):
    MembershipFactory(user=partner_manager, organisation=other_firm, kind=Membership.Kind.MANAGER)
    response = _sign_in(client, partner_manager)
    assert response.status_code == 302 and response["Location"] == "/partners/"


def test_a_consultant_lands_on_home(client, candidate):
    assert _sign_in(client, candidate)["Location"] == "/home/"
