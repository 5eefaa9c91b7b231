""" "What customers say": cited summaries of a product's reviews, written as a job on the llm queue.

How a summary is made (README, "What customers say"):
1. The pool: the product's most recent reviews in the summary's language (up to
   REVIEW_SUMMARY_POOL), each with a polarity (the analysis' sentiment, else the star rating:
   4-5 positive, 1-2 negative, 3 or none neutral) and its aspect mentions when analysed. An
   aspect summary's pool is the reviews that mention the aspect, with that mention's polarity.
2. The evidence: up to REVIEW_SUMMARY_EVIDENCE reviews of the pool. Each polarity present
   gets at least two places (so a minority view is heard) and the rest in proportion to its
   share; inside a polarity, reviews are taken greedily by the aspects they add that are not
   covered yet, then by recency. They are numbered [R1], [R2], ... in the prompt.
3. One batched call through the LLM door writes the overall summary and the aspect summaries;
   `reviews.llm.citations` keeps only statements tied to the reviews they cite.
4. When nothing the model wrote survives the check (or the model failed), the summary is
   extractive (`reviews.llm.extractive`): counts and verbatim quotes, each statement cited.
Review text is untrusted: it reaches the prompt and the checker cleaned
(`reviews.llm.text.review_clean`).
"""

from __future__ import annotations

import logging
import math
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core import llm
from jobs.models import Job, JobKind
from jobs.runner import JobOutcome, JobRun
from jobs.services import job_submit
from products.models import Product
from reviews.llm.citations import EvidenceReview, statements_check
from reviews.llm.extractive import Mention, PoolReview, extractive_statements
from reviews.llm.prompts import (
    SUMMARY_MAX_NEW_TOKENS,
    SUMMARY_PROMPT_VERSIONS,
    summary_messages,
)
from reviews.llm.text import review_clean, without_marks

from ..models import Aspect, AspectMention, Review, ReviewAnalysis, ReviewSummary

logger = logging.getLogger(__name__)

SUMMARY_TASK = "reviews.llm.tasks.llm_review_summaries"
SUMMARY_LANGUAGES = ("en", "zh")
MIN_PER_POLARITY = 2
# Aspects with at least this many mentions in the pool get their own summary (at most
# MAX_ASPECT_SUMMARIES, the most mentioned first) when the whole product is summarised.
MIN_ASPECT_MENTIONS = 3
MAX_ASPECT_SUMMARIES = 4
MAX_LISTED_DROPS = 20


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _job_kind() -> str:
    # A dedicated kind once jobs.models has it; until then language-model generation, whose
    # permission (generate_content) is the one starting a summary needs. Not review_backfill:
    # the review pages read that kind as "analysis in progress".
    return JobKind.REVIEW_SUMMARY


class SummaryFailed(Exception):
    code = "summary_failed"


# --- language, pool, evidence ----------------------------------------------------------------
def summary_language(*, merchant, product: Product, language: str = "") -> str:
    """The summary's language: the one asked for, else the merchant's (en, or zh for zh-hans);
    when the product has no review in it, the language most of its reviews are in."""
    if language:
        return language
    preferred = "zh" if (merchant.default_language or "").startswith("zh") else "en"
    counts = Counter(
        Review.objects.filter(
            merchant=merchant, product=product, language__in=SUMMARY_LANGUAGES
        ).values_list("language", flat=True)[: _setting("REVIEW_SUMMARY_POOL", 300)]
    )
    if counts.get(preferred) or not counts:
        return preferred
    return counts.most_common(1)[0][0]


def _rating_polarity(rating: int | None) -> str:
    if rating is None:
        return "neutral"
    if rating >= 4:
        return "positive"
    if rating <= 2:
        return "negative"
    return "neutral"


def summary_pool(
    *, merchant, product: Product, language: str, aspect: str = ""
) -> tuple[list[PoolReview], dict[int, int | None]]:
    """The reviews a summary considers, newest first, and their star ratings by id."""
    rows = list(
        Review.objects.filter(merchant=merchant, product=product, language=language)
        .exclude(body="")
        .order_by("-created_at", "-pk")
        .values_list("pk", "title", "body", "rating")[: _setting("REVIEW_SUMMARY_POOL", 300)]
    )
    ids = [row[0] for row in rows]
    sentiments = dict(
        ReviewAnalysis.objects.filter(merchant=merchant, review_id__in=ids).values_list(
            "review_id", "sentiment"
        )
    )
    mentions: dict[int, list[Mention]] = {}
    for analysis_id, mention_aspect, polarity, span in (
        AspectMention.objects.filter(merchant=merchant, analysis_id__in=ids)
        .order_by("analysis_id", "span_start")
        .values_list("analysis_id", "aspect", "polarity", "span_text")
    ):
        mentions.setdefault(analysis_id, []).append(Mention(mention_aspect, polarity, span))
    pool: list[PoolReview] = []
    ratings: dict[int, int | None] = {}
    for pk, title, body, rating in rows:
        review_mentions = tuple(mentions.get(pk, ()))
        polarity = sentiments.get(pk) or _rating_polarity(rating)
        if aspect:
            about = [m for m in review_mentions if m.aspect == aspect]
            if not about:
                continue
            polarity = about[0].polarity
        clean = review_clean(title, body)
        if not without_marks(clean.text):
            continue  # nothing but removed instructions and links: nothing to cite
        pool.append(PoolReview(pk, clean.text, polarity, rating, review_mentions))
        ratings[pk] = rating
    return pool, ratings


