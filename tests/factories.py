"""Factories for the foundation (people and firms). Each app keeps its own factory module in
``tests/<app>/factories.py``."""

import factory

from accounts.models import Membership, PartnerOrganisation, Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")
    role = Role.CANDIDATE
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.PROGRAMME_ADMIN)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    slug = factory.Sequence(lambda n: f"firm-{n}")
    name = factory.Sequence(lambda n: f"Firm {n}")
    region = "EMEA"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(PartnerOrganisationFactory)
    kind = Membership.Kind.CONSULTANT
