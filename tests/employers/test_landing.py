"""Signing in: an employer's member lands on the employer pages (registered through
config.landing, since the sign-in page may not import employers); everyone else as before."""

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_employer_member_signing_in_lands_on_the_employer_pages(client, employer_member):
    employer_member.set_password(PASSWORD)
    employer_member.save()
    response = client.post("/signin/", {"username": employer_member.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/employers/"


def test_a_consultant_who_is_no_employer_member_still_lands_on_home(client, candidate):
    response = client.post("/signin/", {"username": candidate.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/home/"
