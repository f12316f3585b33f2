"""Shared fixtures: one user per role (two firms, so cross-firm access can be tested), API
clients, and the gate for the integration tier.

Integration tests (``@pytest.mark.integration``) need real PostgreSQL, Redis and a Celery worker
process. On a laptop without them they skip with a loud reason; with ``CI=true`` a missing
service fails the run instead, so CI can never pass by skipping them.
"""

import os
import socket

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from tests.factories import MembershipFactory, PartnerOrganisationFactory, UserFactory

PASSWORD = "correct-horse-battery"

# Property tests assert behaviour, never speed: Hypothesis's timing checks (a per-example
# deadline, "too slow" generation) fail at random on a loaded 2-core machine, so they are off for
# every property test; what must be fast has a benchmark under bench/.
hypothesis_settings.register_profile(
    "practica", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("practica")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _integration_problem() -> str | None:
    from django.conf import settings

    problems = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("DATABASE_URL does not point at PostgreSQL")
    elif not _reachable("127.0.0.1", 5432):
        problems.append("PostgreSQL is not reachable on 127.0.0.1:5432")
    if not settings.CELERY_BROKER_URL:
        problems.append("REDIS_URL is not set")
    elif not _reachable("127.0.0.1", 6379):
        problems.append("Redis is not reachable on 127.0.0.1:6379")
    return "; ".join(problems) or None


@pytest.hookimpl(trylast=True)  # after -m has deselected what this run does not include
def pytest_collection_modifyitems(config, items):
    integration = [item for item in items if item.get_closest_marker("integration")]
    if not integration:
        return
    problem = _integration_problem()
    if problem is None:
        return
    reason = (
        f"INTEGRATION TIER NOT RUN: {problem}. Run `make test-integration` on a machine with "
        "PostgreSQL and Redis (see README)."
    )
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"CI=true but the integration tier cannot run: {problem}")
    skip = pytest.mark.skip(reason=reason)
    for item in integration:
        item.add_marker(skip)


@pytest.fixture
def firm(db):
    return PartnerOrganisationFactory(slug="acme-consulting", name="Acme Consulting")


@pytest.fixture
def other_firm(db):
    return PartnerOrganisationFactory(slug="globex-advisory", name="Globex Advisory")


@pytest.fixture
def candidate(firm):
    user = UserFactory(email="candidate@example.test", full_name="Casey Candidate")
    MembershipFactory(user=user, organisation=firm)
    return user


@pytest.fixture
def other_candidate(other_firm):
    user = UserFactory(email="other.candidate@example.test", full_name="Olu Other")
    MembershipFactory(user=user, organisation=other_firm)
    return user


@pytest.fixture
def partner_manager(firm):
    user = UserFactory(
        email="manager@example.test", full_name="Morgan Manager", role=Role.PARTNER_MANAGER
    )
    MembershipFactory(user=user, organisation=firm, kind=Membership.Kind.MANAGER)
    return user


@pytest.fixture
def grader(other_firm):
    """A grader who belongs to the *other* firm, so may grade ``candidate``'s work."""
    user = UserFactory(email="grader@example.test", full_name="Gale Grader", role=Role.GRADER)
    MembershipFactory(user=user, organisation=other_firm)
    return user


@pytest.fixture
def programme_admin(db):
    return UserFactory(email="admin@example.test", full_name="Ada Admin", role=Role.PROGRAMME_ADMIN)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def client_for(api_client):
    """``client_for(user)`` → an APIClient authenticated as ``user`` (None → anonymous)."""

    def make(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return make


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real worker process for one test; it sees what the test commits. Stopped afterwards."""
    from tests.support.celery_worker import WorkerProcess

    worker = WorkerProcess().start()
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture
def wait_for():
    """``wait_for(predicate, timeout=...)`` polls until predicate() is truthy, else fails."""
    import time

    def wait(predicate, *, timeout: float = 30.0, interval: float = 0.1, message: str = ""):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(interval)
        pytest.fail(f"timed out after {timeout}s waiting for: {message or predicate}")

    return wait


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
