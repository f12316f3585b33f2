import logging

import pytest
from django.db import OperationalError

from config import health


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_answers_ready_with_a_status_only(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


@pytest.mark.django_db
def test_readyz_keeps_the_database_error_for_the_log(client, monkeypatch, caplog):
    secret = 'connection to server at "db.internal" (10.1.2.3), port 6432 failed: role "practica"'

    def refuse():
        raise OperationalError(secret)

    monkeypatch.setattr(health.connection, "cursor", refuse)
    with caplog.at_level(logging.WARNING, logger="config.health"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "not_ready"}
    for leak in ("db.internal", "10.1.2.3", "6432", "practica", "OperationalError"):
        assert leak not in response.content.decode()
    assert "database" in caplog.text
    assert secret in caplog.text


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_is_unreachable(client, settings, caplog):
    from config.celery import app

    original = app.conf.broker_url
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        with caplog.at_level(logging.WARNING, logger="config.health"):
            response = client.get("/readyz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json() == {"status": "not_ready"}
    assert "127.0.0.1:1" not in response.content.decode()
    assert "broker" in caplog.text
