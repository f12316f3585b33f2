import pytest

from accounts.models import Membership, Role
from tests.certification.factories import CertificationFactory
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def certification(db):
    return CertificationFactory(slug="finance-ops-specialist")


@pytest.fixture
def other_manager(other_firm):
    """A partner manager of the *other* firm."""
    user = UserFactory(email="other.manager@example.test", role=Role.PARTNER_MANAGER)
    MembershipFactory(user=user, organisation=other_firm, kind=Membership.Kind.MANAGER)
    return user


@pytest.fixture
def member_of(db):
    """``member_of(firm, **user_fields)`` → a new consultant of ``firm``."""

    def make(firm, **fields):
        user = UserFactory(**fields)
        MembershipFactory(user=user, organisation=firm)
        return user

    return make
