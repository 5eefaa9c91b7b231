from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import ApiToken, Membership, Merchant, Role, hash_token


@transaction.atomic
def merchant_create(
    *,
    name: str,
    owner,
    slug: str = "",
    currency: str = "USD",
    timezone_name: str = "UTC",
    default_language: str = "en",
) -> Merchant:
    """Create a merchant with `owner` as its first owner."""
    merchant = Merchant(
        name=name,
        slug=slug or slugify(name)[:60],
        currency=currency.upper(),
        timezone=timezone_name,
        default_language=default_language,
    )
    merchant.full_clean()
    merchant.save()
    Membership.objects.create(user=owner, merchant=merchant, role=Role.OWNER)
    return merchant


def merchant_update(*, merchant: Merchant, **fields) -> Merchant:
    allowed = {"name", "currency", "timezone", "default_language"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot update {sorted(unknown)}")
    for key, value in fields.items():
        setattr(merchant, key, value)
    merchant.currency = merchant.currency.upper()
    merchant.full_clean()
    merchant.save()
    return merchant


def _owner_count(merchant: Merchant) -> int:
    return Membership.objects.filter(merchant=merchant, role=Role.OWNER).count()


@transaction.atomic
def membership_add(*, merchant: Merchant, username_or_email: str, role: str) -> Membership:
    """Add an existing user to the merchant; raises ValidationError with a form-ready message."""
    User = get_user_model()
    value = username_or_email.strip()
    user = User.objects.filter(username=value).first() or (
        User.objects.filter(email__iexact=value).first() if "@" in value else None
    )
    if user is None:
        raise ValidationError({"username_or_email": _("No user with this username or email.")})
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    membership, created = Membership.objects.get_or_create(
        user=user, merchant=merchant, defaults={"role": role}
    )
    if not created:
        raise ValidationError({"username_or_email": _("This user is already a member.")})
    from notifications.services import notify_member_invited

    transaction.on_commit(lambda: notify_member_invited(membership_id=membership.pk))
    return membership


@transaction.atomic
def membership_role_change(*, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    # Lock the merchant's owner rows so two demotions cannot both pass the check.
    list(Membership.objects.select_for_update().filter(merchant=membership.merchant))
    if (
        membership.role == Role.OWNER
        and role != Role.OWNER
        and _owner_count(membership.merchant) == 1
    ):
        raise ValidationError({"role": _("A merchant must keep at least one owner.")})
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    list(Membership.objects.select_for_update().filter(merchant=membership.merchant))
    if membership.role == Role.OWNER and _owner_count(membership.merchant) == 1:
        raise ValidationError(_("A merchant must keep at least one owner."))
    membership.delete()


def api_token_create(
    *, user, merchant: Merchant | None = None, name: str = ""
) -> tuple[ApiToken, str]:
    """Issue a token; returns the row and the key, which is never retrievable again."""
    if (
        merchant is not None
        and not Membership.objects.filter(user=user, merchant=merchant).exists()
    ):
        raise ValidationError(_("The user is not a member of this merchant."))
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user, merchant=merchant, name=name, key_hash=hash_token(key), prefix=key[:8]
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
