"""The practice room: practice packs only, graded at once with no queue, and nothing recorded.

A practice pack (``purpose: practice``) never appears in an exam (``ExamScenario.clean``) and a
certification pack is never opened here (``scenarios.selectors.practice_version``). Practice
makes no attempt, job, decision or audit row, so it never counts towards certification and no
partner manager ever sees it. Each consultant practises on one variant per scenario (seeded by
who they are and the scenario), so successive simulations of a design are comparable.
"""

import hashlib

from scenarios import engine
from scenarios.selectors import pack_for_version, resources_of

from .selectors import case_mix, report_item


def practice_seed(*, user, slug: str) -> int:
    digest = hashlib.sha256(f"practice:{user.pk}:{slug}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def practice_room(*, version, user) -> dict:
    """The practice room's page: the brief with this consultant's numbers, today's workflow, the
    resources, and the editor's configuration."""
    pack = pack_for_version(version)
    seed = practice_seed(user=user, slug=version.scenario.slug)
    variant = engine.draw_variant(pack, seed)
    data = pack.resolve(variant)
    resources = resources_of(pack, variant)
    return {
        "version": version,
        "part": {
            "scenario_version_id": version.pk,
            "scenario": version.scenario.slug,
            "title": version.title,
            "brief": engine.render_brief(pack, variant),
            "pack": data,
            "resources": resources,
            "case_mix": case_mix(data["cases"]),
            "baseline_diagram": {"design": data.get("baseline"), "resources": resources},
            "baseline_script_id": f"baseline-{version.pk}",
        },
    }


def practice_simulate(*, version, user, design: dict) -> dict:
    """Grade ``design`` now, as the candidate may see it. Raises ``engine.InvalidDesign``."""
    seed = practice_seed(user=user, slug=version.scenario.slug)
    report = engine.candidate_view(engine.grade(pack_for_version(version), seed, design).to_dict())
    return report_item(report=report, version=version, design=design, seed=seed, number=1)
