"""The results page's appeal panel (candidates/_results_body.html): the form while a failed
decision can be appealed, and the appeal's state once filed."""

from django import template

from quality import appeal_selectors, appeals

register = template.Library()


@register.inclusion_tag("quality/appeals/_panel.html", takes_context=True)
def appeal_panel(context, attempt):
    """Shown to the attempt's candidate only: the newest appeal on the attempt (its state and
    outcome), else the form when the standing decision is a fail inside the window."""
    user = context["request"].user
    if attempt.candidate_id != user.pk:
        return {"show": False}
    appeal = appeal_selectors.appeal_of_attempt(attempt_id=attempt.pk)
    decision = appeals.appealable_decision(attempt=attempt)
    # A regrade on appeal may record a new failed decision: that one can be appealed again.
    can_file = decision is not None and (appeal is None or appeal.decision_id != decision.pk)
    if appeal is None and not can_file:
        return {"show": False}
    return {
        "show": True,
        "attempt": attempt,
        "appeal": appeal,
        "can_file": can_file,
        "closes": appeals.window_closes(decision) if decision else None,
        "csrf_token": context.get("csrf_token"),
        "messages": context.get("messages"),
    }
