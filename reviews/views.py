"""Portal pages of review intelligence: the review inbox, a product's review insights, the
merchant-level insights and a complaint topic, plus starting a (re-)analysis.

Views read through `reviews.selectors` and start work through one service; the chart data
they hand to `reviews/static/reviews/review_charts.js` is plain JSON built here. Every object
is looked up among the request merchant's own (another merchant's id is a 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import merchant_required
from accounts.permissions import ANALYSE_REVIEWS, GENERATE_CONTENT, role_can
from core.htmx import is_partial
from jobs.views_helpers import job_started_message
from products.selectors import product_get

from .analysis.pipeline import ANALYSER_VERSION
from .forms import InboxFilterForm, MerchantInsightsForm, ProductInsightsForm, ReanalyseForm
from .llm.selectors import summary_latest
from .models import Aspect
from .selectors.insights import (
    analysis_coverage,
    merchant_insights,
    product_insights,
    review_inbox,
)
from .selectors.pages import (
    SHARE_TREND_STEADY,
    analysis_job_active,
    review_inbox_page,
    review_language_counts,
    sentiment_model_status,
    topic_get,
    topic_trend,
    trend_direction,
)
from .services.analysis import reviews_backfill_start

REVIEWS_PER_PAGE = 50
TOPIC_REVIEWS_PER_PAGE = 25
# Lines in the merchant page's "negative share of the worst products" chart.
WORST_PRODUCTS_CHARTED = 5
# Re-analysing a whole store is heavy: owners and managers (as the API's `reviews/analyse/`).


def _role(request) -> str | None:
    return request.membership.role if request.membership else None


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


# --- Rows and chart data ------------------------------------------------------------------------


def _analysis(review):
    # The reverse one-to-one raises (an AttributeError) when the review has no analysis yet.
    return getattr(review, "analysis", None)


def review_rows(reviews) -> list[dict]:
    """Each review with its analysis (or None) and its aspects as chips: one chip per aspect
    and polarity, in the order they first appear in the text."""
    rows = []
    for review in reviews:
        analysis = _analysis(review)
        chips: list[dict] = []
        if analysis is not None:
            seen = set()
            for mention in analysis.aspects.all():
                key = (mention.aspect, mention.polarity)
                if key in seen or mention.aspect not in Aspect.values:
                    continue
                seen.add(key)
                chips.append(
                    {
                        "aspect": mention.aspect,
                        "label": str(Aspect(mention.aspect).label),
                        "polarity": mention.polarity,
                        "span": mention.span_text,
                    }
                )
        rows.append({"review": review, "analysis": analysis, "chips": chips})
    return rows


def sentiment_trend_chart(weeks) -> dict:
    """Weekly review counts by sentiment (stacked bars) and the negative share (a line)."""
    return {
        "kind": "sentiment_trend",
        "x": [week.week.isoformat() for week in weeks],
        "positive": [week.positive for week in weeks],
        "neutral": [week.neutral for week in weeks],
        "negative": [week.negative for week in weeks],
        "pending": [week.pending for week in weeks],
        "negative_share": [_percent(week.negative_share) for week in weeks],
        "labels": {
            "positive": _("Positive"),
            "neutral": _("Neutral"),
            "negative": _("Negative"),
            "pending": _("Not analysed yet"),
            "negative_share": _("Negative share (%)"),
            "reviews": _("Reviews per week"),
        },
    }


def aspect_chart(aspects) -> dict:
    """Aspect mentions by polarity (horizontal stacked bars), in the order given."""
    return {
        "kind": "aspects",
        "aspects": [item.aspect for item in aspects],
        "y": [item.label for item in aspects],
        "positive": [item.positive for item in aspects],
        "neutral": [item.neutral for item in aspects],
        "negative": [item.negative for item in aspects],
        "labels": {
            "positive": _("Praise"),
            "neutral": _("Neutral"),
            "negative": _("Complaints"),
            "mentions": _("Mentions"),
        },
    }


def topic_trend_chart(trend: dict) -> dict:
    """A topic's weekly review counts (bars)."""
    return {
        "kind": "topic_trend",
        "x": [week.isoformat() if week else "" for week in trend["weeks"]],
        "counts": list(trend["counts"]),
        "labels": {"counts": _("Reviews per week")},
    }


