from __future__ import annotations

from .selectors import membership_resolve

SESSION_KEY = "active_merchant_id"


class ActiveMerchantMiddleware:
    """Put the active merchant on the request: `request.membership`, `request.merchant`.

    The active merchant is the one chosen in the portal's switcher (kept in the session), or the
    user's first merchant. Every view and selector scopes its queries to `request.merchant`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        membership = None
        if request.user.is_authenticated:
            membership = membership_resolve(
                user=request.user, merchant_id=request.session.get(SESSION_KEY)
            )
        request.membership = membership
        request.merchant = membership.merchant if membership else None
        return self.get_response(request)
