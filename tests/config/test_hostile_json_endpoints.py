"""Hostile JSON on every endpoint that takes a body, enumerated from the OpenAPI schema (so a
new endpoint is covered without editing this file), plus the verification page's upload.

Each endpoint is called as every kind of caller; hostile input must never give a 5xx, and at
least one caller must reach the body and get the parser's refusal, so an endpoint that reads
its body some other way fails here."""

import io
import re
import types

import pytest
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from assessments.models import Attempt, Escalation
from assessments.services import attempts as attempt_services
from assessments.services.human_scoring import human_item_claim_next
from config import parsers
from employers import services as employer_services
from tests.certification.factories import CertificationFactory, DecisionFactory, issue
from tests.factories import MembershipFactory, PartnerOrganisationFactory, UserFactory

DEEP = "[" * 5000 + "]" * 5000
HOSTILE_BODIES = {
    "nested-5000-deep": (DEEP, "json_too_deep"),
    "deep-inside-an-object": ('{"design": ' + DEEP + "}", "json_too_deep"),
    "lone-surrogate-in-a-string": ('{"design": {"name": "\\ud800"}}', "json_invalid_text"),
    "lone-surrogate-in-a-key": ('{"design": {"\\udfff": 1}}', "json_invalid_text"),
    "nul-in-a-string": ('{"reason": "a\\u0000b", "design": {}}', "json_invalid_text"),
    "nul-in-a-key": ('{"\\u0000": 1}', "json_invalid_text"),
    "nan": ('{"points": NaN}', "invalid_json"),
    "not-utf-8": (b'{"reason": "\xff"}', "invalid_json"),
}


def _json_body_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch") and "requestBody" in operation
    )


@pytest.fixture
def world(db, settings, tmp_path, monkeypatch):
    """One of everything an endpoint's path can name: an attempt in progress, a human item
    held by a grader, an escalation, a decision and its credential, a scenario."""
    from django.db import transaction

    from assessments.models import Exam, ExamScenario
    from tests.assessments.conftest import published_version_of

    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.CREDENTIAL_SIGNING_KEY = ""
    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())
    monkeypatch.setattr(
        "assessments.services.attempts.secrets", types.SimpleNamespace(randbelow=lambda n: 7)
    )

    firm, other_firm = PartnerOrganisationFactory(), PartnerOrganisationFactory()
    candidate = UserFactory()
    MembershipFactory(user=candidate, organisation=firm)
    grader = UserFactory(role=Role.GRADER)
    MembershipFactory(user=grader, organisation=other_firm)
    admin = UserFactory(role=Role.PROGRAMME_ADMIN)
    manager = UserFactory(role=Role.PARTNER_MANAGER)
    MembershipFactory(user=manager, organisation=firm, kind=Membership.Kind.MANAGER)

    version = published_version_of("ap-invoice-processing")
    certification = CertificationFactory(slug="hostile-input")
    exam = Exam.objects.create(slug="hostile", title="Hostile", certification=certification)
    ExamScenario.objects.create(exam=exam, scenario_version=version, position=1)

    from scenarios.engine import draw_variant, load_pack
    from scenarios.engine.selftest import design_of
    from scenarios.services import PACKS_DIR

    pack = load_pack(PACKS_DIR / "ap-invoice-processing")
    graded, _ = attempt_services.attempt_start(candidate=candidate, exam=exam)
    design = design_of(
        pack.resolve(draw_variant(pack, graded.seed)), "agent-extraction-with-callback"
    )
    attempt_services.attempt_submit(attempt=graded, designs={version.pk: design}, actor=candidate)
    item = human_item_claim_next(grader=grader)
    in_progress, _ = attempt_services.attempt_start(candidate=candidate, exam=exam)
    assert item is not None and in_progress.status == Attempt.Status.IN_PROGRESS

    decision = DecisionFactory(user=candidate, certification=certification)
    employer, hirer = _employer_world(admin)
    _, employer_key = employer_services.api_key_create(actor=hirer, employer=employer, name="k")
    return types.SimpleNamespace(
        users={
            "anonymous": None,
            "candidate": candidate,
            "grader": grader,
            "manager": manager,
            "admin": admin,
            "employer member": hirer,
            "employer API key": employer_key,  # sent as Authorization: Api-Key
        },
        # By parameter name, or "<segment before it>/<name>" where a name means different
        # things on different paths.
        path_values={
            "attempt_id": in_progress.pk,
            "scenario_version_id": version.pk,
            "item_id": item.pk,
            "escalation_id": Escalation.objects.create(
                kind=Escalation.Kind.GRADING_STUCK, target_type="attempt", target_id="x"
            ).pk,
            "decision_id": decision.pk,
            "credential_id": issue(decision).pk,
            "scenarios/slug": version.scenario.slug,
            "exams/slug": exam.slug,
            "partners/slug": firm.slug,
            "job_id": graded.jobs.get().pk,
            # quality (issue 12): ids nobody has, so each endpoint answers 4xx for everyone
            "appeal_id": "00000000-0000-4000-8000-000000000000",
            "pair_id": 999999,
            "item-statistics/slug": version.scenario.slug,
            "study_id": 999999,  # standard setting
            "employers/slug": employer.slug,
        },
    )


