"""Any OpenAI-compatible chat server: vLLM, llama.cpp server, Ollama, hosted APIs.

Requests go to `{LLM_BASE_URL}/chat/completions` through `core.http`, the one outbound door. A
plain prompt is sent as one user message. Transient failures (connection errors, timeouts,
429, 5xx) are retried up to LLM_MAX_RETRIES times with exponential backoff (a 429's
Retry-After is honoured up to 30 s); everything else fails at once with a typed error:
401/403 -> LLMAuthError, 404 or `model_not_found` -> LLMUnknownModelError, other 4xx ->
LLMBadRequestError. `generate_batch` sends the requests concurrently, LLM_BATCH_SIZE at a
time (the server does the batching; vLLM and llama.cpp batch concurrent requests themselves).
"""

from __future__ import annotations

import contextlib
import time
from concurrent.futures import ThreadPoolExecutor

from core import http

from .base import (
    GenerationRequest,
    GenerationResult,
    LLMAuthError,
    LLMBadRequestError,
    LLMError,
    LLMTimeoutError,
    LLMUnavailableError,
    LLMUnknownModelError,
)

MAX_RETRY_AFTER = 30.0


def _error_detail(response: http.HttpResponse) -> tuple[str, str]:
    """(code, message) from an OpenAI-style error body, or ("", raw text)."""
    body = response.json()
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict):
            return str(error.get("code") or error.get("type") or ""), str(
                error.get("message") or error
            )
        return "", str(error)
    return "", response.text()


class OpenAIBackend:
    name = "openai"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str = "",
        timeout: float = 60,
        max_retries: int = 2,
        concurrency: int = 8,
        backoff_base: float = 0.5,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._model = model
        self.api_key = api_key
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.concurrency = max(1, concurrency)
        self.backoff_base = backoff_base

    @property
    def model_id(self) -> str:
        return self._model

    def _payload(self, request: GenerationRequest) -> dict:
        params = request.params
        payload = {
            "model": self._model,
            "messages": request.chat_messages,
            "max_tokens": params.max_new_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p,
            "stream": False,
        }
        if params.stop:
            payload["stop"] = list(params.stop)
        if params.seed is not None:
            payload["seed"] = params.seed
        return payload

    def _raise_for(self, response: http.HttpResponse) -> None:
        code, message = _error_detail(response)
        where = f"{self.base_url} answered {response.status}"
        if response.status in (401, 403):
            raise LLMAuthError(f"{where}: the API key was rejected ({message}).")
        if response.status == 404 or code == "model_not_found":
            raise LLMUnknownModelError(
                f"{where}: model {self._model!r} is not served there ({message})."
            )
        raise LLMBadRequestError(f"{where}: {message}")

    def _backoff(self, attempt: int, response: http.HttpResponse | None) -> float:
        delay = self.backoff_base * (2**attempt)
        if response is not None and response.status == 429:
            retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
            with contextlib.suppress(TypeError, ValueError):
                delay = max(delay, min(float(retry_after), MAX_RETRY_AFTER))
        return delay

    def generate(self, request: GenerationRequest) -> GenerationResult:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        url = f"{self.base_url}/chat/completions"
        payload = self._payload(request)
        started = time.monotonic()
        last_error: LLMError | None = None
        for attempt in range(self.max_retries + 1):
            response = None
            try:
                response = http.post_json(url, payload, headers=headers, timeout=self.timeout)
            except http.HttpTimeout as error:
                last_error = LLMTimeoutError(f"{url}: no answer within {self.timeout} s.")
                last_error.__cause__ = error
            except http.HttpError as error:
                last_error = LLMUnavailableError(f"{url} could not be reached: {error}")
                last_error.__cause__ = error
            else:
                if response.ok:
                    return self._result(response, started)
                if response.status == 429 or response.status >= 500:
                    _, message = _error_detail(response)
                    last_error = LLMUnavailableError(f"{url} answered {response.status}: {message}")
                else:
                    self._raise_for(response)
            if attempt < self.max_retries:
                time.sleep(self._backoff(attempt, response))
        assert last_error is not None
        if self.max_retries:
            last_error.args = (f"{last_error.args[0]} (after {self.max_retries + 1} attempts)",)
        raise last_error

    def _result(self, response: http.HttpResponse, started: float) -> GenerationResult:
        body = response.json()
        try:
            choice = body["choices"][0]
            text = choice["message"]["content"] or ""
        except (TypeError, KeyError, IndexError) as error:
            raise LLMBadRequestError(
                f"{self.base_url} answered without a completion: {response.text()}"
            ) from error
        usage = body.get("usage") or {}
        return GenerationResult(
            text=text,
            prompt_tokens=usage.get("prompt_tokens"),
            output_tokens=usage.get("completion_tokens"),
            latency_ms=round((time.monotonic() - started) * 1000),
            model=str(body.get("model") or self._model),
            backend=self.name,
            finish_reason="length" if choice.get("finish_reason") == "length" else "stop",
        )

    def _generate_or_error(self, request: GenerationRequest) -> GenerationResult | LLMError:
        try:
            return self.generate(request)
        except LLMError as error:
            return error

    def generate_batch(
        self, requests: list[GenerationRequest]
    ) -> list[GenerationResult | LLMError]:
        if len(requests) <= 1 or self.concurrency == 1:
            return [self._generate_or_error(request) for request in requests]
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(requests))) as pool:
            return list(pool.map(self._generate_or_error, requests))
