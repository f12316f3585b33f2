from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Credentials"

    def ready(self):
        # Imported here, not at the top: this module is loaded before any model, and the
        # listeners use models.
        from assessments.hooks import register_decision_listener

        from .services.decisions import credential_on_decision

        register_decision_listener(credential_on_decision)

        # Where holders find their credentials: on the decision, and in GET /me/.
        from accounts.hooks import register_holder_credentials
        from assessments.hooks import register_credential_links

        from .links import decision_credential_links, holder_credential_links

        register_credential_links(decision_credential_links)
        register_holder_credentials(holder_credential_links)
