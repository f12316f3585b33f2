import factory

from employers.models import Employer, EmployerMember


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    slug = factory.Sequence(lambda n: f"employer-{n}")
    name = factory.Sequence(lambda n: f"Employer {n}")


class EmployerMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerMember

    employer = factory.SubFactory(EmployerFactory)
