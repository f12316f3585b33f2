"""Synthetic data at the seed's scale (PRODUCT.md §7), for benchmarks and load tests only.

Writes rows with ``bulk_create`` in batches, bypassing the services on purpose (no signing, no
audit rows, no emails): three certifications, 1,000 firms with a realistic skew (the largest
three with 1/15 of all consultants each: 20,000 at 300,000), two years of joins and leaves,
about 3.3 attempts and one credential per consultant, with some revoked, suspended, expired and
expiring. Credentials carry a stub document (``{"synthetic": true}``): they count on dashboards
but do not verify.

Idempotent: every row is keyed by the consultant's number (``scale-000123@scale.test``) and
drawn from a generator seeded with it, so a second run with the same numbers adds nothing, and
a larger ``--consultants`` adds only the new people.
"""

import random
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, PartnerOrganisation, Role, User
from assessments.models import Attempt, Certification, CertificationDecision, Exam
from certification.models import Credential, StatusList
from certification.vc.status_list import LIST_SIZE

EMAIL = "scale-{:07d}@scale.test"
FIRM_SLUG = "scale-firm-{:04d}"
REGIONS = ["EMEA", "NA", "APAC", "LATAM", "MEA"]
CERTIFICATIONS = [
    (
        "scale-finance-ops",
        "Finance operations specialist",
        [
            ("payment-controls", "Payment controls"),
            ("reconciliation", "Reconciliation"),
            ("human-oversight", "Human oversight"),
            ("process-design", "Process design"),
        ],
    ),
    (
        "scale-procurement",
        "Procurement specialist",
        [
            ("supplier-risk", "Supplier risk"),
            ("approval-design", "Approval design"),
            ("human-oversight", "Human oversight"),
        ],
    ),
    (
        "scale-customer-ops",
        "Customer operations specialist",
        [("triage", "Triage"), ("escalation", "Escalation"), ("process-design", "Process design")],
    ),
]
BATCH = 5000


def firm_sizes(consultants: int, firms: int, rng: random.Random) -> list[int]:
    """Members per firm: the three largest hold 1/15 of everyone each, the rest a long tail."""
    big = max(1, consultants // 15)
    top = [big] * min(3, firms)
    rest = consultants - sum(top)
    tail_firms = firms - len(top)
    if tail_firms <= 0:
        return [consultants // len(top)] * len(top)
    weights = [1 / (i + 1) ** 0.9 * rng.uniform(0.7, 1.3) for i in range(tail_firms)]
    scale = rest / sum(weights)
    tail = [max(1, int(w * scale)) for w in weights]
    tail[0] += rest - sum(tail)
    return top + tail


def firm_of(sizes: list[int]) -> list[int]:
    """Firm index for each consultant number, in order."""
    owners = []
    for firm, size in enumerate(sizes):
        owners.extend([firm] * size)
    return owners


def _setup(firms: int) -> tuple[list[PartnerOrganisation], list[tuple[Certification, Exam]]]:
    existing = set(
        PartnerOrganisation.objects.filter(slug__startswith="scale-firm-").values_list(
            "slug", flat=True
        )
    )
    PartnerOrganisation.objects.bulk_create(
        [
            PartnerOrganisation(
                slug=FIRM_SLUG.format(i),
                name=f"Scale Firm {i:04d}",
                region=REGIONS[i % len(REGIONS)],
            )
            for i in range(firms)
            if FIRM_SLUG.format(i) not in existing
        ],
        batch_size=BATCH,
    )
    by_slug = {
        f.slug: f for f in PartnerOrganisation.objects.filter(slug__startswith="scale-firm-")
    }
    schemes = []
    for slug, name, domains in CERTIFICATIONS:
        cert, _ = Certification.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "cut_score": 70.0,
                "blueprint": [
                    {"id": d, "name": n, "weight": round(1 / len(domains), 3)} for d, n in domains
                ],
            },
        )
        exam, _ = Exam.objects.get_or_create(
            slug=f"{slug}-exam", defaults={"title": f"{name} exam", "certification": cert}
        )
        schemes.append((cert, exam))
    return [by_slug[FIRM_SLUG.format(i)] for i in range(firms)], schemes


