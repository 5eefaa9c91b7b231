"""The door itself: pick the backend from settings once per process, generate, record.

Features call `generate` / `generate_batch` and nothing else; tests swap the backend in one
place with `use_backend(FakeBackend(...))`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from .base import (
    Backend,
    GenerationParams,
    GenerationRequest,
    GenerationResult,
    LLMConfigurationError,
    LLMError,
    Message,
)
from .records import generation_log_create

BACKENDS = ("transformers", "openai", "fake")

_backend: Backend | None = None
_backend_lock = threading.Lock()


def backend_from_settings() -> Backend:
    """A new backend as the LLM_* settings describe it (the model itself loads lazily)."""
    name = (settings.LLM_BACKEND or "transformers").strip().lower()
    if name == "transformers":
        from .transformers_backend import TransformersBackend

        return TransformersBackend(
            model=settings.LLM_MODEL,
            gguf_file=settings.LLM_GGUF_FILE,
            cache_dir=settings.LLM_CACHE_DIR,
            device=settings.LLM_DEVICE,
            threads=settings.LLM_THREADS,
            batch_size=settings.LLM_BATCH_SIZE,
        )
    if name == "openai":
        from .openai_backend import OpenAIBackend

        if not settings.LLM_MODEL:
            raise LLMConfigurationError("LLM_BACKEND=openai needs LLM_MODEL (the served model).")
        return OpenAIBackend(
            base_url=settings.LLM_BASE_URL,
            model=settings.LLM_MODEL,
            api_key=settings.LLM_API_KEY,
            timeout=settings.LLM_TIMEOUT,
            max_retries=settings.LLM_MAX_RETRIES,
            concurrency=settings.LLM_BATCH_SIZE,
        )
    if name == "fake":
        from .fake import FakeBackend

        return FakeBackend(model=settings.LLM_MODEL)
    raise LLMConfigurationError(
        f"LLM_BACKEND={settings.LLM_BACKEND!r} is not one of {', '.join(BACKENDS)}."
    )


def get_backend() -> Backend:
    """This process's backend, built on first use (one model in memory per worker)."""
    global _backend
    if _backend is None:
        with _backend_lock:
            if _backend is None:
                _backend = backend_from_settings()
    return _backend


def reset_backend() -> None:
    """Forget the process's backend; the next call builds it again from settings."""
    global _backend
    with _backend_lock:
        _backend = None


@receiver(setting_changed)
def _reset_on_llm_setting_change(*, setting: str, **kwargs) -> None:
    if setting.startswith("LLM_"):
        reset_backend()


@contextmanager
def use_backend(backend: Backend) -> Iterator[Backend]:
    """Route every call through `backend` for the duration (tests, benchmarks)."""
    global _backend
    with _backend_lock:
        previous, _backend = _backend, backend
    try:
        yield backend
    finally:
        with _backend_lock:
            _backend = previous


def _request(prompt: str | Sequence[Message], params: GenerationParams) -> GenerationRequest:
    if isinstance(prompt, str):
        return GenerationRequest(prompt=prompt, params=params)
    return GenerationRequest(messages=tuple(dict(m) for m in prompt), params=params)


def _params(max_new_tokens, temperature, top_p, stop, seed) -> GenerationParams:
    if isinstance(stop, str):
        stop = [stop]
    return GenerationParams(
        max_new_tokens=max_new_tokens,
        temperature=temperature,
        top_p=top_p,
        stop=tuple(stop or ()),
        seed=seed,
    )


def generate(
    prompt: str | Sequence[Message],
    *,
    purpose: str,
    prompt_version: str = "",
    merchant=None,
    max_new_tokens: int = 256,
    temperature: float = 0.7,
    top_p: float = 0.95,
    stop: str | Sequence[str] | None = None,
    seed: int | None = None,
    job_id: int | None = None,
) -> GenerationResult:
    """Generate one completion and record it in GenerationLog.

    `prompt` is plain text (completion) or a list of {"role", "content"} messages (chat; the
    model's chat template is applied). `temperature=0` means greedy decoding. Raises an
    LLMError subclass on failure, after recording it. `job_id` links the GenerationLog row to
    the `jobs.Job` the call was made for; `result.log_id` is the row's id.
    """
    request = _request(prompt, _params(max_new_tokens, temperature, top_p, stop, seed))
    return _generate_recorded(
        [request],
        merchant=merchant,
        purpose=purpose,
        prompt_version=prompt_version,
        job_id=job_id,
    )[0]


def generate_batch(
    prompts: Sequence[str | Sequence[Message]],
    *,
    purpose: str,
    prompt_version: str = "",
    merchant=None,
    max_new_tokens: int = 256,
    temperature: float = 0.7,
    top_p: float = 0.95,
    stop: str | Sequence[str] | None = None,
    seed: int | None = None,
    return_exceptions: bool = False,
    job_id: int | None = None,
) -> list[GenerationResult] | list[GenerationResult | LLMError]:
    """Generate for many prompts at once, in order, one GenerationLog row each.

    On the transformers backend this is real batching (left-padded prompts, one forward pass
    per token for LLM_BATCH_SIZE prompts at a time); on openai, concurrent requests. With
    `return_exceptions=True` a failed item is its LLMError in the list and the others still
    count; otherwise the first failure is raised once every row is recorded. `job_id` as in
    `generate`.
    """
    params = _params(max_new_tokens, temperature, top_p, stop, seed)
    requests = [_request(prompt, params) for prompt in prompts]
    return _generate_recorded(
        requests,
        merchant=merchant,
        purpose=purpose,
        prompt_version=prompt_version,
        return_exceptions=return_exceptions,
        job_id=job_id,
    )


def generate_requests(
    requests: Sequence[GenerationRequest],
    *,
    purpose: str,
    prompt_version: str = "",
    merchant=None,
    return_exceptions: bool = False,
    job_id: int | None = None,
) -> list[GenerationResult] | list[GenerationResult | LLMError]:
    """`generate_batch` for requests that do not all share one set of parameters (build them
    with `request`), e.g. a greedy candidate and its samples: the transformers backend runs a
    prompt's greedy and sampled rows in one batch and one prompt pass. One GenerationLog row
    per request, with that request's own parameters."""
    return _generate_recorded(
        list(requests),
        merchant=merchant,
        purpose=purpose,
        prompt_version=prompt_version,
        return_exceptions=return_exceptions,
        job_id=job_id,
    )


def request(
    prompt: str | Sequence[Message],
    *,
    max_new_tokens: int = 256,
    temperature: float = 0.7,
    top_p: float = 0.95,
    stop: str | Sequence[str] | None = None,
    seed: int | None = None,
) -> GenerationRequest:
    """One request for `generate_requests`, with the same defaults as `generate`."""
    return _request(prompt, _params(max_new_tokens, temperature, top_p, stop, seed))


def _generate_recorded(
    requests: list[GenerationRequest],
    *,
    merchant,
    purpose: str,
    prompt_version: str,
    return_exceptions: bool = False,
    job_id: int | None = None,
) -> list:
    if not purpose:
        raise ValueError("purpose is required: it says what a GenerationLog row was for.")
    backend_name, model_name = (
        getattr(settings, "LLM_BACKEND", ""),
        getattr(settings, "LLM_MODEL", ""),
    )
    started = time.monotonic()
    try:
        backend = get_backend()
        backend_name, model_name = backend.name, backend.model_id
        if len(requests) == 1:
            outcomes: list = [backend.generate(requests[0])]
        else:
            outcomes = backend.generate_batch(requests)
    except Exception as error:
        # A failure of the whole call (bad settings, model that will not load, one request
        # that failed): every request gets its row, then the original error goes on.
        elapsed = round((time.monotonic() - started) * 1000)
        for request in requests:
            generation_log_create(
                request=request,
                outcome=error,
                backend=backend_name,
                model=model_name,
                merchant=merchant,
                purpose=purpose,
                prompt_version=prompt_version,
                latency_ms=elapsed,
                job_id=job_id,
            )
        raise
    elapsed = round((time.monotonic() - started) * 1000)
    for request, outcome in zip(requests, outcomes, strict=True):
        log = generation_log_create(
            request=request,
            outcome=outcome,
            backend=backend_name,
            model=model_name,
            merchant=merchant,
            purpose=purpose,
            prompt_version=prompt_version,
            latency_ms=elapsed,
            job_id=job_id,
        )
        if log is not None and isinstance(outcome, GenerationResult):
            outcome.log_id = log.pk
    if not return_exceptions:
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
    return outcomes
