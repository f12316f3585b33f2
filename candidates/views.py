"""The consultant's pages. Thin: access through the assessments selectors, writes through the
assessments services, and what a page shows comes from ``candidates.selectors``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import IsCandidate
from assessments import selectors as exams
from assessments.models import Attempt
from assessments.serializers import AttemptResultOutputSerializer
from assessments.services import attempts as attempt_services
from config.errors import DomainError, InvalidRequest
from config.landing import landing_for
from scenarios import engine
from scenarios.models import ScenarioVersion
from scenarios.selectors import practice_version, practice_versions

from . import practice, selectors


class SignInView(auth_views.LoginView):
    """Email and password; the lockout after repeated failures applies here as on every login
    path (django-axes hooks ``authenticate``)."""

    template_name = "candidates/signin.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # Each role lands where its work is (by URL name: the pages of other apps are not imported).
        user = self.request.user
        if user.is_programme_admin:
            return reverse("admin:index")
        if user.role == Role.GRADER:
            return reverse("quality-workbench")
        return landing_for(user) or reverse("candidate-home")


class SignOutView(auth_views.LogoutView):
    next_page = "candidate-signin"


def candidate_required(view):
    """Signed in as someone who sits exams (a consultant, or a partner manager who is one too,
    as ``IsCandidate`` says for the API); others get a page that says so."""

    @login_required(login_url="candidate-signin")
    def wrapped(request, *args, **kwargs):
        if request.user.role not in (Role.CANDIDATE, Role.PARTNER_MANAGER):
            return render(request, "candidates/not_for_role.html", status=403)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _own_attempt(request, attempt_id) -> Attempt:
    attempt = get_object_or_404(
        exams.attempts_for_user(user=request.user).filter(candidate=request.user), pk=attempt_id
    )
    return attempt_services.attempt_expire_if_due(attempt=attempt)


@require_GET
@candidate_required
def home(request):
    """Certifications earned (with credential links), in progress, eligible, expiring."""
    return render(request, "candidates/home.html", selectors.home(user=request.user))


@candidate_required
def exam_detail(request, slug: str):
    """The exam's rules before it starts; POST starts (or resumes) the attempt."""
    exam = get_object_or_404(exams.open_exams(), slug=slug)
    if request.method == "POST":
        try:
            attempt, _ = attempt_services.attempt_start(candidate=request.user, exam=exam)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("candidate-exam", slug=slug)
        return redirect("candidate-room", attempt_id=attempt.pk)
    rules = selectors.exam_rules(candidate=request.user, exam=exam)
    return render(request, "candidates/exam.html", {"rules": rules, "exam": exam})


@require_GET
@candidate_required
def room(request, attempt_id):
    """The exam room: brief, today's workflow, resources and the editor."""
    attempt = _own_attempt(request, attempt_id)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("candidate-results", attempt_id=attempt.pk)
    context = selectors.room(attempt=attempt)
    context["editor_config"] = {
        "attempt_id": str(attempt.pk),
        "deadline": attempt.deadline.isoformat(),
        "server_now": timezone.now().isoformat(),
        "submit_url": reverse("attempt-submit", kwargs={"attempt_id": attempt.pk}),
        "results_url": reverse("candidate-results", kwargs={"attempt_id": attempt.pk}),
        "parts": [
            {
                key: part[key]
                for key in (
                    "scenario_version_id",
                    "scenario",
                    "title",
                    "draft",
                    "resources",
                    "draft_url",
                    "validate_url",
                )
            }
            for part in context["parts"]
        ],
    }
    return render(request, "candidates/room.html", context)


def _results_context(attempt: Attempt) -> dict:
    data = AttemptResultOutputSerializer(exams.attempt_result(attempt=attempt)).data
    return selectors.results(attempt=attempt, result=data)


@require_GET
@candidate_required
def results(request, attempt_id):
    """Grading progress, then the decision and why, checkpoint by checkpoint."""
    attempt = _own_attempt(request, attempt_id)
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return redirect("candidate-room", attempt_id=attempt.pk)
    return render(request, "candidates/results.html", _results_context(attempt))


@require_GET
@candidate_required
def results_status(request, attempt_id):
    """The part of the results page that updates itself (htmx) while grading runs."""
    attempt = _own_attempt(request, attempt_id)
    if attempt.status == Attempt.Status.IN_PROGRESS:
        raise Http404
    return render(request, "candidates/_results_body.html", _results_context(attempt))


# --- The practice room -----------------------------------------------------------------------


@require_GET
@candidate_required
def practice_index(request):
    """The practice scenarios: the same editor and results, nothing recorded."""
    return render(request, "candidates/practice_index.html", {"versions": practice_versions()})


@require_GET
@candidate_required
def practice_room_page(request, slug: str):
    try:
        version = practice_version(slug)
    except ScenarioVersion.DoesNotExist:
        raise Http404("No practice scenario with that name.") from None
    context = practice.practice_room(version=version, user=request.user)
    part = context["part"]
    context["editor_config"] = {
        "practice": True,
        "simulate_url": reverse("practice-simulate", kwargs={"slug": slug}),
        "parts": [
            {
                "scenario_version_id": version.pk,
                "scenario": slug,
                "title": version.title,
                "draft": None,
                "resources": part["resources"],
                "draft_url": f"practice:{slug}",
                "validate_url": reverse("scenario-validate-design", kwargs={"slug": slug}),
            }
        ],
    }
    return render(request, "candidates/practice_room.html", context)


class SimulateThrottle(UserRateThrottle):
    """Simulating costs a grading run: a consultant may ask for a few a minute."""

    scope = "simulate"

    def get_rate(self) -> str:
        return getattr(settings, "THROTTLE_SIMULATE", "30/minute")


class PracticeSimulateView(APIView):
    """Grade the design now (no queue) and answer the results view's HTML; an invalid design
    gets the usual 400 with its errors. Nothing is stored."""

    permission_classes = [IsCandidate]
    throttle_classes = [SimulateThrottle]

    @extend_schema(exclude=True)
    def post(self, request, slug: str):
        try:
            version = practice_version(slug)
        except ScenarioVersion.DoesNotExist:
            raise Http404("No practice scenario with that name.") from None
        design = request.data.get("design") if isinstance(request.data, dict) else None
        if not isinstance(design, dict):
            raise InvalidRequest('Send {"design": {...}}: the design to simulate.', code="invalid")
        try:
            item = practice.practice_simulate(version=version, user=request.user, design=design)
        except engine.InvalidDesign as exc:
            raise InvalidRequest(
                "The design has problems; fix them and simulate again.",
                code="invalid_design",
                errors=[e.to_dict() for e in exc.errors],
            ) from None
        html = render_to_string(
            "candidates/_practice_results.html", {"item": item}, request=request
        )
        return HttpResponse(html, content_type="text/html; charset=utf-8")