def _quotas(counts: Counter, size: int) -> dict[str, int]:
    """Places per polarity: MIN_PER_POLARITY each (if it has that many), the rest by share."""
    quotas = {p: min(c, MIN_PER_POLARITY) for p, c in counts.items()}
    left = size - sum(quotas.values())
    total = sum(counts.values())
    if left > 0 and total:
        wanted = {p: left * c / total for p, c in counts.items()}
        for p in counts:
            quotas[p] = min(counts[p], quotas[p] + math.floor(wanted[p]))
        order = sorted(counts, key=lambda p: -(wanted[p] - math.floor(wanted[p])))
        while sum(quotas.values()) < min(size, total):
            grew = False
            for p in order:
                if quotas[p] < counts[p] and sum(quotas.values()) < size:
                    quotas[p] += 1
                    grew = True
            if not grew:
                break
    return quotas


def evidence_select(pool: list[PoolReview], *, size: int) -> list[PoolReview]:
    """Up to `size` reviews of the pool: both polarities, diverse aspects, recent (see above)."""
    if len(pool) <= size:
        return list(pool)
    counts = Counter(review.polarity for review in pool)
    quotas = _quotas(counts, size)
    rank = {review.review_id: index for index, review in enumerate(pool)}  # 0 = newest
    chosen: list[PoolReview] = []
    for polarity, quota in quotas.items():
        candidates = [review for review in pool if review.polarity == polarity]
        covered: set[str] = set()
        for _place in range(quota):
            best = max(
                candidates,
                key=lambda r: (
                    len({m.aspect for m in r.mentions} - covered),
                    len(r.text) >= 20,
                    -rank[r.review_id],
                ),
            )
            candidates.remove(best)
            covered |= {m.aspect for m in best.mentions}
            chosen.append(best)
    return sorted(chosen, key=lambda review: rank[review.review_id])


def evidence_label(pool_reviews: list[PoolReview]) -> list[EvidenceReview]:
    return [
        EvidenceReview(
            label=f"R{number}",
            review_id=review.review_id,
            text=review.text,
            polarity=review.polarity,
            aspects=tuple(dict.fromkeys(m.aspect for m in review.mentions)),
        )
        for number, review in enumerate(pool_reviews, 1)
    ]


def summary_aspects(*, merchant, product: Product, language: str) -> list[str]:
    """The aspects worth their own summary: at least MIN_ASPECT_MENTIONS reviews of the pool
    mention them; the most mentioned first, at most MAX_ASPECT_SUMMARIES."""
    pool, _ = summary_pool(merchant=merchant, product=product, language=language)
    counts = Counter(aspect for review in pool for aspect in {m.aspect for m in review.mentions})
    return [
        aspect
        for aspect, count in counts.most_common()
        if count >= MIN_ASPECT_MENTIONS and aspect in Aspect.values
    ][:MAX_ASPECT_SUMMARIES]


# --- starting ------------------------------------------------------------------------------------
def _clean_options(*, aspect: str | None, language: str) -> tuple[str | None, str]:
    errors = {}
    if aspect not in (None, "") and aspect not in Aspect.values:
        errors["aspect"] = _("Choose one of the aspects.")
    if language and language not in SUMMARY_LANGUAGES:
        errors["language"] = _("Summaries are written in English (en) or Chinese (zh).")
    if errors:
        raise ValidationError(errors)
    return (aspect or None), language


@transaction.atomic
def summary_generate_start(
    *, merchant, product: Product, aspect: str | None = None, language: str = "", user=None
) -> Job:
    """Start a job writing the product's summary: overall plus its main aspects when `aspect`
    is None or "", else that aspect's only. The job runs on the llm queue."""
    from reviews.llm import tasks  # noqa: F401 - registers the task in this process

    if product.merchant_id != merchant.pk:
        raise ValidationError({"product": _("This product does not exist.")})
    aspect, language = _clean_options(aspect=aspect, language=language)
    title = _("What customers say about %(sku)s") % {"sku": product.sku}
    if aspect:
        title = _("What customers say about %(sku)s: %(aspect)s") % {
            "sku": product.sku,
            "aspect": Aspect(aspect).label,
        }
    return job_submit(
        merchant=merchant,
        kind=_job_kind(),
        title=title,
        started_by=user,
        task_name=SUMMARY_TASK,
        task_kwargs={"product_id": product.pk, "aspect": aspect or "", "language": language},
    )


