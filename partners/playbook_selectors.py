"""Playbooks, the reads. A firm's library is for the firm's current members (consultants and
managers) only: anyone else, programme admins included, gets *not found* (the author consented
to share with the firm, not with the platform). A playbook leaves every list when its author
withdraws it or when its decision is reversed."""

from django.db.models import Count, QuerySet

from accounts.models import PartnerOrganisation, User
from config.errors import NotFound
from scenarios.selectors import METRIC_LABELS

from .playbook_models import Playbook

# List views never load the design or its resources: only the detail draws the diagram.
LIST_FIELDS = (
    "id",
    "organisation_id",
    "author__full_name",
    "workflow_type",
    "scenario_title",
    "title",
    "rationale",
    "metrics",
    "baseline_metrics",
    "shared_at",
)


def library_firm(*, user: User, slug: str) -> PartnerOrganisation:
    """The firm whose library ``user`` may read (a current member of any kind), else NotFound."""
    firm = None
    if user.is_authenticated:
        firm = PartnerOrganisation.objects.filter(
            slug=slug, memberships__user=user, memberships__left_at__isnull=True
        ).first()
    if firm is None:
        raise NotFound("No such firm.", code="firm_not_found")
    return firm


def shared(*, firm: PartnerOrganisation) -> QuerySet[Playbook]:
    return Playbook.objects.filter(
        organisation=firm, withdrawn_at__isnull=True, decision__reversed_at__isnull=True
    )


def library(
    *, firm: PartnerOrganisation, query: str = "", workflow_type: str = ""
) -> QuerySet[Playbook]:
    """The firm's playbooks, newest first, filtered by workflow type and searched in title,
    scenario and rationale (case-insensitive containment of the lower-cased text stored when
    shared: a firm's library is small, and this runs the same on SQLite and PostgreSQL)."""
    queryset = shared(firm=firm)
    if workflow_type:
        queryset = queryset.filter(workflow_type=workflow_type)
    for word in query.lower().split()[:8]:
        queryset = queryset.filter(search_text__contains=word)
    return queryset.select_related("author").only(*LIST_FIELDS).order_by("-shared_at", "-pk")


def workflow_types(*, firm: PartnerOrganisation) -> list[dict]:
    """``[{workflow_type, scenario_title, count}]`` of the firm's library, in one query."""
    rows = (
        shared(firm=firm)
        .values("workflow_type")
        .annotate(count=Count("pk"))
        .order_by("workflow_type")
    )
    titles = dict(
        shared(firm=firm)
        .order_by("workflow_type", "-shared_at")
        .values_list("workflow_type", "scenario_title")
    )
    return [{**row, "scenario_title": titles.get(row["workflow_type"], "")} for row in rows]


def playbook_in_library(*, firm: PartnerOrganisation, playbook_id: int) -> Playbook:
    playbook = shared(firm=firm).select_related("author").filter(pk=playbook_id).first()
    if playbook is None:
        raise NotFound("No such playbook.", code="playbook_not_found")
    return playbook


def playbooks_of(*, user: User) -> QuerySet[Playbook]:
    """The author's own shared playbooks (to withdraw them), with each firm."""
    return (
        Playbook.objects.filter(author=user, withdrawn_at__isnull=True)
        .select_related("organisation")
        .only(
            "id", "title", "scenario_title", "shared_at", "organisation__name", "organisation__slug"
        )
    )


def shared_designs(*, user: User, attempt_id) -> dict[str, set[str]]:
    """``{scenario slug: {firm slugs}}`` the user already shared from this attempt."""
    found: dict[str, set[str]] = {}
    rows = Playbook.objects.filter(
        author=user, attempt_id=attempt_id, withdrawn_at__isnull=True
    ).values_list("workflow_type", "organisation__slug")
    for scenario, slug in rows:
        found.setdefault(scenario, set()).add(slug)
    return found


def comparison(playbook: Playbook) -> list[dict]:
    """The simulated figures, the design's beside today's process."""
    return [
        {
            "label": label,
            "design": playbook.metrics.get(key),
            "today": playbook.baseline_metrics.get(key),
        }
        for key, label in METRIC_LABELS.items()
        if key in playbook.metrics
    ]
