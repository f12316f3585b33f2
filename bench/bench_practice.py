"""Practice room benchmark: how long the Simulate button takes, at each pack's own volume.

For every shipped pack, posts the pack's first exemplar to the practice room's Simulate endpoint
through Django's test client (SQLite in memory, no network): parse, validate, grade, the
candidate's view, the charts (the design's and today's simulations and the robustness curve)
and the rendered HTML. A fresh design each round (its rationale changes), so no cache helps.
Prints the median and best wall-clock time of ``--repeat`` rounds and the engine's share. The
aim is under 1 s on these machines; this prints figures, it is not a timed test.

Run: `make bench` or `.venv/bin/python bench/bench_practice.py [--repeat N]`.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
    os.environ.pop(name, None)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from scenarios import engine  # noqa: E402
from scenarios.engine.selftest import design_of  # noqa: E402

PACKS = sorted(p.name for p in (ROOT / "scenarios" / "packs").iterdir() if p.is_dir())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    from django.conf import settings

    settings.THROTTLE_SIMULATE = "100000/minute"
    from accounts.models import Role, User
    from candidates.practice import practice_seed
    from scenarios.models import Scenario, ScenarioVersion

    user = User.objects.create_user(email="bench@practica.test", password="x", role=Role.CANDIDATE)
    client = Client()
    client.force_login(user)
    print(f"engine {engine.ENGINE_VERSION}; best and median of {args.repeat} rounds")
    print(f"{'pack':34} {'cases':>6} {'simulate (HTTP)':>16} {'median':>8} {'engine grade':>13}")
    for slug in PACKS:
        pack = engine.load_pack(ROOT / "scenarios" / "packs" / slug)
        practice_slug = f"{slug}-practice"
        content = {**pack.data, "slug": practice_slug, "purpose": "practice"}
        ScenarioVersion.objects.create(
            scenario=Scenario.objects.create(slug=practice_slug, title=slug),
            version=1,
            title=slug,
            content=content,
            content_sha256=f"bench-{slug}",
            engine_version=engine.ENGINE_VERSION,
        )
        seed = practice_seed(user=user, slug=practice_slug)
        resolved = pack.resolve(engine.draw_variant(pack, seed))
        name = pack.data["exemplars"][0]["name"]
        design = design_of(resolved, name)
        times, engine_times = [], []
        for round_ in range(args.repeat):
            design.setdefault("rationale", {})["summary"] = f"round {round_}"
            started = time.perf_counter()
            response = client.post(
                f"/practice/{practice_slug}/simulate/",
                data=json.dumps({"design": design}),
                content_type="application/json",
            )
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content[:300]
            started = time.perf_counter()
            engine.grade(pack, seed, design)
            engine_times.append(time.perf_counter() - started)
        cases = resolved["cases"]["count"]
        print(
            f"{slug:34} {cases:>6} {min(times) * 1000:>13.0f} ms {statistics.median(times) * 1000:>5.0f} ms"
            f" {min(engine_times) * 1000:>10.0f} ms"
        )


if __name__ == "__main__":
    main()
