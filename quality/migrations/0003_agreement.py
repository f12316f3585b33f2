import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("quality", "0002_calibration")]

    operations = [
        migrations.CreateModel(
            name="AgreementReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("scenario_slug", models.SlugField(blank=True, db_index=True, max_length=80)),
                ("computed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "threshold",
                    models.FloatField(help_text="Graders below this kappa are flagged."),
                ),
                ("pairs", models.PositiveIntegerField(default=0)),
                ("figures", models.JSONField(default=dict)),
            ],
            options={"ordering": ["-computed_at", "-id"], "get_latest_by": "computed_at"},
        ),
    ]
