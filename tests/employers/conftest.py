import pytest

from certification import selectors
from employers import services
from tests.certification.conftest import _keys_in_tmp  # noqa: F401  (signing keys in tmp)
from tests.certification.factories import CertificationFactory
from tests.factories import UserFactory

from .factories import EmployerFactory, EmployerMemberFactory


@pytest.fixture(autouse=True)
def _fresh_proof_memory():
    selectors._proof_memory.clear()
    selectors._bits_cache.clear()


@pytest.fixture
def employer(db):
    return EmployerFactory(slug="initech", name="Initech")


@pytest.fixture
def other_employer(db):
    return EmployerFactory(slug="hooli", name="Hooli")


@pytest.fixture
def employer_member(employer):
    user = UserFactory(email="hr@initech.test", full_name="Hana Hiring")
    EmployerMemberFactory(employer=employer, user=user)
    return user


@pytest.fixture
def other_member(other_employer):
    user = UserFactory(email="hr@hooli.test", full_name="Otto Other")
    EmployerMemberFactory(employer=other_employer, user=user)
    return user


@pytest.fixture
def api_key(employer, employer_member):
    """(row, plaintext) of an active key of ``employer``."""
    return services.api_key_create(actor=employer_member, employer=employer, name="ATS import")


@pytest.fixture
def certification(db):
    return CertificationFactory(slug="finance-ops-specialist")
