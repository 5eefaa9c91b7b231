"""What every backend speaks: requests, results, errors and the backend protocol."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Protocol, runtime_checkable

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": "..."}


@dataclass(frozen=True)
class GenerationParams:
    max_new_tokens: int = 256
    temperature: float = 0.7
    top_p: float = 0.95
    stop: tuple[str, ...] = ()
    seed: int | None = None

    def as_json(self) -> dict:
        data = asdict(self)
        data["stop"] = list(self.stop)
        return data


@dataclass(frozen=True)
class GenerationRequest:
    """Either `messages` (chat) or `prompt` (plain completion text), never both."""

    messages: tuple[Message, ...] | None = None
    prompt: str | None = None
    params: GenerationParams = field(default_factory=GenerationParams)

    def __post_init__(self) -> None:
        if (self.messages is None) == (self.prompt is None):
            raise LLMBadRequestError("Give either messages or a prompt.")
        if self.messages is not None:
            for message in self.messages:
                if not isinstance(message, dict) or not {"role", "content"} <= message.keys():
                    raise LLMBadRequestError("Each message needs a role and a content.")
        if self.params.max_new_tokens < 1:
            raise LLMBadRequestError("max_new_tokens must be at least 1.")
        if self.params.temperature < 0 or not 0 < self.params.top_p <= 1:
            raise LLMBadRequestError("temperature must be >= 0 and top_p in (0, 1].")

    @property
    def chat_messages(self) -> list[Message]:
        """The request as chat messages (a plain prompt becomes one user message)."""
        if self.messages is not None:
            return [dict(m) for m in self.messages]
        return [{"role": "user", "content": self.prompt or ""}]

    def prompt_text(self) -> str:
        """A readable rendering for the log: the prompt, or the messages one after another."""
        if self.prompt is not None:
            return self.prompt
        return "\n\n".join(f"[{m['role']}]\n{m['content']}" for m in self.messages or ())

    def prompt_json(self) -> str:
        return json.dumps(self.chat_messages, ensure_ascii=False)


@dataclass
class GenerationResult:
    text: str
    prompt_tokens: int | None
    output_tokens: int | None
    latency_ms: int
    model: str
    backend: str
    finish_reason: str = "stop"  # "stop" (end of text or a stop string) or "length"
    log_id: int | None = None  # the GenerationLog row the door wrote for it

    def tokens_per_second(self) -> float:
        if not self.output_tokens or not self.latency_ms:
            return 0.0
        return self.output_tokens * 1000 / self.latency_ms


class LLMError(Exception):
    """Base of every error the LLM door raises; `code` is stable, the message is for people."""

    code = "llm_error"
    transient = False


class LLMConfigurationError(LLMError):
    """The settings do not describe a usable backend or model (missing file, unknown name)."""

    code = "llm_misconfigured"


class LLMBadRequestError(LLMError):
    """The request itself is wrong (HTTP 400, bad parameters, prompt too long)."""

    code = "llm_bad_request"


class LLMAuthError(LLMError):
    """The server rejected the credentials (HTTP 401/403)."""

    code = "llm_auth_failed"


class LLMUnknownModelError(LLMError):
    """The server does not serve the configured model (HTTP 404 / model_not_found)."""

    code = "llm_unknown_model"


class LLMUnavailableError(LLMError):
    """Transient: the server could not be reached or kept failing (5xx, 429) after retries."""

    code = "llm_unavailable"
    transient = True


class LLMTimeoutError(LLMUnavailableError):
    """Transient: no answer within LLM_TIMEOUT."""

    code = "llm_timeout"


@runtime_checkable
class Backend(Protocol):
    name: str  # "transformers", "openai", "fake"

    @property
    def model_id(self) -> str: ...

    def generate(self, request: GenerationRequest) -> GenerationResult:
        """Generate one completion; raise an LLMError on failure."""
        ...

    def generate_batch(
        self, requests: list[GenerationRequest]
    ) -> list[GenerationResult | LLMError]:
        """Generate for many requests; a failed item is its LLMError, in its place."""
        ...
