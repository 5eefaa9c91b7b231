"""A deterministic backend for tests: the same request always gives the same text.

The default reply names the request ("Fake reply <hash>:") then echoes the words of the last
user message, cut at `max_new_tokens` words; tokens are counted as whitespace-separated words.
Tests that need a particular text pass `responder`, a function of the request returning the
text or raising an LLMError.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from .base import GenerationRequest, GenerationResult, LLMError

Responder = Callable[[GenerationRequest], str]


def echo_responder(request: GenerationRequest) -> str:
    messages = request.chat_messages
    last_user = next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")
    digest = hashlib.sha256(request.prompt_json().encode("utf-8")).hexdigest()[:8]
    return f"Fake reply {digest}: {last_user}"


class FakeBackend:
    name = "fake"

    def __init__(self, *, model: str = "", responder: Responder | None = None) -> None:
        self._model = model or "fake-echo"
        self.responder = responder or echo_responder
        self.calls: list[GenerationRequest] = []

    @property
    def model_id(self) -> str:
        return self._model

    def generate(self, request: GenerationRequest) -> GenerationResult:
        self.calls.append(request)
        words = self.responder(request).split()
        finish = "length" if len(words) > request.params.max_new_tokens else "stop"
        text = " ".join(words[: request.params.max_new_tokens])
        for stop in request.params.stop:
            if stop and stop in text:
                text, finish = text.split(stop, 1)[0], "stop"
        return GenerationResult(
            text=text,
            prompt_tokens=len(request.prompt_text().split()),
            output_tokens=len(text.split()),
            latency_ms=0,
            model=self._model,
            backend=self.name,
            finish_reason=finish,
        )

    def generate_batch(
        self, requests: list[GenerationRequest]
    ) -> list[GenerationResult | LLMError]:
        results: list[GenerationResult | LLMError] = []
        for request in requests:
            try:
                results.append(self.generate(request))
            except LLMError as error:
                results.append(error)
        return results
