"""'What customers say' jobs: cited model statements, the extractive fallback, zh and en."""

import datetime as dt

import pytest
from django.utils import timezone

from core import llm
from core.models import GenerationLog
from jobs.models import Job, JobStatus
from reviews.llm.tasks import llm_review_summaries
from reviews.models import ReviewSummary
from reviews.services.summaries import (
    evidence_select,
    summary_generate_start,
    summary_language,
    summary_pool,
)
from tests.factories import ProductFactory, ReviewFactory

from .conftest import use_model

pytestmark = pytest.mark.django_db


def labels_of(request) -> dict[str, str]:
    """The [Rn] label -> review text lines the prompt showed."""
    user = request.chat_messages[-1]["content"]
    block = user.split("<reviews>")[1].split("</reviews>")[0]
    return {line.split("]", 1)[0].strip("["): line for line in block.strip().splitlines() if line}


def grounded_responder(request):
    """A model that cites correctly: one statement per review it was shown."""
    lines = []
    for label, line in labels_of(request).items():
        if "leaks" in line:
            lines.append(f"- The lid leaks water [{label}]")
        elif "late" in line:
            lines.append(f"- Delivery was weeks late [{label}]")
        elif "cold" in line:
            lines.append(f"- Keeps water cold all day [{label}]")
    return "\n".join(lines)


def run_summary(merchant, product, owner, on_commit, **options):
    with on_commit():
        job = summary_generate_start(merchant=merchant, product=product, user=owner, **options)
    job.refresh_from_db()
    return job


def test_a_summary_keeps_cited_model_statements_with_their_review_ids(
    merchant, owner, bottle, bottle_reviews, on_commit
):
    leak, late, cold, _sturdy = bottle_reviews
    with use_model(grounded_responder):
        job = run_summary(merchant, bottle, owner, on_commit)

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.queue == "llm" and job.task_name.startswith("reviews.llm.tasks.llm_")
    summary = ReviewSummary.objects.get(job=job, aspect="")
    assert {(s["text"], tuple(s["review_ids"]), s["method"]) for s in summary.statements} == {
        ("The lid leaks water.", (leak.pk,), "model"),
        ("Delivery was weeks late.", (late.pk,), "model"),
        ("Keeps water cold all day.", (cold.pk,), "model"),
    }
    assert summary.dropped == 0 and summary.reviews_considered == 4 and summary.language == "en"
    assert job.result["summaries"][0]["method"] == "model"
    log = GenerationLog.objects.get(job=job)
    assert log.purpose == "review_summary" and log.prompt_version == "review-summary-en-v1"


def test_nothing_usable_from_the_model_gives_an_extractive_summary(
    merchant, owner, bottle, analysed_reviews, on_commit
):
    leak, late, cold, sturdy = analysed_reviews
    babble = "- Great product for everyone [R7]\n- I am a helpful assistant.\n- Buy now [R1]"
    with use_model(lambda request: babble):
        job = run_summary(merchant, bottle, owner, on_commit)

    summary = ReviewSummary.objects.get(job=job, aspect="")
    assert summary.dropped == 3
    assert {s["method"] for s in summary.statements} == {"extractive"}
    texts = [s["text"] for s in summary.statements]
    # Quality is mentioned twice (one complaint, one praise): groups by aspect and polarity.
    assert 'Quality / defects: 1 negative mention, e.g. "The lid leaks water".' in texts
    assert 'Shipping / delivery: 1 negative mention, e.g. "Delivery was two weeks late".' in texts
    for statement in summary.statements:
        assert statement["review_ids"]
        assert set(statement["review_ids"]) <= {r.pk for r in analysed_reviews}
    assert job.result["extractive"] >= 1


def test_without_analyses_the_extractive_summary_groups_reviews_by_rating(
    merchant, owner, bottle, bottle_reviews, on_commit
):
    with use_model(lambda request: "I cannot help with that."):
        job = run_summary(merchant, bottle, owner, on_commit)

    summary = ReviewSummary.objects.get(job=job, aspect="")
    texts = [s["text"] for s in summary.statements]
    assert texts[0].startswith("2 of 4 reviews are negative, e.g. ")
    assert any(t.startswith("2 of 4 reviews are positive, e.g. ") for t in texts)


def test_a_failing_model_still_gives_a_cited_extractive_summary(
    merchant, owner, bottle, bottle_reviews, on_commit
):
    def refuse(request):
        raise llm.LLMBadRequestError("prompt too long")

    with use_model(refuse):
        job = run_summary(merchant, bottle, owner, on_commit)

    assert job.status == JobStatus.SUCCEEDED
    assert "llm_bad_request" in job.result["model_error"]
    summary = ReviewSummary.objects.get(job=job)
    assert summary.statements and {s["method"] for s in summary.statements} == {"extractive"}


def test_an_unreachable_model_server_fails_the_job_after_retries_and_writes_nothing(
    merchant, owner, bottle, bottle_reviews, on_commit
):
    def down(request):
        raise llm.LLMUnavailableError("connection refused")

    with use_model(down):
        job = run_summary(merchant, bottle, owner, on_commit)

    assert job.status == JobStatus.FAILED and job.error_code == "transient_error"
    assert not ReviewSummary.objects.filter(job=job).exists()


