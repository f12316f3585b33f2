"""Playbooks, the writes: a consultant shares a passing design with a firm, or withdraws it.

Nothing is shared except by the author's own request with ``consent=True`` (the page's
checkbox, the API's field), and each share and withdrawal writes an audit row in the same
transaction. What the firm will see is copied into the playbook at that moment (see
``Playbook``); withdrawing erases the copy, so a withdrawn playbook is gone from every list,
page and API answer, not merely hidden by a filter.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, PartnerOrganisation, User
from assessments.models import Attempt, CertificationDecision, GradeReport
from audit.services import audit_record
from config.errors import Conflict, InvalidRequest, NotFound
from scenarios.engine import candidate_view, draw_variant
from scenarios.models import ScenarioVersion
from scenarios.selectors import METRIC_LABELS, pack_for_version, resources_of

from .playbook_models import Playbook

METRIC_KEYS = tuple(METRIC_LABELS)


def _numbers(metrics: dict | None) -> dict:
    """Only the named top-level figures: nothing else of the report leaves the attempt."""
    return {
        key: metrics[key]
        for key in METRIC_KEYS
        if isinstance((metrics or {}).get(key), int | float)
    }


def search_text(*, title: str, rationale: dict, scenario_title: str) -> str:
    return " ".join([title, scenario_title, *map(str, rationale.values())]).lower()


def passing_decision(attempt: Attempt) -> CertificationDecision | None:
    """The attempt's standing decision when it is a pass (unreversed), else None."""
    return CertificationDecision.objects.filter(
        attempt=attempt, reversed_at__isnull=True, outcome=CertificationDecision.Outcome.PASS
    ).first()


def shareable_firms(*, user: User):
    """The firms ``user`` may share with: those where they are a current consultant."""
    return PartnerOrganisation.objects.filter(
        memberships__user=user,
        memberships__kind=Membership.Kind.CONSULTANT,
        memberships__left_at__isnull=True,
    ).order_by("name")


def _own_attempt(*, user: User, attempt_id) -> Attempt:
    try:
        attempt_id = uuid.UUID(str(attempt_id))
    except ValueError:
        raise NotFound("No such attempt.", code="attempt_not_found") from None
    attempt = Attempt.objects.filter(pk=attempt_id, candidate=user).first()
    if attempt is None:
        raise NotFound("No such attempt.", code="attempt_not_found")
    return attempt


def _version(attempt: Attempt, scenario: str) -> ScenarioVersion:
    version = (
        ScenarioVersion.objects.filter(pk__in=attempt.scenario_version_ids, scenario__slug=scenario)
        .select_related("scenario")
        .first()
    )
    if version is None or str(version.pk) not in (attempt.submission or {}):
        raise NotFound("The attempt has no design for that scenario.", code="design_not_found")
    return version


def playbook_share(
    *,
    user: User,
    attempt_id,
    scenario: str,
    organisation_slug: str,
    consent: bool,
    title: str = "",
) -> Playbook:
    """Share the design ``user`` submitted for ``scenario`` in their attempt with a firm where
    they are a current consultant, as a playbook.

    Refuses (domain errors): without ``consent`` (InvalidRequest ``consent_required``); someone
    else's attempt or a firm the user does not belong to (NotFound); a decision that is not a
    standing pass (Conflict ``not_passed``); a design already shared with that firm (Conflict
    ``already_shared``)."""
    if consent is not True:
        raise InvalidRequest(
            "Sharing needs your explicit consent (consent: true).", code="consent_required"
        )
    attempt = _own_attempt(user=user, attempt_id=attempt_id)
    firm = shareable_firms(user=user).filter(slug=organisation_slug).first()
    if firm is None:
        raise NotFound("You are not a consultant of that firm.", code="firm_not_found")
    decision = passing_decision(attempt)
    if decision is None:
        raise Conflict("Only a design that passed can be shared.", code="not_passed")
    version = _version(attempt, scenario)
    design = attempt.submission[str(version.pk)]
    grade = GradeReport.objects.filter(pk__in=decision.report_ids, scenario_version=version).first()
    report = candidate_view(grade.report) if grade else {}
    pack = pack_for_version(version)
    rationale = {k: str(v) for k, v in (design.get("rationale") or {}).items()}
    title = (title or "").strip()[:200] or version.title
    playbook = Playbook(
        organisation=firm,
        author=user,
        attempt=attempt,
        decision=decision,
        scenario_version=version,
        workflow_type=version.scenario.slug,
        scenario_title=version.title,
        title=title,
        rationale=rationale,
        design=design,
        resources=resources_of(pack, draw_variant(pack, attempt.seed)),
        metrics=_numbers(report.get("metrics")),
        baseline_metrics=_numbers(report.get("baseline_metrics")),
        search_text=search_text(title=title, rationale=rationale, scenario_title=version.title),
    )
    try:
        with transaction.atomic():
            playbook.save()
            audit_record(
                actor=user,
                action="playbook.share",
                target=playbook,
                reason="shared by its author",
                data={
                    "organisation": firm.slug,
                    "attempt": str(attempt.pk),
                    "scenario_version": version.pk,
                },
            )
    except IntegrityError as error:
        raise Conflict(
            "This design is already shared with that firm.", code="already_shared"
        ) from error
    return playbook


@transaction.atomic
def playbook_withdraw(*, user: User, playbook_id: int) -> Playbook:
    """The author withdraws consent: the playbook's content is erased and it leaves the firm's
    library at once. Anyone but the author, or a playbook already withdrawn: NotFound."""
    playbook = (
        Playbook.objects.select_for_update()
        .filter(pk=playbook_id, author=user, withdrawn_at__isnull=True)
        .first()
    )
    if playbook is None:
        raise NotFound("No such playbook.", code="playbook_not_found")
    playbook.withdrawn_at = timezone.now()
    playbook.rationale = playbook.design = playbook.resources = {}
    playbook.metrics = playbook.baseline_metrics = {}
    playbook.search_text = ""
    playbook.save(
        update_fields=[
            "withdrawn_at",
            "rationale",
            "design",
            "resources",
            "metrics",
            "baseline_metrics",
            "search_text",
        ]
    )
    audit_record(
        actor=user,
        action="playbook.withdraw",
        target=playbook,
        reason="consent withdrawn by its author",
        data={"organisation_id": playbook.organisation_id},
    )
    return playbook
