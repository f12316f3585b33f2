"""Webhook secrets are no longer stored: each endpoint keeps a random salt and its secret is
derived from the server's WEBHOOK_SECRET_KEY (certification/webhooks/services.endpoint_secret).
Existing endpoints get a fresh salt, so their secret changes: their owners rotate it
(POST .../webhooks/<id>/rotate-secret) to read the new one."""

import secrets

from django.db import migrations, models


def salt_existing(apps, schema_editor):
    Subscription = apps.get_model("certification", "WebhookSubscription")
    for subscription in Subscription.objects.all().only("pk"):
        Subscription.objects.filter(pk=subscription.pk).update(secret_salt=secrets.token_hex(16))


class Migration(migrations.Migration):
    dependencies = [("certification", "0003_expiry_warning")]

    operations = [
        migrations.AddField(
            model_name="webhooksubscription",
            name="secret_salt",
            field=models.CharField(
                default="", help_text="Not a secret: useless without the key.", max_length=64
            ),
            preserve_default=False,
        ),
        migrations.RunPython(salt_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="webhooksubscription", name="secret"),
    ]
