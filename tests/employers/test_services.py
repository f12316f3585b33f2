"""Programme staff create employer accounts and add members (Django admin, through the
services); every change is audited."""

import pytest

from audit.models import AuditEvent
from config.errors import Conflict, InvalidRequest
from employers import services
from employers.models import Employer, EmployerMember
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_create_an_employer_and_add_a_member_in_the_admin(client, programme_admin):
    programme_admin.is_staff = True
    programme_admin.is_superuser = True
    programme_admin.save()
    person = UserFactory(email="talent@acme.test")
    client.force_login(programme_admin)
    client.post("/admin/employers/employer/add/", {"name": "Acme Hiring", "slug": "acme"})
    employer = Employer.objects.get(slug="acme")
    client.post(
        "/admin/employers/employermember/add/", {"employer": employer.pk, "user": person.pk}
    )
    assert EmployerMember.objects.filter(employer=employer, user=person).exists()
    actions = AuditEvent.objects.filter(target_id=str(employer.pk), actor=programme_admin)
    assert sorted(actions.values_list("action", flat=True)) == [
        "employer.created",
        "employer.member_added",
    ]


@pytest.mark.parametrize("slug", ["volume", "keys", "verify"])
def test_a_slug_the_pages_use_is_refused(programme_admin, slug):
    with pytest.raises(InvalidRequest):
        services.employer_create(actor=programme_admin, name="X", slug=slug)


def test_a_taken_slug_is_a_conflict(programme_admin):
    services.employer_create(actor=programme_admin, name="Acme", slug="acme")
    with pytest.raises(Conflict):
        services.employer_create(actor=programme_admin, name="Acme again", slug="acme")


def test_adding_a_member_twice_keeps_one_membership(programme_admin, employer):
    person = UserFactory()
    first = services.member_add(actor=programme_admin, employer=employer, user=person)
    assert services.member_add(actor=programme_admin, employer=employer, user=person) == first
    assert AuditEvent.objects.filter(action="employer.member_added").count() == 1
