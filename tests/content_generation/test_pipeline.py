"""candidates_generate: every prompt through the LLM door, ranked candidates per product."""

import pytest

from core import llm
from core.models import GenerationLog
from jobs.models import Job, JobKind
from products.content.generation import PROMPT_VERSIONS, candidates_generate, facts_build
from products.content.generation.candidates import Candidate

pytestmark = pytest.mark.django_db

GOOD = "This 750 ml bottle is made of 18/8 stainless steel and carries a 2-year warranty."
BAD = "The best bottle in the world: 1 L, titanium, FDA approved, lifetime warranty."


def responder_by_temperature(request):
    """Greedy writes the ungrounded text, samples the grounded one: ranking must notice."""
    return BAD if request.params.temperature == 0 else GOOD


@pytest.fixture
def products():
    return [
        facts_build(
            sku=f"B-{n}",
            title=f"Bottle {n}",
            category="Drinkware",
            attributes={
                "capacity": "750 ml",
                "material": "18/8 stainless steel",
                "warranty": "2 years",
            },
        )
        for n in range(3)
    ]


def test_every_product_gets_n_candidates_ranked_best_first(merchant, products):
    with llm.use_backend(llm.FakeBackend(responder=responder_by_temperature)) as backend:
        results = candidates_generate(
            merchant=merchant,
            items=[(facts, []) for facts in products],
            kind="description",
            language="en",
            n=3,
        )

    assert len(backend.calls) == 9  # 3 products x 3 candidates
    assert [len(result) for result in results] == [3, 3, 3]
    for ranked in results:
        assert all(isinstance(candidate, Candidate) for candidate in ranked)
        assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)
        best = ranked[0]
        assert best.raw_text == GOOD
        assert best.unsupported_count == 0
        assert best.coverage == 1.0
        assert best.prompt_version == PROMPT_VERSIONS[("description", "en")]


def test_each_candidate_points_at_its_generation_log_row_linked_to_the_job(merchant, products):
    job = Job.objects.create(
        merchant=merchant, kind=JobKind.CONTENT_BULK, title="Bulk", task_name="x"
    )

    with llm.use_backend(llm.FakeBackend(responder=lambda request: GOOD)):
        results = candidates_generate(
            merchant=merchant,
            items=[(facts, []) for facts in products],
            kind="description",
            language="en",
            n=2,
            job_id=job.pk,
        )

    logs = GenerationLog.objects.filter(job=job)
    assert logs.count() == 6
    assert {log.purpose for log in logs} == {"content_description"}
    assert {log.merchant_id for log in logs} == {merchant.pk}
    ids = {candidate.generation_log_id for ranked in results for candidate in ranked}
    assert ids == set(logs.values_list("pk", flat=True))


def test_a_failing_product_does_not_stop_the_others(merchant, products):
    def responder(request):
        if "Bottle 1" in request.prompt_json():
            raise llm.LLMBadRequestError("prompt too long")
        return GOOD

    with llm.use_backend(llm.FakeBackend(responder=responder)):
        results = candidates_generate(
            merchant=merchant,
            items=[(facts, []) for facts in products],
            kind="description",
            language="en",
            n=2,
        )

    assert isinstance(results[1], llm.LLMBadRequestError)
    assert isinstance(results[0], list) and isinstance(results[2], list)
    assert GenerationLog.objects.filter(status=GenerationLog.Status.ERROR).count() == 2


def test_a_backend_that_fails_as_a_whole_raises_its_error(merchant, products, settings):
    settings.LLM_BACKEND = "nonsense"

    with pytest.raises(llm.LLMConfigurationError):
        candidates_generate(
            merchant=merchant, items=[(products[0], [])], kind="description", language="en"
        )


def test_style_examples_reach_the_prompt_as_data(merchant, products):
    with llm.use_backend(llm.FakeBackend(responder=lambda request: GOOD)) as backend:
        candidates_generate(
            merchant=merchant,
            items=[(products[0], ["Our bottles go where you go.", "Built for long trails."])],
            kind="description",
            language="en",
            n=1,
        )

    user = backend.calls[0].chat_messages[-1]["content"]
    examples = user.split("<style_examples>")[1].split("</style_examples>")[0]
    assert "Our bottles go where you go." in examples
    assert "Built for long trails." in examples


def test_every_kind_and_language_has_a_prompt_and_generates(merchant, products):
    with llm.use_backend(llm.FakeBackend(responder=lambda request: GOOD)):
        for kind, language in PROMPT_VERSIONS:
            [ranked] = candidates_generate(
                merchant=merchant,
                items=[(products[0], [])],
                kind=kind,
                language=language,
                channel="google_description",
                n=1,
            )
            assert ranked[0].text, (kind, language)
            assert ranked[0].unsupported_count == 0, (kind, language)


def test_an_unknown_kind_is_a_value_error(merchant, products):
    with pytest.raises(ValueError):
        candidates_generate(
            merchant=merchant, items=[(products[0], [])], kind="poem", language="en"
        )
