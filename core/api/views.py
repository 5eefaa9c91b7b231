"""Base classes for API views: every request acts for exactly one merchant.

Which merchant: the one the token is bound to (`manage.py api_token --merchant`), else the
`X-Merchant: <slug>` header, else the merchant active in the session / the user's first one.
Querysets are always filtered by `request.merchant`; another merchant's id is a 404.
"""

from __future__ import annotations

from rest_framework import exceptions

from accounts.models import ApiToken
from accounts.selectors import membership_resolve

MERCHANT_HEADER = "HTTP_X_MERCHANT"


class MerchantScopedMixin:
    def initial(self, request, *args, **kwargs):
        self.perform_authentication(request)
        user = request.user
        if user and user.is_authenticated:
            auth = request.auth
            slug = request.META.get(MERCHANT_HEADER, "").strip() or None
            if isinstance(auth, ApiToken) and auth.merchant_id:
                if slug and slug != auth.merchant.slug:
                    raise exceptions.PermissionDenied("This token is bound to another merchant.")
                membership = membership_resolve(user=user, merchant_slug=auth.merchant.slug)
            elif slug:
                membership = membership_resolve(user=user, merchant_slug=slug)
                if membership is None:
                    raise exceptions.NotFound("No merchant with this slug among yours.")
            else:
                membership = getattr(request._request, "membership", None) or membership_resolve(
                    user=user
                )
            request._request.membership = membership
            request._request.merchant = membership.merchant if membership else None
        super().initial(request, *args, **kwargs)

    @property
    def merchant(self):
        return self.request.merchant
