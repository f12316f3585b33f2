"""Demo people and firms: one login per role, two partner firms."""

from accounts.models import Membership, PartnerOrganisation, Role, User

DEMO_PASSWORD = "practica-demo"

FIRMS = [
    ("northwind-partners", "Northwind Partners", "EMEA"),
    ("contoso-advisory", "Contoso Advisory", "AMER"),
]

# email, name, role, firm slug, membership kind
PEOPLE = [
    (
        "candidate@practica.test",
        "Casey Candidate",
        Role.CANDIDATE,
        "northwind-partners",
        "consultant",
    ),
    ("priya@practica.test", "Priya Raman", Role.CANDIDATE, "northwind-partners", "consultant"),
    ("jonas@practica.test", "Jonas Berg", Role.CANDIDATE, "contoso-advisory", "consultant"),
    (
        "manager@practica.test",
        "Morgan Manager",
        Role.PARTNER_MANAGER,
        "northwind-partners",
        "manager",
    ),
    ("grader@practica.test", "Gale Grader", Role.GRADER, "contoso-advisory", "consultant"),
    ("second.grader@practica.test", "Sam Second", Role.GRADER, None, None),
    ("admin@practica.test", "Ada Admin", Role.PROGRAMME_ADMIN, None, None),
]


def load_people() -> dict[str, User]:
    firms = {}
    for slug, name, region in FIRMS:
        firms[slug], _ = PartnerOrganisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "region": region}
        )
    users = {}
    for email, name, role, firm_slug, kind in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                full_name=name,
                role=role,
                is_staff=role == Role.PROGRAMME_ADMIN,
                is_superuser=role == Role.PROGRAMME_ADMIN,
            )
        if (
            firm_slug
            and not Membership.objects.filter(
                user=user, organisation=firms[firm_slug], kind=kind
            ).exists()
        ):
            Membership.objects.create(user=user, organisation=firms[firm_slug], kind=kind)
        users[email] = user
    return users
