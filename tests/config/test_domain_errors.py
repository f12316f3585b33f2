"""Services raise domain errors; the one exception handler says what each is over HTTP."""

import pytest
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from config import errors


def _raising(error: Exception):
    class View(APIView):
        authentication_classes = [TokenAuthentication]
        permission_classes = [AllowAny]

        def get(self, request):
            raise error

    return View.as_view()(APIRequestFactory().get("/api/v1/anything/"))


@pytest.mark.parametrize(
    "error, status, code",
    [
        (errors.InvalidRequest("Say why.", code="reason_required"), 400, "reason_required"),
        (errors.Unauthorized(), 401, "not_authenticated"),
        (
            errors.Forbidden("Not your firm's.", code="conflict_of_interest"),
            403,
            "conflict_of_interest",
        ),
        (errors.NotFound("No such part.", code="unknown_part"), 404, "unknown_part"),
        (errors.Conflict("Already submitted.", code="attempt_submitted"), 409, "attempt_submitted"),
        (errors.TooLarge("Too big.", code="design_too_large"), 413, "design_too_large"),
        (errors.DomainError("Refused."), 400, "invalid_request"),
    ],
)
def test_each_domain_error_has_its_status_and_the_usual_body(error, status, code):
    response = _raising(error)
    assert response.status_code == status
    assert response.data == {"code": code, "detail": error.message}


def test_a_domain_error_with_a_list_of_problems_carries_them_as_errors():
    problems = [{"path": "$.steps[0]", "message": "unknown role", "code": "unknown_ref"}]
    response = _raising(errors.InvalidRequest("Fix these.", code="invalid_design", errors=problems))
    assert response.status_code == 400
    assert response.data == {"code": "invalid_design", "detail": "Fix these.", "errors": problems}


def test_a_subclass_takes_its_ancestors_status():
    class AlreadyDecided(errors.Conflict):
        default_code = "already_decided"

    response = _raising(AlreadyDecided("Decided."))
    assert response.status_code == 409 and response.data["code"] == "already_decided"


def test_unauthorized_says_how_to_authenticate():
    assert _raising(errors.Unauthorized())["WWW-Authenticate"] == "Token"


def test_domain_errors_know_nothing_of_http():
    error = errors.Conflict("Already submitted.", code="attempt_submitted")
    assert str(error) == "Already submitted." and error.code == "attempt_submitted"
    assert not hasattr(error, "status_code")
    assert errors.NotFound().code == "not_found" and errors.NotFound().message
