import json

import pytest

from tests.support.standards import FIXTURES

from .factories import CertificationFactory, DecisionFactory, issue


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings, tmp_path):
    """Each test signs with its own throwaway key folder; nothing touches var/keys."""
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.CREDENTIAL_SIGNING_KEY = ""
    settings.CREDENTIAL_ISSUER_METHOD = "did:key"
    settings.PUBLIC_BASE_URL = "https://practica.example"


@pytest.fixture
def certification(db):
    return CertificationFactory(slug="finance-ops-specialist")


@pytest.fixture
def passing_decision(candidate, certification):
    return DecisionFactory(user=candidate, certification=certification)


@pytest.fixture
def issued(passing_decision):
    return issue(passing_decision)


def load_standard(*parts: str):
    """A standard's JSON file from the project's copies (tests/fixtures/standards)."""
    return json.loads(FIXTURES.joinpath(*parts).read_text())


@pytest.fixture
def other_manager(other_firm):
    """A partner manager of another firm."""
    from accounts.models import Membership, Role
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(email="other.manager@example.test", role=Role.PARTNER_MANAGER)
    MembershipFactory(user=user, organisation=other_firm, kind=Membership.Kind.MANAGER)
    return user
