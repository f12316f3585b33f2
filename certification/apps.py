from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Credentials"

    def ready(self):
        from assessments.hooks import register_decision_listener

        register_decision_listener(on_decision)


def on_decision(decision_id, event: str) -> None:
    """A decision was recorded or reversed: issue or withdraw, after the decision commits."""
    from django.db import transaction

    from assessments.models import CertificationDecision

    from .tasks import issue_credential, withdraw_credential

    if event == "recorded":
        if CertificationDecision.objects.filter(
            pk=decision_id, outcome="pass", reversed_at__isnull=True
        ).exists():
            transaction.on_commit(lambda: _send(issue_credential, decision_id))
    elif event == "reversed":
        transaction.on_commit(lambda: _send(withdraw_credential, decision_id))


def _send(task, decision_id) -> None:
    import logging

    try:
        task.delay(str(decision_id))
    except Exception:  # broker down: the credential sweep (below) catches up
        logging.getLogger(__name__).warning(
            "could not send %s for %s", task.name, decision_id, exc_info=True
        )
