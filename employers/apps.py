from django.apps import AppConfig


class EmployersConfig(AppConfig):
    """Employer accounts (issue 13): organisations with members and API keys, bulk verification
    with a key or a signed-in member, and the programme admins' verification-volume page. Reads
    certification (bulk verification, volume counters) and accounts; nothing below imports it."""

    name = "employers"
    default_auto_field = "django.db.models.BigAutoField"
