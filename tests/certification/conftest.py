import json
from pathlib import Path

import pytest

from assessments.models import Certification, CertificationDecision

SHARED = Path(__file__).resolve().parents[3] / "shared" / "standards"


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings, tmp_path):
    """Each test signs with its own throwaway key folder; nothing touches var/keys."""
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.CREDENTIAL_SIGNING_KEY = ""
    settings.CREDENTIAL_ISSUER_METHOD = "did:key"
    settings.PUBLIC_BASE_URL = "https://practica.example"


@pytest.fixture
def certification(db):
    return Certification.objects.create(
        slug="finance-ops-specialist",
        name="AI Deployment Specialist: Finance Operations",
        description="Redesigns finance workflows with AI agents under sound controls.",
        criteria="Passed a timed scenario exam: every critical checkpoint and 70% overall.",
        blueprint=[
            {"id": "risk-controls", "name": "Risk and controls", "weight": 0.4},
            {"id": "human-oversight", "name": "Human oversight", "weight": 0.3},
            {"id": "process-design", "name": "Process design", "weight": 0.3},
        ],
        cut_score=70,
        validity_days=730,
    )


@pytest.fixture
def passing_decision(candidate, certification):
    return CertificationDecision.objects.create(
        user=candidate,
        certification=certification,
        outcome="pass",
        critical_passed=True,
        total=86.5,
        cut_score=70,
        domain_scores={"risk-controls": 90.0, "human-oversight": 80.0, "process-design": 88.0},
    )


@pytest.fixture
def issued(passing_decision):
    from certification.services import credential_issue

    return credential_issue(decision_id=passing_decision.pk)


def shared_file(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is not present (the shared standards folder is missing on this machine)"
        )
    return path


def load_shared(*parts: str):
    return json.loads(shared_file(*parts).read_text())
