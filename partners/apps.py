from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Partner firms: membership invitations, the partner dashboard, exports and (helper P2)
    playbooks. Reads accounts, assessments and certification through their selectors and models
    and writes to them only through their services; none of those apps imports partners."""

    name = "partners"
    default_auto_field = "django.db.models.BigAutoField"
