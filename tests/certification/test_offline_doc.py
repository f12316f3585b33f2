"""The offline verification recipe in docs/credentials works on what the platform issues."""

import json
import subprocess
import sys
from pathlib import Path

from certification.models import StatusList
from certification.services import credential_revoke
from certification.vc.jsonld import CONTEXTS_DIR

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "credentials" / "verify_offline.py"


def _run(tmp_path, credential_doc, status_list=None) -> subprocess.CompletedProcess:
    credential_file = tmp_path / "credential.json"
    credential_file.write_text(json.dumps(credential_doc))
    args = [sys.executable, str(SCRIPT), str(credential_file), "--contexts", str(CONTEXTS_DIR)]
    if status_list is not None:
        (tmp_path / "status.json").write_text(json.dumps(status_list))
        args += ["--status-list", str(tmp_path / "status.json")]
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def test_documented_script_verifies_checks_status_and_catches_forgery(
    tmp_path, issued, programme_admin
):
    served = StatusList.objects.get(pk=issued.status_list_id).signed
    ok = _run(tmp_path, issued.document, served)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "signature: valid" in ok.stdout and "not revoked" in ok.stdout

    forged = dict(issued.document, name="Chief AI Officer")
    assert _run(tmp_path, forged).returncode == 1

    credential_revoke(credential=issued, actor=programme_admin, reason="fraud")
    revoked = _run(
        tmp_path, issued.document, StatusList.objects.get(pk=issued.status_list_id).signed
    )
    assert revoked.returncode == 1 and "REVOKED" in revoked.stdout
