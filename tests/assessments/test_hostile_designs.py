"""Issue 9.6 over the attempt endpoints: hostile numbers and names in a submitted design come
back as 400 with the error list (never a 500), and the size limit counts UTF-8 bytes."""

import copy
import json

import pytest

from assessments.models import Attempt
from scenarios.engine import MAX_DESIGN_BYTES


def _start(client, exam):
    response = client.post(f"/api/v1/exams/{exam.slug}/attempts/")
    assert response.status_code in (200, 201), response.json()
    return Attempt.objects.get(pk=response.json()["id"])


def _huge_number(design):
    design["steps"][0]["routes"][0]["when"][0]["value"] = 10**400


def _end_as_id(design):
    pay = next(s for s in design["steps"] if s["id"] == "pay")
    pay["id"] = "end"
    for step in design["steps"]:
        if step.get("next") == "pay":
            step["next"] = "end"


def _text_vs_number(design):
    design["steps"][0]["routes"][0]["when"][0] = {"attr": "vendor_risk", "op": "==", "value": 3}


def _reversed_rollout(design):
    design["rollout"]["phases"].reverse()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (_huge_number, "out_of_range"),
        (_end_as_id, "reserved_id"),
        (_text_vs_number, "type"),
        (_reversed_rollout, "rollout_order"),
    ],
)
def test_submitting_a_hostile_design_is_a_400_with_errors(
    client_for, candidate, exam, exemplar_for, mutate, code
):
    client = client_for(candidate)
    attempt = _start(client, exam)
    design = copy.deepcopy(exemplar_for(attempt))
    mutate(design)
    response = client.generic(
        "POST",
        f"/api/v1/attempts/{attempt.pk}/submit/",
        json.dumps({"designs": {str(attempt.scenario_version_ids[0]): design}}),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "invalid_design"
    assert code in {e["code"] for e in body["errors"]}
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS


@pytest.mark.django_db
def test_a_non_ascii_draft_within_the_byte_limit_is_saved(client_for, candidate, exam, ap_version):
    client = client_for(candidate)
    attempt = _start(client, exam)
    # About 200 KB as UTF-8 (2 bytes a character), about 600 KB with \\u escapes.
    design = {"rationale": {f"notes_{k}": "é" * 10_000 for k in range(10)}}
    body = json.dumps({"design": design}, ensure_ascii=False).encode()
    assert len(body) < MAX_DESIGN_BYTES < len(json.dumps(design))
    response = client.generic(
        "PUT",
        f"/api/v1/attempts/{attempt.pk}/drafts/{ap_version.pk}/",
        body,
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code in (200, 201), response.content[:300]
