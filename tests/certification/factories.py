"""Factories for certifications, decisions and issued credentials."""

import factory

from assessments.models import Certification, CertificationDecision
from tests.factories import UserFactory


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"finance-ops-specialist-{n}")
    name = "AI Deployment Specialist: Finance Operations"
    level = "specialist"
    description = "Redesigns finance workflows with AI agents under sound controls."
    criteria = "Passed a timed scenario exam: every critical checkpoint and 70% overall."
    blueprint = factory.LazyFunction(
        lambda: [
            {"id": "risk-controls", "name": "Risk and controls", "weight": 0.4},
            {"id": "human-oversight", "name": "Human oversight", "weight": 0.3},
            {"id": "process-design", "name": "Process design", "weight": 0.3},
        ]
    )
    cut_score = 70.0
    validity_days = 730


class DecisionFactory(factory.django.DjangoModelFactory):
    """A passing, unreversed decision (``outcome="fail"`` for a failing one)."""

    class Meta:
        model = CertificationDecision

    user = factory.SubFactory(UserFactory)
    certification = factory.SubFactory(CertificationFactory)
    outcome = "pass"
    critical_passed = True
    total = 86.5
    cut_score = 70.0
    domain_scores = factory.LazyFunction(
        lambda: {"risk-controls": 90.0, "human-oversight": 80.0, "process-design": 88.0}
    )


def issue(decision=None, **decision_fields):
    """An issued credential (through the real service) for ``decision`` or a new one."""
    from certification.services import credential_issue

    decision = decision or DecisionFactory(**decision_fields)
    return credential_issue(decision_id=decision.pk)
