"""API tokens end with the password they were issued under.

Whatever changes a user's stored password (``set_password`` from the admin, ``changepassword``,
a reset form, ``set_unusable_password``), every API token of that user is revoked once the row
is saved, as Django already ends their other sessions. A hasher upgrade at login rewrites the
stored hash too and so counts as a change, as it does for sessions. Only a bulk
``QuerySet.update(password=...)`` goes around this.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import User
from .services import tokens_revoke_all


@receiver(pre_save, sender=User, dispatch_uid="accounts.password_change_seen")
def _note_password_change(sender, instance: User, raw: bool, update_fields, **kwargs) -> None:
    instance._password_was_changed = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_was_changed = stored is not None and stored != instance.password


@receiver(post_save, sender=User, dispatch_uid="accounts.password_change_revokes_tokens")
def _revoke_tokens_on_password_change(sender, instance: User, raw: bool, **kwargs) -> None:
    if not raw and getattr(instance, "_password_was_changed", False):
        instance._password_was_changed = False
        tokens_revoke_all(user=instance, reason="password_changed")
