"""Drafts are stored once per distinct design and only the newest few per scenario are kept:
add the design hash, fill it in, and drop duplicate and surplus drafts (0007 then makes the
hash unique per attempt and scenario)."""

import hashlib
import json

from django.conf import settings
from django.db import migrations, models


def _sha256(design) -> str:
    return hashlib.sha256(json.dumps(design, sort_keys=True).encode()).hexdigest()


def hash_dedupe_and_prune(apps, schema_editor):
    Draft = apps.get_model("assessments", "Draft")
    keep_per_part = max(1, getattr(settings, "DRAFTS_KEPT_PER_PART", 20))
    seen: dict[tuple, int] = {}  # (attempt, scenario version) -> distinct designs kept so far
    hashes: set[tuple] = set()
    surplus = []
    newest_first = Draft.objects.order_by("attempt_id", "scenario_version_id", "-saved_at", "-id")
    for draft in newest_first.iterator(chunk_size=500):
        part = (draft.attempt_id, draft.scenario_version_id)
        sha = _sha256(draft.design)
        if (*part, sha) in hashes or seen.get(part, 0) >= keep_per_part:
            surplus.append(draft.pk)
            continue
        hashes.add((*part, sha))
        seen[part] = seen.get(part, 0) + 1
        Draft.objects.filter(pk=draft.pk).update(sha256=sha)
    for start in range(0, len(surplus), 500):
        Draft.objects.filter(pk__in=surplus[start : start + 500]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0005_regrade_batches")]

    operations = [
        migrations.AddField(
            model_name="draft",
            name="sha256",
            field=models.CharField(
                default="", help_text="Of the design, to store each once.", max_length=64
            ),
            preserve_default=False,
        ),
        migrations.RunPython(hash_dedupe_and_prune, migrations.RunPython.noop),
        # The unique constraint follows in 0007: PostgreSQL cannot alter a table in the
        # transaction that just updated its rows.
    ]
