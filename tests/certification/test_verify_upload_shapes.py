"""POST /api/v1/credentials/verify says how to send a credential that came wrapped or as the
wrong multipart part, instead of verifying the wrapper ("@context must start with ...")."""

import io
import json

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/credentials/verify"


@pytest.mark.parametrize("key", ["credential", "verifiableCredential"])
def test_a_wrapped_credential_is_told_to_send_the_credential_itself(client, issued, key):
    response = client.post(URL, {key: issued.document}, content_type="application/json")
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "not_a_credential"
    assert f'not wrapped in {{"{key}": ...}}' in problem["detail"]
    assert "@context" not in problem["detail"]


def test_a_multipart_upload_under_another_name_is_told_the_part_name(client, issued):
    upload = io.BytesIO(json.dumps(issued.document).encode())
    upload.name = "credential.json"
    response = client.post(URL, {"file": upload})
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "not_a_credential"
    assert "file part named 'credential'" in problem["detail"] and "'file'" in problem["detail"]


def test_the_documented_body_and_upload_verify(client, issued):
    assert client.post(URL, issued.document, content_type="application/json").json()["verified"]
    upload = io.BytesIO(json.dumps(issued.document).encode())
    upload.name = "credential.json"
    assert client.post(URL, {"credential": upload}).json()["verified"]
