"""Credential rows written directly (no signing), so a test can set every date it needs."""

from datetime import timedelta

import factory
from django.utils import timezone

from certification.models import Credential, StatusList
from tests.certification.factories import CertificationFactory, DecisionFactory


def status_list() -> StatusList:
    found = StatusList.objects.filter(issuer="did:example:partners-tests").first()
    return found or StatusList.objects.create(issuer="did:example:partners-tests", bits=b"")


class CredentialRowFactory(factory.django.DjangoModelFactory):
    """An active credential for ``holder`` in ``certification`` unless dates say otherwise."""

    class Meta:
        model = Credential

    holder = factory.SubFactory("tests.factories.UserFactory")
    certification = factory.SubFactory(CertificationFactory, slug="finance-ops-specialist")
    decision = factory.LazyAttribute(
        lambda o: DecisionFactory(
            user=o.holder,
            certification=o.certification,
            **({"domain_scores": o.scores} if o.scores else {}),
        )
    )
    document = factory.LazyFunction(dict)
    signing_key_id = "test"
    status_list = factory.LazyFunction(status_list)
    status_index = factory.Sequence(lambda n: n)
    issued_at = factory.LazyAttribute(lambda o: o.valid_from)
    valid_from = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    valid_until = factory.LazyAttribute(lambda o: o.valid_from + timedelta(days=730))

    class Params:
        scores = None
