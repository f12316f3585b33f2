import copy
from pathlib import Path

import pytest

from scenarios.engine import draw_variant, load_pack
from scenarios.engine.selftest import design_of

PACKS = Path(__file__).resolve().parents[2] / "scenarios" / "packs"
PACK_SLUGS = sorted(p.name for p in PACKS.iterdir() if (p / "pack.yaml").exists())


@pytest.fixture(scope="session")
def ap_pack():
    return load_pack(PACKS / "ap-invoice-processing")


@pytest.fixture
def ap_exemplar(ap_pack):
    """The AP pack's first exemplar, resolved for seed 1 (a fresh copy per test)."""
    data = ap_pack.resolve(draw_variant(ap_pack, 1))
    return copy.deepcopy(design_of(data, "agent-extraction-with-callback"))


@pytest.fixture
def published_ap(db, ap_pack):
    from scenarios.services import scenario_version_publish

    version, _ = scenario_version_publish(pack=ap_pack)
    return version
