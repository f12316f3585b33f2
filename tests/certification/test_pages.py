import pytest


@pytest.mark.django_db
def test_the_achievement_id_in_a_credential_resolves_to_the_certification_page(client, issued):
    achievement = issued.document["credentialSubject"]["achievement"]
    path = achievement["id"].split("practica.example", 1)[-1]
    response = client.get(path)
    assert response.status_code == 200
    assert issued.certification.name.encode() in response.content
    assert b'id="criteria"' in response.content
    assert client.get("/certifications/no-such-thing").status_code == 404
