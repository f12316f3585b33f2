"""The cohort's plan, pure Python: who the synthetic consultants are, when they join and leave
their firms, which exams they sit when, with which design and how well they write.

Everything is drawn from one seeded generator, so every install gets the same people and the same
story (only the dates move with the day the demo is loaded: they are kept as days before it).
A few people are cast for what the staff and partner pages must show: a credential that lapsed,
some expiring within 90 days, an appeal decided and one pending, a design copied by someone else,
items scored by two graders who disagree, an attempt still waiting for its graders.
"""

import random
from dataclasses import dataclass, field

SEED = 2026
# Calibration items are set (and the graders calibrated) this many days before the load.
CALIBRATION_DAYS = 20

# slug, name, region, e-mail domain, cohort size, (exam weights: pack slug -> weight)
COHORT_FIRMS = [
    (
        "northwind-partners",
        "Northwind Partners",
        "EMEA",
        "northwind.test",
        24,
        {"ap-invoice-processing": 85, "support-triage-ai": 15},
    ),
    (
        "contoso-advisory",
        "Contoso Advisory",
        "AMER",
        "contoso.test",
        20,
        {"support-triage-ai": 50, "ap-invoice-processing": 50},
    ),
    (
        "fabrikam-consulting",
        "Fabrikam Consulting",
        "APAC",
        "fabrikam.test",
        14,
        {"software-delivery-coding-agent": 60, "ap-invoice-processing": 40},
    ),
]
OTHER_REGIONS = {"EMEA": "AMER", "AMER": "EMEA", "APAC": "EMEA"}

# Names from many places, as in any consulting firm; paired in a seeded order.
_FIRST = (
    "Amara Bilal Chiara Dmitri Elif Farah Goran Hana Ines Jun Kofi Leila Mateo Nadia Oren "
    "Paulo Quynh Rafael Sana Tomas Uma Viktor Wen Ximena Yusuf Zofia Anders Beatriz Chen Divya"
)
_LAST = (
    "Okafor Haddad Rossi Ivanov Yilmaz Khan Petrovic Sato Duarte Park Mensah Amini Herrera Novak Levi "
    "Costa Tran Alves Qureshi Lindqvist Rao Horvat Zhang Flores Demir Kowalski Berg Santos Liu Iyer"
)
FIRST_NAMES, LAST_NAMES = _FIRST.split(), _LAST.split()

EXEMPLAR, FLAWED = "exemplar", "flawed"


@dataclass
class Sitting:
    """One exam taken: ``days`` before the load, a design of ``kind`` (or a named one), the
    written rationale's level (0 weak, 1 fair, 2 strong)."""

    pack: str
    days: float
    kind: str = EXEMPLAR
    design: str = ""  # a named pack design; empty: the generator picks by kind
    writing: int = 2
    scored: bool = True  # False: submitted, still waiting for its graders
    # Every item double-marked (staff sampling everything that week) and how the second mark
    # ends: "adjacent" (averaged), "adjudicated" (two levels apart, then a senior grader's
    # level) or "open" (two levels apart, still waiting for adjudication). Empty: the
    # ordinary sample (HUMAN_SCORING_DOUBLE_MARK_SHARE) with marks that mostly agree.
    double: str = ""
    copy_of: str = ""  # e-mail of the consultant whose design this one copies (renamed)
    submit: bool = True  # False: started at load time and left in progress


@dataclass
class Consultant:
    number: int
    email: str
    name: str
    firm: str
    region: str
    joined: float  # days before the load
    left: float | None = None
    sittings: list[Sitting] = field(default_factory=list)
    role: str = ""  # what the person is cast for (see ``CAST``), for the tests and the banner


def _people(rng: random.Random) -> list[tuple[str, str]]:
    """(first, last) names, each pair once, in a seeded order."""
    pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(pairs)
    return pairs


