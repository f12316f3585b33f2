"""CSV exports: what the roster holds, streaming, constant queries, formula neutralising."""

import csv
import io
from datetime import timedelta

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from accounts import services as accounts_services
from partners import exports
from tests.factories import UserFactory

from .factories import CredentialRowFactory

pytestmark = pytest.mark.django_db


def rows_of(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_roster_lists_current_members_with_active_certifications(
    client_for, firm, other_firm, partner_manager, member_of, certification
):
    holder = member_of(firm, email="holder@example.test", region="EMEA")
    CredentialRowFactory(holder=holder, certification=certification)
    CredentialRowFactory(  # revoked: not listed
        holder=member_of(firm, email="revoked@example.test"),
        certification=certification,
        revoked_at=timezone.now(),
    )
    leaver = member_of(firm, email="leaver@example.test")
    accounts_services.membership_leave(membership=leaver.memberships.get())
    member_of(other_firm, email="elsewhere@example.test")

    response = client_for(partner_manager).get(f"/api/v1/partners/{firm.slug}/exports/roster.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = {r["email"]: r for r in rows_of(response)}
    assert set(rows) == {"holder@example.test", "revoked@example.test"}
    assert rows["holder@example.test"]["active_certifications"] == "finance-ops-specialist"
    assert rows["holder@example.test"]["region"] == "EMEA"
    assert rows["revoked@example.test"]["active_certifications"] == ""

    former = rows_of(
        client_for(partner_manager).get(f"/api/v1/partners/{firm.slug}/exports/roster.csv?former=1")
    )
    assert {r["email"] for r in former} == {
        "holder@example.test",
        "revoked@example.test",
        "leaver@example.test",
    }
    assert next(r for r in former if r["email"] == "leaver@example.test")["left_at"]


def test_a_rejoined_consultant_keeps_their_credentials_in_the_roster_with_former_rows(
    firm, certification
):
    from tests.factories import MembershipFactory

    user = UserFactory(email="back@example.test")
    MembershipFactory(
        user=user,
        organisation=firm,
        joined_at=timezone.now() - timedelta(days=90),
        left_at=timezone.now() - timedelta(days=60),
    )
    MembershipFactory(user=user, organisation=firm, joined_at=timezone.now() - timedelta(days=10))
    CredentialRowFactory(holder=user, certification=certification)
    rows = list(exports.roster_rows(firm=firm, include_former=True))[1:]
    assert [(r[4] == "", r[5]) for r in rows] == [(True, "finance-ops-specialist"), (False, "")]


def test_roster_export_runs_two_queries_whatever_its_size(
    firm, member_of, certification, django_assert_num_queries
):
    for _ in range(12):
        CredentialRowFactory(holder=member_of(firm), certification=certification)
    with django_assert_num_queries(2):
        rows = list(exports.roster_rows(firm=firm))
    assert len(rows) == 13


def test_text_that_looks_like_a_formula_is_neutralised(firm, member_of):
    member_of(firm, full_name='=HYPERLINK("http://evil")')
    line = list(exports.csv_lines(exports.roster_rows(firm=firm)))[1]
    assert "'=HYPERLINK" in line


def test_dashboard_csv_has_every_section(client, firm, partner_manager, member_of, certification):
    CredentialRowFactory(holder=member_of(firm), certification=certification)
    client.force_login(partner_manager)
    rows = rows_of(client.get(f"/partners/{firm.slug}/export/dashboard.csv"))
    sections = {r["section"] for r in rows}
    assert {
        "headcount",
        "headcount_by_certification",
        "headcount_by_domain",
        "headcount_by_region",
        "trend",
        "pipeline",
        "coverage",
    } <= sections
    assert next(r for r in rows if r["section"] == "headcount")["value"] == "1"
    assert sum(r["section"] == "trend" for r in rows) == 12


def test_roster_api_query_count_is_constant_in_rows(client_for, firm, partner_manager, member_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(partner_manager)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/partners/{firm.slug}/roster/")
        assert response.status_code == 200
        return len(ctx), response.json()["count"]

    member_of(firm)
    few, count = queries()
    for _ in range(10):
        member_of(firm)
    assert queries() == (few, count + 10)
