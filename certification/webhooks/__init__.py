"""Webhooks for credential events: subscriptions, signed deliveries through Celery with
retries and back-off, a delivery log, manual redelivery, and disabling after repeated failure.
See docs/credentials/verification.md ("Webhooks")."""
