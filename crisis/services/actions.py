"""Crisis actions: proposing one by hand, approving (which applies it inside EcomOps), rejecting.

Nothing leaves EcomOps. Approving an action records what a person then carries out:

- reorder: a `PurchaseSuggestion` of `params["units"]`;
  result {"purchase_suggestion": id, "quantity": n}.
- markdown: a `PriceChange` from today's price cut by `params["price_cut"]`, starting today in
  the merchant's time zone, for `params["days"]` days (`ends_on` is the last day); refused
  when a price change of the product overlaps; `Product.price` is NOT changed;
  result {"price_change": id, "old_price", "new_price", "starts_on", "ends_on"}.
- listing_fix: a content-studio description draft with `params["proposed_text"]`, checked
  against the product's facts, waiting for the normal approve -> publish;
  result {"content_draft": id, "unsupported_claims": n}.
- customer_reply: a reply draft (a content draft of kind review_reply) with
  `params["proposed_text"]` for each review of `params["review_ids"]` not answered yet,
  through the reply workflow; result {"content_drafts": [ids], "reviews": [ids],
  "skipped": [{"review_id", "reason"}]}.
- pause_ads, other: nothing (EcomOps manages no ad platform): a to-do, the status stays
  approved; result {"todo": true, "note": "..."}.

`action_approve` locks the action (`select_for_update`), re-checks that it belongs to the
crisis's merchant, that the user is a member who may decide (MANAGE_CRISES) and that it is
still proposed (else CrisisError `action_decided`, 409). Applying runs in a savepoint: when it
fails, the action is `failed` with the error and nothing else is written. The timeline gets
action_approved, then action_applied or action_failed; rejecting records the reason in
`result["reason"]` and on the timeline (action_rejected); proposing, action_proposed.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import MANAGE_CRISES, RESPOND_CRISES
from core.selectors import merchant_today

from ..models import (
    ActionKind,
    ActionStatus,
    CrisisAction,
    CrisisEventKind,
    CrisisStatus,
    PriceChange,
    PurchaseSuggestion,
)
from ..playbooks.evidence import RECENT_DAYS, playbook_language
from ..playbooks.generate import role_require
from .crises import crisis_event_add
from .errors import INVALID, CrisisError

logger = logging.getLogger(__name__)

MAX_UNITS = 1_000_000
MAX_MARKDOWN_DAYS = 365
MAX_TITLE = 300
MAX_DETAIL = 4000
MAX_REASON = 4000
MAX_REPLY_REVIEWS = 20


class ActionApplyError(Exception):
    """Applying an approved action failed; the message says why (shown to people)."""


@dataclass
class Applied:
    result: dict = field(default_factory=dict)
    todo: bool = False  # recorded for a person; nothing in EcomOps was changed


def _invalid(message: str) -> CrisisError:
    return CrisisError("invalid_action", message, INVALID)


def _refuse_resolved(crisis) -> None:
    if crisis.status == CrisisStatus.RESOLVED:
        raise CrisisError("crisis_resolved", _("This crisis is resolved; reopen it first."))


# --- proposing -----------------------------------------------------------------------------------
def _int(value, *, name: str, low: int, high: int) -> int:
    """A whole number within [low, high] (an int, a whole float or a string of digits)."""
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is None:
        raise _invalid(_("%(name)s must be a whole number.") % {"name": name})
    if not low <= number <= high:
        raise _invalid(
            _("%(name)s must be between %(low)d and %(high)d.")
            % {"name": name, "low": low, "high": high}
        )
    return number


def _cut(value) -> float:
    try:
        cut = float(value)
    except (TypeError, ValueError):
        raise _invalid(_("price_cut must be a share between 0 and 1, e.g. 0.2.")) from None
    if not 0 < cut < 1:
        raise _invalid(_("price_cut must be a share between 0 and 1, e.g. 0.2."))
    return round(cut, 4)


def _new_price(old: Decimal, cut: float) -> Decimal:
    return (old * (Decimal(1) - Decimal(str(cut)))).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def _recent_negative_unanswered(*, crisis, limit: int) -> list[int]:
    """The newest negative reviews of the crisis's product without a reply (for a reply
    proposed without naming the review)."""
    from core.selectors import merchant_day_start
    from reviews.models import Review

    today = merchant_today(merchant=crisis.merchant)
    since = merchant_day_start(
        merchant=crisis.merchant, day=today - dt.timedelta(days=RECENT_DAYS - 1)
    )
    return list(
        Review.objects.filter(
            merchant=crisis.merchant, product=crisis.product, created_at__gte=since, reply_text=""
        )
        .filter(Q(analysis__sentiment="negative") | Q(analysis__isnull=True, rating__lte=2))
        .exclude(body="")
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)[:limit]
    )


def action_params_clean(*, crisis, kind: str, params: dict) -> dict:
    """The params a kind needs, validated (CrisisError `invalid_action`, 400, when not)."""
    from products.content.kinds import ContentKind, max_chars

    params = dict(params or {})
    if kind not in ActionKind.values:
        raise _invalid(_("Choose one of the action kinds."))
    needs_product = kind in (
        ActionKind.REORDER,
        ActionKind.MARKDOWN,
        ActionKind.LISTING_FIX,
        ActionKind.CUSTOMER_REPLY,
    )
    product = crisis.product
    if needs_product and product is None:
        raise _invalid(_("This kind of action needs a crisis about one product."))
    if needs_product:
        params["product_id"] = product.pk
    if kind == ActionKind.REORDER:
        params["units"] = _int(params.get("units"), name="units", low=1, high=MAX_UNITS)
    elif kind == ActionKind.MARKDOWN:
        params["price_cut"] = _cut(params.get("price_cut"))
        params["days"] = _int(params.get("days"), name="days", low=1, high=MAX_MARKDOWN_DAYS)
        if product.price is None or product.price <= 0:
            raise _invalid(_("The product has no price to mark down."))
        params["old_price"] = str(product.price)
        params["new_price"] = str(_new_price(product.price, params["price_cut"]))
    elif kind == ActionKind.LISTING_FIX:
        text = str(params.get("proposed_text") or "").replace("\r\n", "\n").strip()
        limit = max_chars(ContentKind.DESCRIPTION) or 2000
        if not text:
            raise _invalid(_("Write the proposed listing text."))
        if len(text) > limit:
            raise _invalid(
                _("The listing text has at most %(limit)d characters.") % {"limit": limit}
            )
        params["proposed_text"] = text
        params.setdefault("content_kind", ContentKind.DESCRIPTION)
        params.setdefault("language", playbook_language(crisis.merchant))
    elif kind == ActionKind.CUSTOMER_REPLY:
        from reviews.models import Review

        text = str(params.get("proposed_text") or "").replace("\r\n", "\n").strip()
        limit = max_chars(ContentKind.REVIEW_REPLY) or 1000
        if not text:
            raise _invalid(_("Write the reply text."))
        if len(text) > limit:
            raise _invalid(_("A reply has at most %(limit)d characters.") % {"limit": limit})
        wanted = params.get("review_ids") or (
            [params["review_id"]] if params.get("review_id") not in (None, "") else []
        )
        try:
            wanted = [int(i) for i in wanted][:MAX_REPLY_REVIEWS]
        except (TypeError, ValueError):
            raise _invalid(_("review_ids must be review numbers.")) from None
        if wanted:
            found = set(
                Review.objects.filter(
                    merchant=crisis.merchant, product=product, pk__in=wanted
                ).values_list("pk", flat=True)
            )
            missing = [i for i in wanted if i not in found]
            if missing:
                raise _invalid(
                    _("These reviews are not reviews of this product: %(ids)s.")
                    % {"ids": ", ".join(f"#{i}" for i in missing)}
                )
        else:
            wanted = _recent_negative_unanswered(crisis=crisis, limit=5)
            if not wanted:
                raise _invalid(_("Name the review to answer: there is no recent negative review."))
        params["proposed_text"] = text
        params["review_ids"] = wanted
        params.pop("review_id", None)
    return params


@transaction.atomic
def action_propose(
    *, crisis, user, kind: str, title: str, detail: str = "", params: dict | None = None
) -> CrisisAction:
    """Propose an action by hand (owners, managers, analysts); it waits for a manager.

    `params` by kind: reorder {"units"}, markdown {"price_cut" (share, 0-1), "days"},
    listing_fix {"proposed_text"}, customer_reply {"proposed_text", "review_id" or
    "review_ids" (else the newest unanswered negative reviews)}; pause_ads and other none.
    Refused with CrisisError `invalid_action` (400) or `crisis_resolved` (409)."""
    from ..models import Crisis

    crisis = Crisis.objects.select_related("merchant", "product").get(pk=crisis.pk)
    role_require(user=user, merchant=crisis.merchant, action=RESPOND_CRISES)
    _refuse_resolved(crisis)
    title = (title or "").strip()
    if not title:
        raise _invalid(_("Give the action a title."))
    if len(title) > MAX_TITLE or len(detail or "") > MAX_DETAIL:
        raise _invalid(_("The title or the detail is too long."))
    params = action_params_clean(crisis=crisis, kind=kind, params=params or {})
    action = CrisisAction.objects.create(
        crisis=crisis,
        merchant=crisis.merchant,
        kind=kind,
        title=title,
        detail=(detail or "").strip(),
        params=params,
        status=ActionStatus.PROPOSED,
        proposed_by=user,
    )
    crisis_event_add(
        crisis=crisis,
        kind=CrisisEventKind.ACTION_PROPOSED,
        actor=user,
        message=title,
        data={"action_id": action.pk, "kind": kind},
    )
    return action


# --- applying ------------------------------------------------------------------------------------
def _product(action: CrisisAction):
    from products.models import Product

    product_id = action.params.get("product_id") or action.crisis.product_id
    product = (
        Product.objects.select_for_update()
        .filter(pk=product_id, merchant_id=action.merchant_id)
        .first()
    )
    if product is None:
        raise ActionApplyError(_("The product no longer exists."))
    return product


def _apply_reorder(*, action: CrisisAction, user) -> Applied:
    product = _product(action)
    try:
        units = _int(action.params.get("units"), name="units", low=1, high=MAX_UNITS)
    except CrisisError as error:
        raise ActionApplyError(error.message) from None
    suggestion = PurchaseSuggestion.objects.create(
        merchant_id=action.merchant_id,
        product=product,
        quantity=units,
        note=f"{action.title}\n\n{action.detail}".strip(),
        action=action,
        created_by=user,
    )
    return Applied({"purchase_suggestion": suggestion.pk, "quantity": units})


def _apply_markdown(*, action: CrisisAction, user) -> Applied:
    product = _product(action)
    try:
        cut = _cut(action.params.get("price_cut"))
        days = _int(action.params.get("days"), name="days", low=1, high=MAX_MARKDOWN_DAYS)
    except CrisisError as error:
        raise ActionApplyError(error.message) from None
    old_price = product.price
    if old_price is None or old_price <= 0:
        raise ActionApplyError(_("The product has no price to mark down."))
    starts_on = merchant_today(merchant=action.crisis.merchant)
    ends_on = starts_on + dt.timedelta(days=days - 1)
    overlapping = (
        PriceChange.objects.filter(product=product, starts_on__lte=ends_on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        .first()
    )
    if overlapping is not None:
        raise ActionApplyError(
            _("A price change of this product already runs from %(start)s to %(end)s.")
            % {"start": overlapping.starts_on, "end": overlapping.ends_on or "—"}
        )
    change = PriceChange.objects.create(
        merchant_id=action.merchant_id,
        product=product,
        old_price=old_price,
        new_price=_new_price(old_price, cut),
        starts_on=starts_on,
        ends_on=ends_on,
        reason=f"{action.title}\n\n{action.detail}".strip(),
        action=action,
        created_by=user,
    )
    return Applied(
        {
            "price_change": change.pk,
            "old_price": str(change.old_price),
            "new_price": str(change.new_price),
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        }
    )


def _apply_listing_fix(*, action: CrisisAction, user) -> Applied:
    from products.content.generation import candidate_check, facts_from_product
    from products.content.kinds import ContentKind, ContentLanguage, max_chars
    from products.content.services import drafts_create_from_candidates

    product = _product(action)
    text = str(action.params.get("proposed_text") or "").strip()
    language = action.params.get("language") or playbook_language(action.crisis.merchant)
    if not text:
        raise ActionApplyError(_("The action has no listing text."))
    if language not in ContentLanguage.values:
        raise ActionApplyError(_("The listing text's language is not supported."))
    limit = max_chars(ContentKind.DESCRIPTION) or 2000
    if len(text) > limit:
        raise ActionApplyError(
            _("The listing text has more than %(limit)d characters.") % {"limit": limit}
        )
    candidate = candidate_check(
        text=text,
        facts=facts_from_product(product),
        kind=ContentKind.DESCRIPTION,
        language=language,
    )
    candidate.prompt_version = str(action.params.get("prompt_version") or "crisis-action")
    candidate.model = str(action.params.get("model") or "")
    log_id = action.params.get("generation_log_id")
    candidate.generation_log_id = log_id if isinstance(log_id, int) else None
    draft, _created = drafts_create_from_candidates(
        merchant=action.crisis.merchant,
        product=product,
        kind=ContentKind.DESCRIPTION,
        language=language,
        candidates=[candidate],
        user=user,
    )
    return Applied({"content_draft": draft.pk, "unsupported_claims": draft.unsupported_count})


def _apply_customer_reply(*, action: CrisisAction, user) -> Applied:
    from products.content.generation import facts_from_product
    from products.content.kinds import ContentKind, ContentLanguage, max_chars
    from reviews.llm.replies import reply_check, reply_context_build
    from reviews.llm.selectors import review_complaints
    from reviews.models import Review
    from reviews.services.replies import reply_draft_create, reply_language

    text = str(action.params.get("proposed_text") or "").strip()
    if not text:
        raise ActionApplyError(_("The action has no reply text."))
    if len(text) > (max_chars(ContentKind.REVIEW_REPLY) or 1000):
        raise ActionApplyError(_("The reply text is too long."))
    wanted = [int(i) for i in action.params.get("review_ids") or [] if str(i).isdigit()]
    reviews = (
        Review.objects.select_for_update(of=("self",))
        .filter(merchant_id=action.merchant_id, pk__in=wanted)
        .select_related("product", "merchant")
        .in_bulk()
    )
    policy = str(action.params.get("policy") or "")
    drafts, answered, skipped = [], [], []
    for review_id in wanted:
        review = reviews.get(review_id)
        if review is None or (
            action.crisis.product_id and review.product_id != action.crisis.product_id
        ):
            skipped.append({"review_id": review_id, "reason": "gone"})
            continue
        if (review.reply_text or "").strip():
            skipped.append({"review_id": review_id, "reason": "already answered"})
            continue
        language = action.params.get("language") or reply_language(review)
        if language not in ContentLanguage.values:
            language = reply_language(review)
        context = reply_context_build(
            facts=facts_from_product(review.product),
            review_title=review.title,
            review_body=review.body,
            language=language,
            template=policy,
            complaints=review_complaints(review=review),
        )
        candidate = reply_check(text, context)
        candidate.prompt_version = "crisis-action"
        draft, _created = reply_draft_create(
            merchant=action.crisis.merchant,
            review=review,
            language=language,
            template=policy,
            candidates=[candidate],
            user=user,
        )
        drafts.append(draft.pk)
        answered.append(review.pk)
    if not drafts:
        raise ActionApplyError(
            _("None of the reviews can be answered any more (gone or already answered).")
        )
    return Applied({"content_drafts": drafts, "reviews": answered, "skipped": skipped})


def _apply_todo(*, action: CrisisAction, user) -> Applied:
    if action.kind == ActionKind.PAUSE_ADS:
        note = _(
            "EcomOps manages no ad platform: pause the product's ads in your ad accounts until "
            "new stock arrives."
        )
    else:
        note = _("Recorded as a to-do; EcomOps changed nothing.")
    return Applied({"todo": True, "note": note}, todo=True)


APPLIERS = {
    ActionKind.REORDER: _apply_reorder,
    ActionKind.MARKDOWN: _apply_markdown,
    ActionKind.LISTING_FIX: _apply_listing_fix,
    ActionKind.CUSTOMER_REPLY: _apply_customer_reply,
    ActionKind.PAUSE_ADS: _apply_todo,
    ActionKind.OTHER: _apply_todo,
}


def _locked(action: CrisisAction, *, user, permission: str) -> CrisisAction:
    """The action locked for a decision, after the tenant, role and state checks."""
    locked = (
        CrisisAction.objects.select_for_update(of=("self",))
        .select_related("crisis", "crisis__merchant", "crisis__product")
        .filter(pk=action.pk)
        .first()
    )
    if locked is None or locked.merchant_id != locked.crisis.merchant_id:
        raise Http404
    role_require(user=user, merchant=locked.crisis.merchant, action=permission)
    if locked.status != ActionStatus.PROPOSED:
        raise CrisisError(
            "action_decided",
            _("This action is already %(status)s.")
            % {"status": locked.get_status_display().lower()},
        )
    _refuse_resolved(locked.crisis)
    return locked


def _error_text(error: BaseException) -> str:
    if isinstance(error, ActionApplyError):
        return str(error)
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return _("The action could not be applied (%(error)s).") % {"error": type(error).__name__}


@transaction.atomic
def action_approve(*, action: CrisisAction, user) -> CrisisAction:
    """Approve a proposed action and apply it inside EcomOps (module docstring). Returns the
    action: applied, approved (a to-do), or failed with `error` (nothing else written)."""
    action = _locked(action, user=user, permission=MANAGE_CRISES)
    now = timezone.now()
    action.decided_by = user
    action.decided_at = now
    crisis_event_add(
        crisis=action.crisis,
        kind=CrisisEventKind.ACTION_APPROVED,
        actor=user,
        message=action.title,
        data={"action_id": action.pk, "kind": action.kind},
    )
    try:
        with transaction.atomic():
            applied = APPLIERS[action.kind](action=action, user=user)
    except (ActionApplyError, ValidationError, DatabaseError, InvalidOperation) as error:
        if not isinstance(error, ActionApplyError | ValidationError):
            logger.exception("crisis action %s could not be applied", action.pk)
        action.status = ActionStatus.FAILED
        action.error = _error_text(error)[:2000]
        action.result = {}
        crisis_event_add(
            crisis=action.crisis,
            kind=CrisisEventKind.ACTION_FAILED,
            actor=user,
            message=action.error,
            data={"action_id": action.pk, "kind": action.kind},
        )
    else:
        action.result = applied.result
        action.error = ""
        if applied.todo:
            action.status = ActionStatus.APPROVED
        else:
            action.status = ActionStatus.APPLIED
            action.applied_at = now
            crisis_event_add(
                crisis=action.crisis,
                kind=CrisisEventKind.ACTION_APPLIED,
                actor=user,
                message=action.title,
                data={"action_id": action.pk, "kind": action.kind, "result": applied.result},
            )
    action.save()
    return action


@transaction.atomic
def action_reject(*, action: CrisisAction, user, reason: str = "") -> CrisisAction:
    """Reject a proposed action; the reason (optional) is kept in `result["reason"]` and on
    the timeline. Refused with `action_decided` (409) when it is no longer proposed."""
    action = _locked(action, user=user, permission=MANAGE_CRISES)
    reason = (reason or "").strip()[:MAX_REASON]
    action.status = ActionStatus.REJECTED
    action.decided_by = user
    action.decided_at = timezone.now()
    action.result = {"reason": reason}
    action.save()
    crisis_event_add(
        crisis=action.crisis,
        kind=CrisisEventKind.ACTION_REJECTED,
        actor=user,
        message=reason or action.title,
        data={"action_id": action.pk, "kind": action.kind, "reason": reason},
    )
    return action
