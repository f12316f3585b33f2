"""Demo support: issue credentials synchronously for demo decisions, verifiable offline.

The demo loader calls ``demo_issue_credentials(decisions)`` after recording its decisions (or
relies on the decision hook when tasks run in-process). It forces nothing: a did:key issuer is
the default setting, so demo credentials verify without a network.
"""

from collections.abc import Iterable

from .documents import credential_url
from .models import Credential
from .services import IssuanceRefused, credential_issue


def demo_issue_credentials(decisions: Iterable) -> list[Credential]:
    """Issue (idempotently) the credential of every passing, unreversed decision given
    (decision objects or ids); failing ones are skipped. Returns the credentials."""
    issued = []
    for decision in decisions:
        decision_id = getattr(decision, "pk", decision)
        try:
            issued.append(credential_issue(decision_id=decision_id))
        except IssuanceRefused:
            continue
    return issued


def demo_credential_lines(credentials: Iterable[Credential]) -> list[str]:
    """Lines for the run command: the public URL of each credential."""
    return [f"Demo credential: {credential_url(c.pk)}" for c in credentials]