def negative_share_chart(worst, weeks) -> dict:
    """Weekly negative share (%) of the worst products, one line each."""
    return {
        "kind": "negative_share",
        "x": [week.week.isoformat() for week in weeks],
        "series": [
            {"name": item.product.sku, "y": [_percent(share) for share in item.trend]}
            for item in worst[:WORST_PRODUCTS_CHARTED]
        ],
        "labels": {"share": _("Negative share (%)")},
    }


def _topic_rows(topic_insights) -> list[dict]:
    return [
        {"topic": item.topic, "examples": item.examples, "trend": topic_trend(item.topic)}
        for item in topic_insights
    ]


def _coverage_context(request) -> dict:
    merchant = request.merchant
    return {
        "coverage": analysis_coverage(merchant=merchant),
        "analysis_job": analysis_job_active(merchant=merchant),
        "analyser_version": ANALYSER_VERSION,
        "can_reanalyse": role_can(_role(request), ANALYSE_REVIEWS),
    }


# --- The inbox ----------------------------------------------------------------------------------


@merchant_required()
@require_GET
def review_list_view(request):
    """The review inbox: every review with its analysis, filtered, newest first."""
    merchant = request.merchant
    form = InboxFilterForm(request.GET, merchant=merchant)
    reviews = review_inbox_page(merchant=merchant, **form.filters())
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    page_reviews = list(page.object_list)
    context = {
        "form": form,
        "page": page,
        "reviews": page_reviews,
        "rows": review_rows(page_reviews),
        "is_filtered": form.is_filtered,
    }
    if is_partial(request):
        template = "reviews/_review_table.html"
    else:
        template = "reviews/list.html"
        context.update(_coverage_context(request))
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@merchant_required()
@require_GET
def review_analysis_status(request):
    """The analysis coverage panel alone (htmx polls it while an analysis job runs)."""
    context = _coverage_context(request)
    context["next_url"] = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(context["next_url"], allowed_hosts={request.get_host()}):
        context["next_url"] = ""
    return render(request, "reviews/_coverage.html", context)


@merchant_required(ANALYSE_REVIEWS)
@require_POST
def review_reanalyse(request):
    """Start analysing the reviews that wait for it, or all of them again (`force`)."""
    form = ReanalyseForm(request.POST)
    target = reverse("review-list")
    if form.is_valid():
        wanted = form.cleaned_data["next"]
        if wanted and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = wanted
        job = reviews_backfill_start(
            merchant=request.merchant,
            started_by=request.user,
            language=form.cleaned_data["language"],
            force=form.cleaned_data["force"],
        )
        job_started_message(request, job)
    else:
        messages.error(request, _("The analysis could not be started: invalid request."))
    return HttpResponseRedirect(target)


# --- A product ----------------------------------------------------------------------------------


