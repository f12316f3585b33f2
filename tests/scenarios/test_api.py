"""The scenario API, per role: anonymous, candidate, grader, programme staff."""

import json

import pytest

from scenarios.engine import MAX_DESIGN_BYTES

ROLES = ["anonymous", "candidate", "grader", "programme_admin"]
DETAIL = "/api/v1/scenarios/ap-invoice-processing/"
VALIDATE = DETAIL + "validate-design/"


def _client(request, client_for, role):
    return client_for(None if role == "anonymous" else request.getfixturevalue(role))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_scenario_list_needs_an_account(request, client_for, published_ap, role):
    response = _client(request, client_for, role).get("/api/v1/scenarios/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
        assert response.json()["code"] in ("not_authenticated", "authentication_failed")
        return
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["slug"] == "ap-invoice-processing"
    assert "content" not in body["results"][0]


@pytest.mark.django_db
def test_scenario_list_query_count_does_not_grow_with_scenarios(
    client_for, candidate, django_assert_max_num_queries
):
    from django.core.management import call_command

    from scenarios.services import pack_paths

    call_command("publish_scenarios")
    with django_assert_max_num_queries(4):
        body = client_for(candidate).get("/api/v1/scenarios/").json()
    assert body["count"] == len(pack_paths()) >= 4


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_version_list_per_role(request, client_for, published_ap, role):
    response = _client(request, client_for, role).get(DETAIL + "versions/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
        return
    assert response.status_code == 200
    assert [v["version"] for v in response.json()["results"]] == [published_ap.version]


@pytest.mark.django_db
def test_version_list_of_an_unknown_scenario_is_404(client_for, candidate):
    response = client_for(candidate).get("/api/v1/scenarios/nope/versions/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["candidate", "grader", "programme_admin"])
def test_nobody_sees_exemplars_or_hidden_cases_by_default(request, client_for, published_ap, role):
    body = _client(request, client_for, role).get(DETAIL).json()
    content = body["content"]
    assert body["full"] is False
    assert "exemplars" not in content and "flawed" not in content
    assert "adversarial" not in content["cases"]
    assert "brief" in content and "rubric" in content and "baseline" in content
    assert "14200" not in json.dumps(content), "the fraud cases' details stay hidden"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, status",
    [("anonymous", 401), ("candidate", 403), ("grader", 403), ("programme_admin", 200)],
)
def test_full_pack_is_for_programme_staff_only(request, client_for, published_ap, role, status):
    response = _client(request, client_for, role).get(DETAIL + "?full=1")
    assert response.status_code == status
    if status == 200:
        content = response.json()["content"]
        assert content["exemplars"] and content["flawed"] and content["cases"]["adversarial"]
    else:
        assert "exemplars" not in response.content.decode()


@pytest.mark.django_db
def test_django_staff_flag_also_opens_the_full_pack(client_for, candidate, published_ap):
    before = client_for(candidate).get(DETAIL + "?full=1")
    assert "exemplars" not in before.content.decode()
    candidate.is_staff = True
    candidate.save(update_fields=["is_staff"])
    response = client_for(candidate).get(DETAIL + "?full=1")
    assert response.status_code == 200
    content = response.json()["content"]
    assert content["exemplars"] and content["flawed"] and content["cases"]["adversarial"]


@pytest.mark.django_db
def test_detail_of_a_named_version(client_for, candidate, published_ap):
    client = client_for(candidate)
    assert (
        client.get(DETAIL + f"?version={published_ap.version}").json()["version"]
        == published_ap.version
    )
    assert client.get(DETAIL + "?version=99").status_code == 404
    bad = client.get(DETAIL + "?version=x")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_version"


@pytest.mark.django_db
def test_unknown_scenario_is_404(client_for, candidate):
    response = client_for(candidate).get("/api/v1/scenarios/nope/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("authenticated", [False, True])
def test_design_schema_is_public(client, django_user_model, authenticated, db):
    if authenticated:
        client.force_login(django_user_model.objects.create(email="x@example.test"))
    response = client.get("/api/v1/scenarios/design-schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"].startswith("Practica workflow design")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["candidate", "grader", "programme_admin"])
def test_validate_design_accepts_a_valid_design(
    request, client_for, published_ap, ap_exemplar, role
):
    response = _client(request, client_for, role).post(VALIDATE, ap_exemplar, format="json")
    assert response.status_code == 200
    assert response.json() == {"valid": True, "errors": []}


@pytest.mark.django_db
def test_validate_design_lists_every_problem_with_its_path(
    client_for, candidate, published_ap, ap_exemplar
):
    ap_exemplar["steps"][0]["performer"]["ref"] = "nobody"
    ap_exemplar["steps"][2]["owner"] = "ceo"
    response = client_for(candidate).post(VALIDATE, ap_exemplar, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_design" and body["detail"]
    problems = {e["path"]: e for e in body["errors"]}
    assert problems["$.steps[0].performer.ref"]["code"] == "unknown_agent"
    assert problems["$.steps[2].owner"]["code"] == "unknown_role"


@pytest.mark.django_db
def test_validate_design_refuses_broken_and_oversized_bodies(client_for, candidate, published_ap):
    client = client_for(candidate)
    broken = client.generic("POST", VALIDATE, "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["errors"][0]["code"] == "invalid_json"
    big = json.dumps({"rationale": {"summary": "x" * (MAX_DESIGN_BYTES + 10)}})
    oversized = client.generic("POST", VALIDATE, big, content_type="application/json")
    assert oversized.status_code in (400, 413)
    assert oversized.json()["code"] in ("invalid_design", "request_too_large")
    if oversized.status_code == 400:
        assert oversized.json()["errors"][0]["code"] == "too_large"


@pytest.mark.django_db
def test_validate_design_refuses_anonymous(client_for, published_ap):
    assert client_for(None).post(VALIDATE, {}, format="json").status_code in (401, 403)
