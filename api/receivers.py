"""What the API does when lower floors announce a change (connected in ApiConfig.ready).

A role taken away is announced after commit: a failure is logged, never raised into the
request that made the change, except under tests (core.receivers). A token whose revoking
failed still cannot be used while the membership is inactive (api.tokens checks
``membership__is_active``).

A password changed is seen on the user model's own save (pre_save notes it, post_save revokes),
so every way of changing one revokes the person's tokens: the browser's change and reset forms,
the Django admin, ``manage.py changepassword``, any ``set_password()`` and ``save()``. Not after
commit and not guarded: the revoking is part of the change, in its transaction where it has
one, and a failure fails the change rather than leave the old tokens working."""

from __future__ import annotations

from django.contrib.auth.hashers import is_password_usable

from core.receivers import receiver_guard

from . import tokens


def revoke_tokens_of_deactivated_membership(sender, *, membership_id: int, **kwargs) -> None:
    with receiver_guard(f"Revoking the API tokens of membership {membership_id}"):
        tokens.tokens_revoke_for_membership(membership_id=membership_id)


# Set on the user instance by pre_save for its post_save, and consumed there.
_CHANGE_NOTED = "_ladder_new_password_noted"


def _password_changes(sender, user, *, update_fields) -> bool:
    """Whether this save of an existing login changes its password. No query, except when the
    password is being made unusable (to tell whether it had one)."""
    if update_fields is not None and "password" not in update_fields:
        return False
    if getattr(user, "_password", None) is not None:  # set_password() since the last save: a new password
        return True
    if user.has_usable_password():
        # A usable hash without set_password(): Django upgrading the hash of the same password
        # as the person logs in (check_password), never a new password.
        return False
    # set_unusable_password(): a change if there was a password to take away.
    stored = sender._default_manager.filter(pk=user.pk).values_list("password", flat=True).first()
    return bool(stored) and is_password_usable(stored)


def note_password_change(sender, instance, *, raw=False, update_fields=None, **kwargs) -> None:
    """pre_save of the user model. A new login (no tokens yet) and fixtures loaded raw are
    passed over."""
    changes = not raw and not instance._state.adding and _password_changes(
        sender, instance, update_fields=update_fields
    )
    setattr(instance, _CHANGE_NOTED, changes)


def revoke_tokens_of_changed_password(sender, instance, **kwargs) -> None:
    """post_save of the user model: the password changed, so every token of the person goes
    (api.tokens.tokens_revoke_for_person)."""
    if instance.__dict__.pop(_CHANGE_NOTED, False):
        tokens.tokens_revoke_for_person(user=instance)
