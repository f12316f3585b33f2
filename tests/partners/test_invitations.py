"""Invitations: hashed single-use expiring links, accept / decline / new account, leaving and
ending memberships with history kept, and an audit row for each change."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Membership, User
from audit.models import AuditEvent
from config.errors import Conflict, Forbidden, InvalidRequest, NotFound
from partners import services
from partners.models import Invitation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def invite(firm, manager, email="new.person@example.test"):
    return services.invitation_create(organisation=firm, email=email, invited_by=manager)


def actions():
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_only_a_hash_of_the_token_is_stored_and_the_link_is_mailed(
    firm, partner_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, token = invite(firm, partner_manager, "New.Person@Example.test")
    stored = Invitation.objects.get()
    assert stored.email == "new.person@example.test"
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert stored.token_hash == services.hash_token(token)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.test"]
    assert f"/partners/invitations/{token}/" in mail.outbox[0].body
    assert "invitation.created" in actions()


def test_accepting_joins_the_firm_once_and_the_link_cannot_be_reused(firm, partner_manager):
    user = UserFactory(email="new.person@example.test")
    _, token = invite(firm, partner_manager)
    membership = services.invitation_accept(token=token, user=user)
    assert membership.organisation == firm and membership.is_active
    with pytest.raises(Conflict) as error:
        services.invitation_accept(token=token, user=user)
    assert error.value.code == "invitation_used"
    with pytest.raises(Conflict):
        services.invitation_decline(token=token, user=user)
    assert Membership.objects.filter(user=user, organisation=firm).count() == 1
    assert {"invitation.accepted", "membership.joined"} <= set(actions())


def test_an_expired_invitation_cannot_be_accepted(firm, partner_manager):
    user = UserFactory(email="new.person@example.test")
    invitation, token = invite(firm, partner_manager)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(Conflict) as error:
        services.invitation_accept(token=token, user=user)
    assert error.value.code == "invitation_expired"
    assert not Membership.objects.filter(user=user).exists()


def test_only_the_invited_address_may_accept(firm, partner_manager, candidate):
    _, token = invite(firm, partner_manager)
    with pytest.raises(Forbidden):
        services.invitation_accept(token=token, user=candidate)
    assert Invitation.objects.get().status == "pending"


def test_an_unknown_token_is_not_found(db):
    with pytest.raises(NotFound):
        services.invitation_for_token("no-such-token")


def test_a_new_invitation_cancels_the_previous_link(firm, partner_manager):
    _, first = invite(firm, partner_manager)
    _, second = invite(firm, partner_manager)
    user = UserFactory(email="new.person@example.test")
    with pytest.raises(Conflict):
        services.invitation_accept(token=first, user=user)
    services.invitation_accept(token=second, user=user)


def test_inviting_a_current_member_is_refused(firm, partner_manager, candidate):
    with pytest.raises(Conflict):
        invite(firm, partner_manager, candidate.email)
    with pytest.raises(InvalidRequest):
        invite(firm, partner_manager, "not-an-address")


def test_a_new_address_creates_its_account_from_the_link(firm, partner_manager):
    _, token = invite(firm, partner_manager)
    with pytest.raises(InvalidRequest):
        services.invitation_accept_new_account(token=token, full_name="New Person", password="123")
    user = services.invitation_accept_new_account(
        token=token, full_name="New Person", password="a long enough passphrase"
    )
    assert user.check_password("a long enough passphrase")
    assert user.memberships.get().organisation == firm
    with pytest.raises(Conflict):
        services.invitation_accept_new_account(
            token=token, full_name="X", password="another long one"
        )
    assert User.objects.filter(email="new.person@example.test").count() == 1


def test_declining_needs_no_account_and_is_final(firm, partner_manager):
    _, token = invite(firm, partner_manager)
    services.invitation_decline(token=token, user=None)
    assert Invitation.objects.get().status == "declined"
    assert "invitation.declined" in actions()


def test_leaving_keeps_the_row_and_ending_is_for_this_firms_manager(
    firm, other_firm, candidate, partner_manager, other_candidate
):
    membership = candidate.memberships.get()
    with pytest.raises(NotFound):
        services.membership_end(
            membership=other_candidate.memberships.get(), organisation=firm, actor=partner_manager
        )
    ended = services.membership_end(membership=membership, organisation=firm, actor=partner_manager)
    assert ended.left_at is not None
    assert Membership.objects.filter(pk=membership.pk).exists()
    with pytest.raises(Conflict):
        services.membership_leave_own(membership=ended, user=candidate)
    event = AuditEvent.objects.get(action="membership.left")
    assert event.actor == partner_manager and event.reason == "ended_by_manager"


def test_a_consultant_leaves_their_own_membership_only(candidate, other_candidate):
    with pytest.raises(NotFound):
        services.membership_leave_own(membership=other_candidate.memberships.get(), user=candidate)
    left = services.membership_leave_own(membership=candidate.memberships.get(), user=candidate)
    assert left.left_at is not None
    assert AuditEvent.objects.get(action="membership.left").reason == "left"


# The pages, end to end in the test client.


def token_from_outbox():
    return re.search(r"/partners/invitations/([^/]+)/", mail.outbox[-1].body).group(1)


def test_invitation_through_the_pages(
    client, firm, partner_manager, django_capture_on_commit_callbacks
):
    client.force_login(partner_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/partners/{firm.slug}/invitations/", {"email": "fresh@example.test"}
        )
    assert response.status_code == 302
    token = token_from_outbox()
    client.logout()
    page = client.get(f"/partners/invitations/{token}/")
    assert page.status_code == 200 and b"Create your account and join" in page.content
    response = client.post(
        f"/partners/invitations/{token}/",
        {"action": "register", "full_name": "Fresh Person", "password": "a long enough passphrase"},
    )
    assert response.status_code == 302
    assert User.objects.get(email="fresh@example.test").memberships.get().organisation == firm
    again = client.get(f"/partners/invitations/{token}/")
    assert again.status_code == 409 and b"already been accepted" in again.content


def test_invitation_page_for_a_signed_in_other_address_does_not_accept(
    client, firm, partner_manager, candidate
):
    _, token = invite(firm, partner_manager)
    client.force_login(candidate)
    response = client.post(f"/partners/invitations/{token}/", {"action": "accept"})
    assert response.status_code == 403
    assert Invitation.objects.get().status == "pending"


def test_expired_link_page_says_so(client, firm, partner_manager):
    invitation, token = invite(firm, partner_manager)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    response = client.get(f"/partners/invitations/{token}/")
    assert response.status_code == 409 and b"expired" in response.content
    assert client.get("/partners/invitations/bogus/").status_code == 404


def test_leave_through_the_page(client, candidate):
    client.force_login(candidate)
    membership = candidate.memberships.get()
    assert client.get("/partners/memberships/").status_code == 200
    response = client.post(f"/partners/memberships/{membership.pk}/leave/")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_at is not None
