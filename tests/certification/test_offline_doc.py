"""The offline verification recipe in docs/credentials works on what the platform issues."""

import json
import subprocess
import sys
from pathlib import Path

from certification.models import StatusList
from certification.services import credential_revoke
from certification.vc.jsonld import CONTEXTS_DIR

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "credentials" / "verify_offline.py"


def _run(tmp_path, credential_doc, status_list=None, *extra) -> subprocess.CompletedProcess:
    credential_file = tmp_path / "credential.json"
    credential_file.write_text(json.dumps(credential_doc))
    args = [sys.executable, str(SCRIPT), str(credential_file), "--contexts", str(CONTEXTS_DIR)]
    if status_list is not None:
        (tmp_path / "status.json").write_text(json.dumps(status_list))
        args += ["--status-list", str(tmp_path / "status.json")]
    return subprocess.run([*args, *extra], capture_output=True, text=True, timeout=60)


def test_documented_script_verifies_checks_status_and_catches_forgery(
    tmp_path, issued, programme_admin
):
    served = StatusList.objects.get(pk=issued.status_list_id).signed
    ok = _run(tmp_path, issued.document, served)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "signature: valid" in ok.stdout and "not revoked" in ok.stdout

    forged = dict(issued.document, name="Chief AI Officer")
    tampered = _run(tmp_path, forged)
    assert tampered.returncode == 1
    assert tampered.stdout.strip() == (
        "INVALID: the signature does not match the document: it was changed after it was "
        "signed, or signed with another key"
    )

    credential_revoke(credential=issued, actor=programme_admin, reason="fraud")
    revoked = _run(
        tmp_path, issued.document, StatusList.objects.get(pk=issued.status_list_id).signed
    )
    assert revoked.returncode == 1 and "REVOKED" in revoked.stdout


def test_without_a_status_list_the_status_is_unknown_and_the_exit_code_says_so(tmp_path, issued):
    unchecked = _run(tmp_path, issued.document)
    assert unchecked.returncode == 3, unchecked.stdout + unchecked.stderr
    assert "signature: valid" in unchecked.stdout and "status: UNKNOWN" in unchecked.stdout

    accepted = _run(tmp_path, issued.document, None, "--no-status-check")
    assert accepted.returncode == 0 and "status: UNKNOWN" in accepted.stdout


def test_a_status_list_that_does_not_verify_is_reported_not_a_traceback(tmp_path, issued):
    served = StatusList.objects.get(pk=issued.status_list_id).signed
    broken = dict(served, validFrom="2000-01-01T00:00:00Z")
    result = _run(tmp_path, issued.document, broken)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "status: UNKNOWN (the status list does not verify: the signature does not match" in (
        result.stdout
    )
