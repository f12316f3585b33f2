"""Two years of the programme before the demo's walkthrough: the cohort (``demo.cohort``), the
quality story (``demo.quality``) and the partner story (``demo.partners``) on one timeline,
then the figures the workers would have computed. ``make run`` prints the lines it returns."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.test.utils import override_settings

from accounts.models import User
from assessments.models import Exam
from demo.cohort import load_cohort
from demo.partners import partner_events, receiving, refresh_dashboards, summary
from demo.quality import quality_events, refresh_figures, review_cohort_collisions


@contextmanager
def programme(users: dict[str, User], exams: dict[str, Exam]) -> Iterator[list[str]]:
    """Live the timeline, then let the block add the present day's demo (whose credential
    events reach the same webhook receiver); on leaving, compute the figures. Yields the list
    of lines to print, completed on leaving.

    The e-mails the story sends (appeal outcomes, an invitation) go to an in-memory outbox
    rather than the console, where they would bury the logins."""
    from config.celery import app

    found: dict = {}
    lines: list[str] = []
    # Each past event must be graded and decided before the next one happens (an appeal needs
    # its decision): tasks run here even where a broker is configured (`make run` with
    # REDIS_URL starts its worker only after loading the demo).
    eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        with _story(users, exams, found, lines):
            yield lines
    finally:
        app.conf.task_always_eager = eager


@contextmanager
def _story(users, exams, found: dict, lines: list[str]) -> Iterator[None]:
    with (
        override_settings(
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        ),
        receiving() as receiver,
    ):

        def extra(run, plan):
            return quality_events(run, plan) + partner_events(run, plan, receiver, found)

        run = load_cohort(users, exams, extra_events=extra)
        yield
        refresh_figures()
        review_cohort_collisions(users["admin@practica.test"])
        refresh_dashboards()
        lines += summary(run, receiver, found)