class _Indexes:
    """Hands out status-list indexes, opening synthetic lists as they fill."""

    def __init__(self):
        self.list = StatusList.objects.filter(issuer="did:example:scale").order_by("-pk").first()
        self.next = (
            (
                Credential.objects.filter(status_list=self.list)
                .order_by("-status_index")
                .values_list("status_index", flat=True)
                .first()
                or 0
            )
            + 1
            if self.list
            else LIST_SIZE
        )

    def take(self) -> tuple[StatusList, int]:
        if self.list is None or self.next >= LIST_SIZE:
            self.list = StatusList.objects.create(
                issuer="did:example:scale", bits=bytes(LIST_SIZE // 8)
            )
            self.next = 0
        self.next += 1
        return self.list, self.next - 1


def generate(*, consultants: int, firms: int, log: Callable[[str], None] = print) -> dict:
    now = timezone.now()
    rng = random.Random(20261201)
    sizes = firm_sizes(consultants, firms, rng)
    owners = firm_of(sizes)
    firm_rows, schemes = _setup(firms)
    have = User.objects.filter(email__startswith="scale-", email__endswith="@scale.test").count()
    password = make_password(None)  # unusable: synthetic people never sign in
    indexes = _Indexes()
    created = {"users": 0, "memberships": 0, "attempts": 0, "decisions": 0, "credentials": 0}
    for start in range(have, consultants, BATCH):
        numbers = range(start, min(start + BATCH, consultants))
        with transaction.atomic():
            _batch(numbers, owners, firm_rows, schemes, now, password, indexes, created)
        log(f"  consultants {numbers.stop:,} / {consultants:,}")
    created["largest_firm"] = firm_rows[0].slug
    created["largest_firm_members"] = sizes[0]
    return created


def _batch(numbers, owners, firm_rows, schemes, now, password, indexes, created) -> None:
    users = User.objects.bulk_create(
        [
            User(
                email=EMAIL.format(n),
                full_name=f"Consultant {n:07d}",
                role=Role.CANDIDATE,
                region=REGIONS[(n * 7) % len(REGIONS)],
                password=password,
                date_joined=now - timedelta(days=800),
            )
            for n in numbers
        ]
    )
    memberships, attempts, decisions, plans = [], [], [], []
    for n, user in zip(numbers, users, strict=True):
        r = random.Random(n)
        firm = firm_rows[owners[n]]
        joined = now - timedelta(days=r.uniform(30, 730))
        if r.random() < 0.12:  # left since: stops counting from then, history stays
            memberships.append(
                Membership(
                    user=user,
                    organisation=firm,
                    joined_at=joined,
                    left_at=joined + (now - joined) * r.random(),
                )
            )
            if r.random() < 0.5:  # and joined another firm
                other = firm_rows[r.randrange(len(firm_rows))]
                memberships.append(
                    Membership(
                        user=user,
                        organisation=other,
                        joined_at=now - timedelta(days=r.uniform(0, 25)),
                    )
                )
        else:
            memberships.append(Membership(user=user, organisation=firm, joined_at=joined))
        working = r.random() < 0.02  # one attempt in progress now (at most one per exam)
        for k in range(r.choice((2, 3, 3, 4, 4, 4))):
            cert, exam = schemes[r.randrange(len(schemes))]
            started = now - timedelta(days=r.uniform(0, 730))
            status = Attempt.Status.IN_PROGRESS if working and k == 0 else Attempt.Status.SUBMITTED
            started = (
                now - timedelta(minutes=30) if status == Attempt.Status.IN_PROGRESS else started
            )
            attempts.append(
                Attempt(
                    exam=exam,
                    candidate=user,
                    status=status,
                    seed=n,
                    scenario_version_ids=[],
                    started_at=started,
                    deadline=started + timedelta(hours=2),
                    submitted_at=None if status == "in_progress" else started + timedelta(hours=1),
                )
            )
        if r.random() < 0.85:
            cert, _ = schemes[r.randrange(len(schemes))]
            scores = {d["id"]: round(r.uniform(45, 100), 1) for d in cert.blueprint}
            passed = r.random() < 0.8
            decided = now - timedelta(days=r.uniform(0, 800))
            decisions.append(
                CertificationDecision(
                    user=user,
                    certification=cert,
                    outcome="pass" if passed else "fail",
                    critical_passed=passed,
                    total=round(sum(scores.values()) / len(scores), 2),
                    cut_score=70.0,
                    domain_scores=scores,
                    decided_at=decided,
                )
            )
            plans.append((passed, r.random()))
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    Attempt.objects.bulk_create(attempts, batch_size=BATCH)
    CertificationDecision.objects.bulk_create(decisions, batch_size=BATCH)
    credentials = []
    for decision, (passed, luck) in zip(decisions, plans, strict=True):
        if not passed:
            continue
        status_list, index = indexes.take()
        valid_from = decision.decided_at
        credentials.append(
            Credential(
                decision=decision,
                holder_id=decision.user_id,
                certification=decision.certification,
                document={"synthetic": True},
                signing_key_id="synthetic",
                status_list=status_list,
                status_index=index,
                issued_at=valid_from,
                valid_from=valid_from,
                valid_until=valid_from + timedelta(days=730),
                revoked_at=valid_from + timedelta(days=30) if luck < 0.03 else None,
                suspended_at=valid_from + timedelta(days=60) if 0.03 <= luck < 0.05 else None,
            )
        )
    Credential.objects.bulk_create(credentials, batch_size=BATCH)
    for key, rows in (
        ("users", users),
        ("memberships", memberships),
        ("attempts", attempts),
        ("decisions", decisions),
        ("credentials", credentials),
    ):
        created[key] += len(rows)