def test_main_aspects_get_their_own_summaries(merchant, owner, bottle, on_commit):
    from .factories import ReviewAnalysisFactory, mention

    for number in range(3):
        review = ReviewFactory(
            product=bottle, rating=1, title="", body=f"Box {number} arrived crushed and torn."
        )
        analysis = ReviewAnalysisFactory(review=review)
        mention(analysis, "packaging", "negative", "arrived crushed and torn")

    def respond(request):
        cited = "".join(f"[{label}]" for label in labels_of(request))
        return f"- The box arrived crushed and torn {cited}"

    with use_model(respond):
        job = run_summary(merchant, bottle, owner, on_commit)

    assert set(ReviewSummary.objects.filter(job=job).values_list("aspect", flat=True)) == {
        "",
        "packaging",
    }
    packaging = ReviewSummary.objects.get(job=job, aspect="packaging")
    assert packaging.reviews_considered == 3 and len(packaging.statements) == 1
    assert len(packaging.statements[0]["review_ids"]) == 3


def test_one_aspect_can_be_summarised_alone(merchant, owner, bottle, analysed_reviews, on_commit):
    with use_model(lambda request: "nothing useful"):
        job = run_summary(merchant, bottle, owner, on_commit, aspect="shipping")

    summary = ReviewSummary.objects.get(job=job)
    assert summary.aspect == "shipping" and summary.reviews_considered == 1
    assert summary.statements[0]["review_ids"] == [analysed_reviews[1].pk]


def test_chinese_reviews_get_a_chinese_summary(merchant, owner, on_commit):
    product = ProductFactory(merchant=merchant, title="保温杯")
    battery = ReviewFactory(
        product=product, language="zh", rating=1, title="", body="保温效果很差，两小时就凉了。"
    )
    ReviewFactory(product=product, language="zh", rating=5, title="", body="外观漂亮，做工精细。")

    def respond(request):
        assert "用简体中文" in request.chat_messages[0]["content"]
        labels = labels_of(request)
        cold = next(label for label, line in labels.items() if "保温" in line)
        return f"- 保温效果差，两小时就凉 [{cold}]\n- 物美价廉 [R9]"

    with use_model(respond):
        job = run_summary(merchant, product, owner, on_commit)

    summary = ReviewSummary.objects.get(job=job)
    assert summary.language == "zh"
    assert summary.statements == [
        {
            "text": "保温效果差，两小时就凉。",
            "review_ids": [battery.pk],
            "polarity": "negative",
            "method": "model",
            "support": 1.0,
        }
    ]
    assert summary.dropped == 1


def test_the_summary_language_follows_the_merchant_then_the_reviews(merchant):
    product = ProductFactory(merchant=merchant)
    assert summary_language(merchant=merchant, product=product) == "en"
    ReviewFactory(product=product, language="zh", body="很好")
    assert summary_language(merchant=merchant, product=product) == "zh"
    ReviewFactory(product=product, language="en", body="Good")
    assert summary_language(merchant=merchant, product=product) == "en"
    merchant.default_language = "zh-hans"
    assert summary_language(merchant=merchant, product=product) == "zh"
    assert summary_language(merchant=merchant, product=product, language="en") == "en"


def test_evidence_keeps_both_polarities_and_prefers_new_aspects(merchant):
    product = ProductFactory(merchant=merchant)
    now = timezone.now()
    for day in range(20):
        ReviewFactory(
            product=product,
            rating=5,
            title="",
            body=f"Lovely bottle number {day}, keeps drinks cold.",
            created_at=now - dt.timedelta(days=day),
        )
    old_complaint = ReviewFactory(
        product=product,
        rating=1,
        title="",
        body="The paint chipped off after a week.",
        created_at=now - dt.timedelta(days=60),
    )
    pool, _ = summary_pool(merchant=merchant, product=product, language="en")
    chosen = evidence_select(pool, size=6)

    assert len(chosen) == 6
    assert old_complaint.pk in {review.review_id for review in chosen}
    # The newest praise fills the rest, newest first.
    assert [r.polarity for r in chosen].count("positive") == 5


def test_a_redelivered_summary_job_writes_no_second_summary(
    merchant, owner, bottle, bottle_reviews, on_commit
):
    with use_model(grounded_responder):
        job = run_summary(merchant, bottle, owner, on_commit)
        Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, finished_at=None)
        llm_review_summaries.apply(kwargs={"job_id": job.pk, **job.task_kwargs})

    assert ReviewSummary.objects.filter(job=job).count() == 1


def test_a_product_without_reviews_gets_an_empty_summary(merchant, owner, on_commit):
    product = ProductFactory(merchant=merchant)
    with use_model(lambda request: pytest.fail("no model call without reviews")):
        job = run_summary(merchant, product, owner, on_commit)

    summary = ReviewSummary.objects.get(job=job)
    assert summary.statements == [] and summary.reviews_considered == 0