def _url(path: str, values: dict) -> str:
    def value(match):
        segment, name = match.group(1), match.group(2)
        found = values.get(f"{segment}/{name}", values.get(name))
        if found is None:
            pytest.fail(f"{path}: give the world fixture a value for {segment}/{{{name}}}")
        return f"{segment}/{found}"

    return re.sub(r"([\w-]+)/\{(\w+)\}", value, path)


def _codes(body: dict) -> set[str]:
    """The body's code, and its problems' codes (the design validator lists each problem)."""
    problems = body.get("errors")
    listed = (
        [p.get("code") for p in problems if isinstance(p, dict)]
        if isinstance(problems, list)
        else []
    )
    return {body["code"], *listed}


def _employer_world(admin):
    employer = employer_services.employer_create(actor=admin, name="Hostile employer")
    hirer = UserFactory()
    employer_services.member_add(actor=admin, employer=employer, user=hirer)
    return employer, hirer


def _call(user, method: str, url: str, body, **extra):
    client = APIClient()
    if isinstance(user, str):  # an employer's API key
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {user}")
    elif user is not None:
        client.force_authenticate(user=user)
    data = body.encode() if isinstance(body, str) else body
    return getattr(client, method)(url, data, content_type="application/json", **extra)


@pytest.mark.django_db
def test_hostile_json_is_a_4xx_with_code_and_detail_on_every_endpoint(world):
    wrong = []
    for method, path in _json_body_operations():
        url = _url(path, world.path_values)
        for name, (body, code) in HOSTILE_BODIES.items():
            cache.clear()  # rate limits: each body gets its own budget
            responses = {who: _call(user, method, url, body) for who, user in world.users.items()}
            for who, response in responses.items():
                if response.status_code >= 500 or not {"code", "detail"} <= set(response.json()):
                    wrong.append(f"{method} {path} {name} as {who}: {response.status_code}")
            if not any(
                r.status_code == 400 and code in _codes(r.json()) for r in responses.values()
            ):
                seen = {who: (r.status_code, r.json().get("code")) for who, r in responses.items()}
                wrong.append(f"{method} {path} {name}: nobody got 400 {code}: {seen}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_an_oversized_content_length_is_refused_before_the_body_is_read(world):
    """The test client's body is 2 bytes; reading the 50 MB it declares would fail loudly."""
    wrong = []
    for method, path in _json_body_operations():
        url = _url(path, world.path_values)
        for who, user in world.users.items():
            response = _call(user, method, url, "{}", CONTENT_LENGTH=str(50 * 1024 * 1024))
            if (
                response.status_code != 413
                or response["Content-Type"] != "application/problem+json"
                or response.json()["code"] != "request_too_large"
            ):
                wrong.append(f"{method} {path} as {who}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_the_endpoint_list_covers_every_json_endpoint_of_the_issue():
    operations = set(_json_body_operations())
    assert {
        ("post", "/api/v1/auth/token/"),
        ("post", "/api/v1/credentials/verify"),
        ("put", "/api/v1/attempts/{attempt_id}/drafts/{scenario_version_id}/"),
        ("post", "/api/v1/attempts/{attempt_id}/submit/"),
        ("post", "/api/v1/scenarios/{slug}/validate-design/"),
    } <= operations


def _drf_views(patterns=None, prefix: str = ""):
    """(route, view class) of every DRF view in the URLconf, in the schema or not."""
    from django.urls import get_resolver

    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _drf_views(pattern.url_patterns, route)
        elif getattr(pattern.callback, "cls", None) is not None:
            yield route, pattern.callback.cls


def test_every_api_view_reads_json_through_the_one_parser():
    views = list(_drf_views())
    assert len(views) > 20
    strays = [
        f"{route}: {parser.__module__}.{parser.__name__}"
        for route, view in views
        for parser in view.parser_classes
        if "json" in parser.media_type and not issubclass(parser, parsers.JSONParser)
    ]
    assert not strays, "parse JSON with config.parsers.JSONParser (or a subclass): " + ", ".join(
        strays
    )


# --- the verification page's upload -------------------------------------------------------


def _upload(client, content: bytes, **extra):
    file = io.BytesIO(content)
    file.name = "credential.json"
    return client.post("/verify/", {"credential": file}, **extra)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(HOSTILE_BODIES))
def test_the_verify_page_refuses_a_hostile_upload_with_a_400_page(client, name):
    body, _ = HOSTILE_BODIES[name]
    response = _upload(client, body.encode() if isinstance(body, str) else body)
    assert response.status_code == 400
    assert b"Result: Valid" not in response.content


@pytest.mark.django_db
def test_the_verify_page_refuses_a_200_mb_upload_from_its_content_length(client):
    response = _upload(client, b"{}", CONTENT_LENGTH=str(200 * 1024 * 1024))
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
