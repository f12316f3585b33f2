"""Demo standard-setting study (docs/quality/standard-setting.md): a modified-Angoff study of the
accounts-payable scenario's latest version, in its second round, made through the real
services. Three panelists (the two demo graders and the programme admin) rated round 1 and
disagreed about the monitoring checkpoint (flagged); in round 2 the graders moved towards each
other. The admin finds it at /quality/standard-setting/ ready to close and adopt; the graders
find their rating form there.

Call ``load_angoff_demo(users)`` after the scenarios are published (``users``: the demo people
by email, as ``demo.people.load_people`` returns them). Idempotent: a second call finds the
study and changes nothing."""

from django.db import transaction

from accounts.models import User
from scenarios.models import ScenarioVersion

SCENARIO = "ap-invoice-processing"
TITLE = "Accounts payable: cut score for 2027"
ADMIN = "admin@practica.test"
PANEL = ["grader@practica.test", "second.grader@practica.test", ADMIN]
# Round 1: each panelist's rating of every rated checkpoint, and of monitoring (they disagree).
ROUND_ONE = {
    "grader@practica.test": (65, 45),
    "second.grader@practica.test": (72, 80),
    ADMIN: (78, 95),
}
# Round 2, after the discussion: the graders' new ratings (the admin keeps round 1's).
ROUND_TWO = {"grader@practica.test": (68, 70), "second.grader@practica.test": (72, 78)}
FLAGGED = "monitoring"


def _ratings(rated: list[str], usual: float, flagged: float) -> dict:
    return {cp: flagged if cp == FLAGGED else usual for cp in rated}


def load_angoff_demo(users: dict[str, User]) -> list[str]:
    """The demo study (created once); returns a line worth printing, ending with its path."""
    from quality import angoff
    from quality import angoff_services as services
    from quality.angoff_models import AngoffStudy

    version = ScenarioVersion.objects.filter(scenario__slug=SCENARIO).order_by("-version").first()
    admin = users.get(ADMIN)
    if version is None or admin is None or any(email not in users for email in PANEL):
        return []
    study = AngoffStudy.objects.filter(title=TITLE, scenario_version=version).first()
    if study is None:
        rated = angoff.rated_ids(angoff.checkpoints_of(version.content))
        with transaction.atomic():
            study = services.angoff_study_create(scenario_version=version, title=TITLE, actor=admin)
            for email in PANEL:
                services.angoff_panelist_invite(study=study, user=users[email], actor=admin)
            for email, (usual, flagged) in ROUND_ONE.items():
                services.angoff_ratings_submit(
                    study=study, user=users[email], ratings=_ratings(rated, usual, flagged)
                )
            study = services.angoff_round_two_start(study=study, actor=admin)
            for email, (usual, flagged) in ROUND_TWO.items():
                services.angoff_ratings_submit(
                    study=study, user=users[email], ratings=_ratings(rated, usual, flagged)
                )
    return [
        f"Standard setting: a modified-Angoff study in round {study.round} "
        f"({ADMIN} closes and adopts it) /quality/standard-setting/{study.pk}/"
    ]
