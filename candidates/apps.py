from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    """The consultant's pages: sign-in, home, the exam room and results. Reads assessments and
    certification through their selectors and writes only through their services."""

    name = "candidates"
    default_auto_field = "django.db.models.BigAutoField"