@merchant_required()
@require_GET
def product_insights_view(request, product_id: int):
    """What a product's reviews say: trend, aspects, complaint topics, ratings, summary."""
    merchant = request.merchant
    product = product_get(merchant=merchant, product_id=product_id)
    form = ProductInsightsForm(request.GET)
    insights = product_insights(merchant=merchant, product=product, weeks=form.period())
    rated = sum(insights.rating_distribution.values())
    ratings = [
        {
            "stars": stars,
            "count": insights.rating_distribution[stars],
            "percent": _percent(insights.rating_distribution[stars] / rated) if rated else None,
        }
        for stars in range(5, 0, -1)
    ]
    role = _role(request)
    context = {
        "product": product,
        "form": form,
        "insights": insights,
        "negative_percent": _percent(insights.negative_share),
        "sentiment_percent": {
            key: _percent(count / insights.analysed) if insights.analysed else None
            for key, count in insights.sentiment.items()
        },
        "ratings": ratings,
        "topics": _topic_rows(insights.topics),
        "has_trend": any(week.total for week in insights.weeks),
        "sentiment_chart": sentiment_trend_chart(insights.weeks),
        "aspect_chart": aspect_chart(insights.aspects),
        # "What customers say" (templates/reviews/llm/summary_section.html)
        "summary": summary_latest(merchant=merchant, product=product),
        "can_generate": role_can(role, GENERATE_CONTENT),
        "can_reanalyse": role_can(role, ANALYSE_REVIEWS),
        "analysis_job": analysis_job_active(merchant=merchant),
    }
    context["has_charts"] = context["has_trend"] or bool(insights.aspects)
    return render(request, "reviews/product_insights.html", context)


# --- The merchant -------------------------------------------------------------------------------


@merchant_required()
@require_GET
def merchant_insights_view(request):
    """The store's reviews at a glance: worst products, trend, aspects, topics, languages and
    the sentiment models."""
    merchant = request.merchant
    form = MerchantInsightsForm(request.GET)
    insights = merchant_insights(merchant=merchant, days=form.period())
    worst = [
        {
            "item": item,
            "percent": _percent(item.negative_share),
            "previous_percent": _percent(item.previous_share),
            "change_points": _percent(item.change),
            "direction": trend_direction(item.change, steady=SHARE_TREND_STEADY),
        }
        for item in insights.worst_products
    ]
    complained = sorted(
        (item for item in insights.aspects if item.negative),
        key=lambda item: (-item.negative, item.aspect),
    )
    by_complaints = sorted(insights.aspects, key=lambda item: (-item.negative, -item.total))
    context = {
        "form": form,
        "insights": insights,
        "negative_percent": _percent(insights.negative_share),
        "previous_negative_percent": _percent(insights.previous_negative_share),
        "worst": worst,
        "complained": [
            {"item": item, "percent": _percent(item.negative_share)} for item in complained
        ],
        "topics": _topic_rows(insights.topics),
        "languages": review_language_counts(merchant=merchant, since=insights.period[0]),
        "models": sentiment_model_status(merchant=merchant),
        "has_trend": any(week.total for week in insights.weeks),
        "sentiment_chart": sentiment_trend_chart(insights.weeks),
        "aspect_chart": aspect_chart(by_complaints),
        "share_chart": negative_share_chart(insights.worst_products, insights.weeks),
        **_coverage_context(request),
    }
    context["has_charts"] = context["has_trend"] or bool(insights.aspects) or bool(worst)
    return render(request, "reviews/insights.html", context)


# --- A topic ------------------------------------------------------------------------------------


@merchant_required()
@require_GET
def topic_detail_view(request, topic_id: int):
    """A complaint topic: its label and terms, weekly trend and all its reviews, paged."""
    merchant = request.merchant
    topic = topic_get(merchant=merchant, topic_id=topic_id)
    reviews = review_inbox(merchant=merchant, topic=topic)
    page = Paginator(reviews, TOPIC_REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    page_reviews = list(page.object_list)
    examples = {int(i) for i in topic.example_review_ids if str(i).isdigit()}
    context = {
        "page": page,
        "reviews": page_reviews,
        "rows": review_rows(page_reviews),
        "examples": examples,
        "empty_text": _("No review belongs to this topic any more; it is regrouped soon."),
    }
    if is_partial(request):
        response = render(request, "reviews/_review_table.html", context)
    else:
        trend = topic_trend(topic)
        context.update(
            {
                "topic": topic,
                "trend": trend,
                "has_chart": bool(trend["counts"]),
                "trend_chart": topic_trend_chart(trend),
            }
        )
        response = render(request, "reviews/topic.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
