from django.apps import AppConfig


class EmployersConfig(AppConfig):
    """Employer accounts (issue 13): organisations with members and API keys, bulk verification
    with a key or a signed-in member, and the programme admins' verification-volume page. Reads
    certification (bulk verification, volume counters) and accounts; nothing below imports it."""

    name = "employers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from config.landing import register_landing

        register_landing(_employer_landing)


def _employer_landing(user) -> str | None:
    """An employer's member who sits no exams lands on their employer's pages."""
    from django.urls import reverse

    from accounts.models import Role

    from .selectors import is_employer_member

    if user.role == Role.CANDIDATE and is_employer_member(user):
        return reverse("employer-home")
    return None
