"""The named hook through which a recorded certification decision reaches higher layers.

``assessments`` must not import ``certification`` (dependencies flow one way), yet a passing
decision must lead to a credential. The credential app registers a listener here in its
``AppConfig.ready()``; the decision services call :func:`notify_decision` inside the transaction
that records or reverses a decision. Listeners must only schedule work (``transaction.on_commit``)
and never fail the caller's transaction for a side effect.
"""

from collections.abc import Callable
from typing import Literal
from uuid import UUID

DecisionEvent = Literal["recorded", "reversed"]
DecisionListener = Callable[[UUID, DecisionEvent], None]

_listeners: list[DecisionListener] = []


def register_decision_listener(listener: DecisionListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def notify_decision(decision_id: UUID, event: DecisionEvent) -> None:
    for listener in list(_listeners):
        listener(decision_id, event)


# --- a regrade concluded (its reports are now the attempt's current ones) ------------------

RegradeListener = Callable[[UUID], None]

_regrade_listeners: list[RegradeListener] = []


def register_regrade_listener(listener: RegradeListener) -> None:
    """``listener(attempt_id)`` is called when a regrade of the attempt concludes, whether or
    not it changed the decision (its reports replace the earlier ones). Called inside the
    transaction; listeners only schedule work, like decision listeners."""
    if listener not in _regrade_listeners:
        _regrade_listeners.append(listener)


def notify_regrade_concluded(attempt_id: UUID) -> None:
    for listener in list(_regrade_listeners):
        listener(attempt_id)


# --- the other direction: what the credential layer says about a decision ------------------

CredentialLinks = Callable[[list[UUID]], dict[UUID, dict]]

_credential_links: list[CredentialLinks] = []


def register_credential_links(provider: CredentialLinks) -> None:
    """``provider(decision_ids)`` → ``{decision_id: {"id", "url", "status"}}`` for the decisions
    that issued a credential. Registered by the credential app, read by the result selector."""
    if provider not in _credential_links:
        _credential_links.append(provider)


def credential_links(decision_ids: list[UUID]) -> dict[UUID, dict]:
    links: dict[UUID, dict] = {}
    for provider in _credential_links:
        links.update(provider(decision_ids))
    return links


# --- who may claim live human items ------------------------------------------------------

ClaimGate = Callable[[object], tuple[str, str] | None]

_claim_gates: list[ClaimGate] = []


def register_claim_gate(gate: ClaimGate) -> None:
    """``gate(grader)`` → ``(code, message)`` when the grader may not claim live items yet
    (e.g. not calibrated: the quality app registers one), else None. Read-only; called by
    ``human_scoring`` before every claim."""
    if gate not in _claim_gates:
        _claim_gates.append(gate)


def claim_refusal(grader) -> tuple[str, str] | None:
    for gate in list(_claim_gates):
        refusal = gate(grader)
        if refusal is not None:
            return refusal
    return None
