"""The results page's "share as a playbook" form (candidates/_results_body.html)."""

from django import template

from partners import playbook_selectors, playbooks

register = template.Library()


@register.inclusion_tag("partners/playbooks/_share.html", takes_context=True)
def playbook_share_form(context, attempt, item):
    """The form to share one graded design, only for its author, only when the attempt's
    decision is a standing pass and the author is a current consultant of some firm."""
    user = context["request"].user
    scenario = ((item.get("report") or {}).get("scenario") or {}).get("slug")
    shown = {"show": False}
    if not (scenario and item.get("design") and attempt.candidate_id == user.pk):
        return shown
    if playbooks.passing_decision(attempt) is None:
        return shown
    firms = list(playbooks.shareable_firms(user=user))
    done = playbook_selectors.shared_designs(user=user, attempt_id=attempt.pk).get(scenario, set())
    return {
        "show": bool(firms),
        "attempt": attempt,
        "scenario": scenario,
        "title": item.get("title") or "",
        "firms": [f for f in firms if f.slug not in done],
        "shared_with": [f for f in firms if f.slug in done],
        "csrf_token": context.get("csrf_token"),
    }
