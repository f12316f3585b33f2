"""Demo employer account: Acme Hiring, with one member who manages its API keys."""

from accounts.models import User
from employers import services
from employers.models import Employer

from .people import DEMO_PASSWORD

EMPLOYER_EMAIL = "hr@practica.test"


def load_employers(users: dict[str, User]) -> list[str]:
    """Idempotent: the employer and its member are created once, through the services."""
    admin = users["admin@practica.test"]
    employer = Employer.objects.filter(slug="acme-hiring").first() or services.employer_create(
        actor=admin, name="Acme Hiring", slug="acme-hiring"
    )
    member = User.objects.filter(email=EMPLOYER_EMAIL).first() or User.objects.create_user(
        email=EMPLOYER_EMAIL, password=DEMO_PASSWORD, full_name="Harper Hiring"
    )
    services.member_add(actor=admin, employer=employer, user=member)
    return [f"Employer account ({EMPLOYER_EMAIL}): /employers/{employer.slug}/"]
