"""Base classes for API views: every request acts for exactly one merchant.

Which merchant: the one the token is bound to (`manage.py api_token --merchant`), else the
`X-Merchant: <slug>` header, else the merchant active in the session / the user's first one.
Querysets are always filtered by `request.merchant`; another merchant's id is a 404.

API views are declared as `class XApi(MerchantScopedMixin, ApiView)`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, generics
from rest_framework.parsers import JSONParser
from rest_framework.throttling import UserRateThrottle

from accounts.models import ApiToken
from accounts.selectors import membership_resolve

from .schema import ApiAutoSchema

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
                    raise exceptions.PermissionDenied(_("This token is bound to another merchant."))
                membership = membership_resolve(user=user, merchant_slug=auth.merchant.slug)
            elif slug:
                membership = membership_resolve(user=user, merchant_slug=slug)
                if membership is None:
                    raise exceptions.NotFound(_("No merchant with this slug among yours."))
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


class ApiView(generics.GenericAPIView):
    """JSON in and out, throttled per user, documented with the shared error responses.

    Subclasses set `write_action` (a permission of `accounts.permissions`) for their writes
    and keep business logic in services: a view validates input, calls one service, and
    serialises the result.
    """

    parser_classes = [JSONParser]
    throttle_classes = [UserRateThrottle]
    schema = ApiAutoSchema()

    def get_queryset(self):
        # Schema generation instantiates views without a merchant.
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.model.objects.none()
        return self.get_merchant_queryset()

    def get_merchant_queryset(self):
        raise NotImplementedError

    def input_serializer(self, serializer_class, *args, **kwargs):
        """Validate the request body with an input serializer; raises a 400 when invalid."""
        kwargs.setdefault("data", self.request.data)
        serializer = serializer_class(*args, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer
