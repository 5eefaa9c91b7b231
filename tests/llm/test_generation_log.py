"""Every call through the door leaves a GenerationLog row, successful or not."""

import pytest

from core import llm
from core.llm.records import generation_log_list
from core.models import GenerationLog

pytestmark = pytest.mark.django_db


def test_a_generation_returns_text_token_counts_and_model(fake_backend):
    result = llm.generate(
        "Describe a steel bottle", purpose="test", max_new_tokens=50, temperature=0
    )

    assert result.text.startswith("Fake reply ")
    assert result.text.endswith("Describe a steel bottle")
    assert result.prompt_tokens == 4
    assert result.output_tokens == len(result.text.split())
    assert result.model == "fake-echo"
    assert result.backend == "fake"


def test_the_fake_backend_is_deterministic_and_respects_max_new_tokens(fake_backend):
    first = llm.generate("one two three four five", purpose="test", max_new_tokens=3)
    second = llm.generate("one two three four five", purpose="test", max_new_tokens=3)

    assert first.text == second.text
    assert first.output_tokens == 3
    assert first.finish_reason == "length"


def test_each_call_leaves_one_row_with_everything_needed_to_reproduce_it(fake_backend, merchant):
    messages = [
        {"role": "system", "content": "You write product copy."},
        {"role": "user", "content": "Describe a wool scarf."},
    ]
    result = llm.generate(
        messages,
        merchant=merchant,
        purpose="description",
        prompt_version="description-v1",
        max_new_tokens=40,
        temperature=0.3,
        top_p=0.9,
        stop=["\n\n"],
        seed=7,
    )

    log = GenerationLog.objects.get()
    assert log.merchant == merchant
    assert (log.backend, log.model, log.status) == ("fake", "fake-echo", "ok")
    assert (log.purpose, log.prompt_version) == ("description", "description-v1")
    assert log.parameters == {
        "max_new_tokens": 40,
        "temperature": 0.3,
        "top_p": 0.9,
        "stop": ["\n\n"],
        "seed": 7,
    }
    assert "[system]\nYou write product copy." in log.prompt
    assert "[user]\nDescribe a wool scarf." in log.prompt
    assert log.output == result.text
    assert (log.prompt_tokens, log.output_tokens) == (result.prompt_tokens, result.output_tokens)
    assert log.error == ""


def test_a_batch_returns_results_in_order_and_logs_each_prompt(fake_backend, merchant):
    results = llm.generate_batch(
        ["first prompt", "second prompt", "third prompt"], merchant=merchant, purpose="bulk"
    )

    assert [r.text.split(": ", 1)[1] for r in results] == [
        "first prompt",
        "second prompt",
        "third prompt",
    ]
    assert GenerationLog.objects.filter(merchant=merchant, purpose="bulk").count() == 3


def test_a_failed_call_raises_the_original_error_and_leaves_an_error_row(merchant):
    def refuse(request):
        raise llm.LLMBadRequestError("prompt too long for this model")

    with (
        llm.use_backend(llm.FakeBackend(responder=refuse)),
        pytest.raises(llm.LLMBadRequestError, match="prompt too long"),
    ):
        llm.generate("x", merchant=merchant, purpose="description", prompt_version="v2")

    log = GenerationLog.objects.get()
    assert log.status == GenerationLog.Status.ERROR
    assert log.error_code == "llm_bad_request"
    assert "prompt too long for this model" in log.error
    assert (log.prompt, log.output, log.prompt_version) == ("x", "", "v2")


def test_a_batch_with_return_exceptions_keeps_the_good_items_and_logs_the_failed_one(merchant):
    def picky(request):
        if "bad" in request.prompt:
            raise llm.LLMBadRequestError("refused")
        return "fine"

    with llm.use_backend(llm.FakeBackend(responder=picky)):
        results = llm.generate_batch(
            ["good one", "bad one", "good two"],
            merchant=merchant,
            purpose="bulk",
            return_exceptions=True,
        )

    assert [getattr(r, "text", None) for r in results] == ["fine", None, "fine"]
    assert isinstance(results[1], llm.LLMBadRequestError)
    statuses = GenerationLog.objects.order_by("id").values_list("prompt", "status")
    assert list(statuses) == [("good one", "ok"), ("bad one", "error"), ("good two", "ok")]


def test_a_batch_without_return_exceptions_raises_after_logging_every_item(merchant):
    def picky(request):
        if "bad" in request.prompt:
            raise llm.LLMBadRequestError("refused")
        return "fine"

    with llm.use_backend(llm.FakeBackend(responder=picky)), pytest.raises(llm.LLMBadRequestError):
        llm.generate_batch(["good", "bad"], merchant=merchant, purpose="bulk")

    assert GenerationLog.objects.count() == 2


def test_a_failure_to_write_the_log_does_not_hide_the_generation_error(merchant, monkeypatch):
    def refuse(request):
        raise llm.LLMAuthError("key rejected")

    def broken_create(**fields):
        raise RuntimeError("database is gone")

    monkeypatch.setattr(GenerationLog.objects, "create", broken_create)
    with (
        llm.use_backend(llm.FakeBackend(responder=refuse)),
        pytest.raises(llm.LLMAuthError, match="key rejected"),
    ):
        llm.generate("x", merchant=merchant, purpose="description")


def test_a_failure_to_write_the_log_does_not_lose_a_successful_result(
    fake_backend, merchant, monkeypatch
):
    def broken_create(**fields):
        raise RuntimeError("database is gone")

    monkeypatch.setattr(GenerationLog.objects, "create", broken_create)

    assert llm.generate("hello", merchant=merchant, purpose="t").text.endswith("hello")


def test_a_merchant_sees_only_its_own_generation_logs(fake_backend, merchant, other_merchant):
    llm.generate("for alpha", merchant=merchant, purpose="description")
    llm.generate("for beta", merchant=other_merchant, purpose="description")
    llm.generate("for nobody", purpose="healthcheck")

    assert [log.prompt for log in generation_log_list(merchant=merchant)] == ["for alpha"]
    assert [log.prompt for log in generation_log_list(merchant=other_merchant)] == ["for beta"]


def test_a_call_without_a_purpose_is_refused_before_reaching_the_model(fake_backend):
    with pytest.raises(ValueError, match="purpose"):
        llm.generate("x", purpose="")

    assert fake_backend.calls == []


def test_invalid_parameters_are_a_bad_request_error(fake_backend):
    with pytest.raises(llm.LLMBadRequestError):
        llm.generate("x", purpose="t", max_new_tokens=0)
    with pytest.raises(llm.LLMBadRequestError):
        llm.generate("x", purpose="t", top_p=0)
