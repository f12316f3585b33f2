import logging

from django.apps import AppConfig

logger = logging.getLogger(__name__)


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Credentials"

    def ready(self):
        from assessments.hooks import register_decision_listener

        register_decision_listener(on_decision)

        # Where holders find their credentials: on the decision, and in GET /me/.
        from accounts.hooks import register_holder_credentials
        from assessments.hooks import register_credential_links

        from .links import decision_credential_links, holder_credential_links

        register_credential_links(decision_credential_links)
        register_holder_credentials(holder_credential_links)


def on_decision(decision_id, event: str) -> None:
    """A decision was recorded or reversed (we are inside its transaction): schedule issuing
    or withdrawal for after it commits. Never issues inline, never fails the caller."""
    from django.db import transaction

    from assessments.models import CertificationDecision

    from .tasks import issue_credential, withdraw_credential

    if event == "recorded":
        if not CertificationDecision.objects.filter(pk=decision_id, outcome="pass").exists():
            return  # only a pass leads to a credential (the task checks again)
        transaction.on_commit(lambda: _send(issue_credential, decision_id))
    elif event == "reversed":
        transaction.on_commit(lambda: _send(withdraw_credential, decision_id))


def _send(task, decision_id) -> None:
    try:
        task.delay(str(decision_id))
    except Exception:  # broker down: certification.tasks.sweep catches up
        logger.warning("could not send %s for %s", task.name, decision_id, exc_info=True)
