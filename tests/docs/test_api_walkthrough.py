"""docs/exams/api-walkthrough.md runs as written: its shell blocks, in order, in one bash, with
curl and jq, against a live test server holding the demo data. Only the API address changes.
Any HTTP error fails the run (curl is given --fail-with-body), so the doc cannot drift from the
API."""

import json
import re
import shutil
import subprocess
import types
from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.models import CertificationDecision, Escalation, RegradeBatch
from certification.models import Credential
from scenarios import engine
from scenarios.services import PACKS_DIR

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "exams" / "api-walkthrough.md"
DOCUMENTED_API = "API=http://127.0.0.1:8000/api/v1"
AP = engine.load_pack(PACKS_DIR / "ap-invoice-processing")


def seed_with_threshold(threshold: int) -> int:
    return next(
        seed
        for seed in range(1000)
        if engine.draw_variant(AP, seed)["approval_threshold"] == threshold
    )


def shell_blocks(markdown: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", markdown, flags=re.DOTALL)


def walkthrough_script(api_url: str) -> str:
    script = "\n".join(shell_blocks(DOC.read_text()))
    assert script.count(DOCUMENTED_API) == 1, "the doc sets API once, to make run's address"
    return "\n".join(
        [
            "set -euo pipefail",
            'curl() { command curl --fail-with-body --show-error "$@"; }',
            script.replace(DOCUMENTED_API, f"API={api_url}/api/v1"),
        ]
    )


def test_the_walkthrough_has_one_shell_session_from_login_to_revocation():
    script = "\n".join(shell_blocks(DOC.read_text()))
    steps = [
        "auth/token/",
        "/attempts/ > attempt.json",
        "/drafts/$PART/",
        "/submit/",
        "/grading/items/claim-next/",
        "/score/",
        ".decision.credential.id",
        "/me/",
        "/resolve/",
        "/regrades/",
        "/regrade-batches/",
        "/apply/",
        "/revoke",
        "/reverse/",
    ]
    position = 0
    for step in steps:  # each step comes after the one before it
        position = script.find(step, position)
        assert position != -1, f"{step!r} missing, or out of order"
    assert script.count("$(login ") == 3, "one log-in per person"
    assert "my-design.json" not in script.split("> my-design.json")[0], "made before it is used"


@pytest.mark.skipif(not (shutil.which("curl") and shutil.which("jq")), reason="needs curl and jq")
@pytest.mark.django_db(transaction=True)
def test_the_walkthrough_runs_as_written(live_server, settings, tmp_path, monkeypatch):
    # Every attempt draws its variant at random; this run takes the lowest approval threshold
    # (the design recipe for each threshold is checked below, without a server).
    seed = seed_with_threshold(min(AP.data["variant_parameters"]["approval_threshold"]["choices"]))
    monkeypatch.setattr(
        "assessments.services.attempts.secrets", types.SimpleNamespace(randbelow=lambda n: seed)
    )
    settings.DEBUG = True
    settings.PUBLIC_BASE_URL = live_server.url
    call_command("load_demo_data")
    (tmp_path / "docs").symlink_to(ROOT / "docs")

    run = subprocess.run(
        ["bash", "-c", walkthrough_script(live_server.url)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert run.returncode == 0, f"{run.stdout[-4000:]}\n--- stderr ---\n{run.stderr[-4000:]}"
    out = run.stdout
    assert '"outcome": "pass"' in out and '"status": "valid"' in out
    assert '"status": "revoked"' in out and '"grading_status": "reversed"' in out
    decision = CertificationDecision.objects.get(
        user__email="priya@practica.test", attempt__exam__slug="ap-invoice-processing-exam"
    )
    assert decision.reversed_at is not None
    assert Credential.objects.get(decision=decision).revoked_at is not None
    assert not Escalation.objects.filter(resolved_at__isnull=True).exists()
    batch = RegradeBatch.objects.get()
    assert batch.status in ("applying", "applied") and len(batch.attempt_ids) == 2


def _documented_design_recipe() -> str:
    script = "\n".join(shell_blocks(DOC.read_text()))
    [line] = [x for x in script.splitlines() if x.startswith("jq --argjson t")]
    return line.rstrip(" \\") + " docs/scenarios/examples/ap-exemplar.json"


@pytest.mark.skipif(not shutil.which("jq"), reason="needs jq")
@pytest.mark.parametrize(
    "threshold", AP.data["variant_parameters"]["approval_threshold"]["choices"]
)
def test_the_documented_design_passes_every_critical_checkpoint_at_each_threshold(threshold):
    seed = seed_with_threshold(threshold)
    recipe = _documented_design_recipe().replace('"$THRESHOLD"', str(threshold))
    design = json.loads(
        subprocess.run(
            ["bash", "-c", recipe], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    )
    assert engine.validate_design(design, AP) == []
    report = engine.grade(AP, seed, design).to_dict()
    assert report["critical_failures"] == [] and report["decision"] == "awaiting_human"