# --- running (inside the job) --------------------------------------------------------------------
def summary_statements_build(
    *,
    output: str | None,
    pool: list[PoolReview],
    evidence: list[EvidenceReview],
    language: str,
    aspect: str = "",
) -> tuple[list[dict], list[dict]]:
    """(statements to store, dropped statements) from a model output (None: the model failed).

    Model statements that pass the citation check, else the extractive summary."""
    dropped: list[dict] = []
    if output is not None:
        check = statements_check(output, evidence=evidence, language=language)
        dropped = [item.as_json() for item in check.dropped]
        if check.kept:
            return [statement.as_json() for statement in check.kept], dropped
    extractive = extractive_statements(pool, language=language, aspect=aspect)
    return [statement.as_json() for statement in extractive], dropped


def summaries_generate_run(
    *, run: JobRun, product_id: int, aspect: str = "", language: str = ""
) -> JobOutcome:
    """The body of a summary job: one ReviewSummary per target (overall and main aspects, or
    the one aspect asked for). A redelivered job skips the summaries it already wrote; an
    unreachable model server is raised (the job retries); any other model failure gives the
    extractive summary and is listed in the result."""
    job, merchant = run.job, run.merchant
    product = Product.objects.for_merchant(merchant).filter(pk=product_id).first()
    if product is None:
        raise SummaryFailed(_("The product no longer exists."))
    language = summary_language(merchant=merchant, product=product, language=language)
    targets = (
        [aspect]
        if aspect
        else ["", *summary_aspects(merchant=merchant, product=product, language=language)]
    )
    done = set(
        ReviewSummary.objects.filter(job=job, product=product).values_list("aspect", flat=True)
    )
    pending = [target for target in targets if target not in done]
    run.progress(
        done=len(targets) - len(pending), total=len(targets), message=_("Reading the reviews…")
    )

    size = _setting("REVIEW_SUMMARY_EVIDENCE", 12)
    prepared = []
    for target in pending:
        pool, ratings = summary_pool(
            merchant=merchant, product=product, language=language, aspect=target
        )
        evidence = evidence_label(evidence_select(pool, size=size))
        prepared.append((target, pool, ratings, evidence))

    asked = [item for item in prepared if item[3]]
    outputs: dict[str, str | None] = {}
    model_error = ""
    if asked:
        prompts = [
            summary_messages(
                product_title=product.title,
                evidence=evidence,
                language=language,
                aspect=target,
                ratings=ratings,
            )
            for target, _pool, ratings, evidence in asked
        ]
        try:
            results = llm.generate_batch(
                prompts,
                purpose="review_summary",
                prompt_version=SUMMARY_PROMPT_VERSIONS[language],
                merchant=merchant,
                max_new_tokens=SUMMARY_MAX_NEW_TOKENS,
                temperature=0,
                return_exceptions=True,
                job_id=job.pk,
            )
        except llm.LLMError as error:
            if error.transient:
                raise
            results = [error] * len(asked)
        transient = [r for r in results if isinstance(r, llm.LLMError) and r.transient]
        if transient and len(transient) == len(results):
            raise transient[0]
        for (target, *_rest), result in zip(asked, results, strict=True):
            if isinstance(result, BaseException):
                model_error = model_error or f"{getattr(result, 'code', 'error')}: {result}"
                outputs[target] = None
            else:
                outputs[target] = result.text

    written = []
    processed = len(targets) - len(pending)
    for target, pool, _ratings, evidence in prepared:
        statements, dropped = summary_statements_build(
            output=outputs.get(target),
            pool=pool,
            evidence=evidence,
            language=language,
            aspect=target,
        )
        with transaction.atomic():
            summary, created = ReviewSummary.objects.get_or_create(
                job=job,
                product=product,
                aspect=target,
                defaults={
                    "merchant": merchant,
                    "language": language,
                    "statements": statements,
                    "dropped": len(dropped),
                    "reviews_considered": len(pool),
                },
            )
        written.append(
            {
                "summary_id": summary.pk,
                "aspect": target,
                "statements": len(summary.statements),
                "method": _method(summary.statements),
                "dropped": summary.dropped,
                "reviews_considered": summary.reviews_considered,
                "dropped_statements": dropped[:MAX_LISTED_DROPS],
            }
        )
        processed += 1
        run.progress(
            done=processed,
            message=_("%(done)d of %(total)d summaries")
            % {"done": processed, "total": len(targets)},
        )
    extractive = sum(1 for item in written if item["method"] == "extractive")
    summary = {
        "product_id": product.pk,
        "language": language,
        "summaries": written,
        "extractive": extractive,
        "dropped": sum(item["dropped"] for item in written),
        "model_error": model_error[:500],
    }
    message = _("%(count)d summaries written (%(extractive)d extractive)") % {
        "count": len(written),
        "extractive": extractive,
    }
    url = reverse("review-summary", kwargs={"product_id": product.pk})
    return JobOutcome(summary=summary, url=url, message=message)


def _method(statements: list[dict]) -> str:
    if not statements:
        return "empty"
    return "extractive" if all(s.get("method") == "extractive" for s in statements) else "model"