def _regular(c: Consultant, exams: dict[str, int], rng: random.Random) -> None:
    """An ordinary consultant: usually one exam some weeks after joining, a retake after a fail
    now and then, and sometimes leaving the firm later."""
    first = c.joined - rng.uniform(10, 45)
    if first < 4 or rng.random() < 0.08:
        return  # joined too recently, or not enrolled yet
    pack = rng.choices(list(exams), weights=list(exams.values()))[0]
    kind = EXEMPLAR if rng.random() < 0.64 else FLAWED
    writing = rng.choice([0, 0, 1, 1, 1, 2, 2])
    c.sittings.append(Sitting(pack=pack, days=first, kind=kind, writing=writing))
    retake = first - rng.uniform(14, 40)
    if kind == FLAWED and retake > 4 and rng.random() < 0.6:
        c.sittings.append(Sitting(pack=pack, days=retake, writing=min(2, writing + 1)))
    last = c.sittings[-1].days
    if last > 60 and rng.random() < 0.16:
        c.left = round(rng.uniform(7, last - 30), 2)


# (role, firm slug, joined, sittings, left): the cast, in the firms' order of appearance
CAST = {
    "lapsed": ("northwind-partners", 800, [Sitting("ap-invoice-processing", 762)], None),
    "expiring-1": ("northwind-partners", 730, [Sitting("ap-invoice-processing", 705)], None),
    "expiring-2": (
        "northwind-partners",
        700,
        [Sitting("ap-invoice-processing", 672, double="adjacent")],
        None,
    ),
    "expiring-3": ("contoso-advisory", 690, [Sitting("support-triage-ai", 668)], None),
    "left-certified": ("northwind-partners", 600, [Sitting("ap-invoice-processing", 570)], 95),
    "left-recently": ("contoso-advisory", 420, [Sitting("ap-invoice-processing", 400)], 40),
    "playbook-author": (
        "northwind-partners",
        300,
        [Sitting("ap-invoice-processing", 280, double="adjudicated")],
        None,
    ),
    "copied": ("northwind-partners", 90, [Sitting("ap-invoice-processing", 40)], None),
    "adjudicated": (
        "fabrikam-consulting",
        200,
        [Sitting("software-delivery-coding-agent", 150, double="adjudicated")],
        None,
    ),
    "copier": (
        "contoso-advisory",
        80,
        [Sitting("ap-invoice-processing", 26, copy_of="copied", writing=1)],
        None,
    ),
    "appeal-decided": (
        "fabrikam-consulting",
        120,
        [Sitting("software-delivery-coding-agent", 62, FLAWED, "no-dba-review", writing=1)],
        None,
    ),
    "appeal-pending": (
        "northwind-partners",
        70,
        [Sitting("ap-invoice-processing", 8, FLAWED, "sampled-approvals", writing=1)],
        None,
    ),
    "disputed": (
        "fabrikam-consulting",
        50,
        [Sitting("software-delivery-coding-agent", 1.4, double="open")],
        None,
    ),
    "awaiting-graders": (
        "contoso-advisory",
        35,
        [Sitting("support-triage-ai", 1.0, scored=False)],
        None,
    ),
    "in-progress": (
        "fabrikam-consulting",
        30,
        [Sitting("software-delivery-coding-agent", 0, submit=False)],
        None,
    ),
}


def cohort() -> list[Consultant]:
    """The whole cohort, deterministic: the cast first, then ordinary consultants until each
    firm has its size."""
    rng = random.Random(SEED)
    names = iter(_people(rng))
    firms = {
        slug: (region, domain, size, exams) for slug, _, region, domain, size, exams in COHORT_FIRMS
    }
    people: list[Consultant] = []
    by_role: dict[str, Consultant] = {}

    def person(firm: str, joined: float) -> Consultant:
        region, domain, _, _ = firms[firm]
        first, last = next(names)
        if rng.random() < 0.12:
            region = OTHER_REGIONS[region]
        c = Consultant(
            number=len(people) + 1,
            email=f"{first}.{last}@{domain}".lower(),
            name=f"{first} {last}",
            firm=firm,
            region=region,
            joined=joined,
        )
        people.append(c)
        return c

    for role, (firm, joined, sittings, left) in CAST.items():
        c = person(firm, joined)
        c.role, c.left = role, left
        c.sittings = [Sitting(**vars(s)) for s in sittings]
        for s in c.sittings:
            if s.copy_of:
                s.copy_of = by_role[s.copy_of].email
        by_role[role] = c
    for firm, (_, _, size, exams) in firms.items():
        while sum(p.firm == firm for p in people) < size:
            # More joins lately: a growing programme (days before the load, 12 to 760).
            c = person(firm, round(12 + 748 * rng.random() ** 1.5, 2))
            _regular(c, exams, rng)
    return people
