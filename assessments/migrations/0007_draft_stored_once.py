from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_draft_sha256")]

    operations = [
        migrations.AddConstraint(
            model_name="draft",
            constraint=models.UniqueConstraint(
                fields=("attempt", "scenario_version", "sha256"), name="draft_stored_once"
            ),
        ),
    ]
