import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, status",
    [
        ("anonymous", (401, 403)),
        ("candidate", (200,)),
        ("grader", (200,)),
        ("programme_admin", (200,)),
    ],
)
def test_scenario_list_permissions(request, client_for, published_ap, role, status):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = client_for(user).get("/api/v1/scenarios/")
    assert response.status_code in status
    if response.status_code == 200:
        assert response.json()[0]["slug"] == "ap-invoice-processing"


@pytest.mark.django_db
def test_candidates_never_see_exemplars_or_hidden_cases(client_for, candidate, published_ap):
    body = client_for(candidate).get("/api/v1/scenarios/ap-invoice-processing/").json()
    content = body["content"]
    assert "exemplars" not in content and "flawed" not in content
    assert "adversarial" not in content["cases"]
    assert "brief" in content and "rubric" in content


@pytest.mark.django_db
def test_full_pack_is_for_programme_staff_only(
    client_for, candidate, programme_admin, published_ap
):
    url = "/api/v1/scenarios/ap-invoice-processing/?full=1"
    assert client_for(candidate).get(url).status_code == 403
    full = client_for(programme_admin).get(url).json()["content"]
    assert full["exemplars"] and full["cases"]["adversarial"]


@pytest.mark.django_db
def test_unknown_scenario_is_404(client_for, candidate):
    response = client_for(candidate).get("/api/v1/scenarios/nope/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_design_schema_is_public(client):
    response = client.get("/api/v1/scenarios/design-schema/")
    assert response.status_code == 200
    assert response.json()["title"].startswith("Practica workflow design")


@pytest.mark.django_db
def test_validate_design_returns_paths(client_for, candidate, published_ap, ap_exemplar):
    client = client_for(candidate)
    url = "/api/v1/scenarios/ap-invoice-processing/validate-design/"
    assert client.post(url, ap_exemplar, format="json").json() == {"valid": True, "errors": []}
    ap_exemplar["steps"][0]["performer"]["ref"] = "nobody"
    body = client.post(url, ap_exemplar, format="json").json()
    assert body["valid"] is False
    assert body["errors"][0]["path"] == "$.steps[0].performer.ref"


@pytest.mark.django_db
def test_validate_design_refuses_anonymous(client_for, published_ap):
    url = "/api/v1/scenarios/ap-invoice-processing/validate-design/"
    assert client_for(None).post(url, {}, format="json").status_code in (401, 403)
