"""The one door to language models. Every feature generates text through here.

    from core import llm

    result = llm.generate(
        [{"role": "system", "content": "You write product copy."},
         {"role": "user", "content": "Describe: steel water bottle, 750 ml."}],
        merchant=merchant, purpose="description", prompt_version="description-v1",
        max_new_tokens=120, temperature=0.7, seed=7,
    )
    result.text, result.prompt_tokens, result.output_tokens, result.latency_ms, result.model

    results = llm.generate_batch([...prompts...], merchant=merchant, purpose="description",
                                 prompt_version="description-v1", return_exceptions=True)

Each call leaves one `core.models.GenerationLog` row per prompt (error rows keep the error).
The backend comes from settings (`LLM_BACKEND` = transformers | openai | fake, see
`.env.example`) and is built once per process. Errors are `LLMError` subclasses with a stable
`code`; `LLMError.transient` says whether retrying later may help (Celery tasks retry only
those). Tests swap the backend with `llm.use_backend(llm.FakeBackend(responder=...))`.
"""

from .base import (
    Backend,
    GenerationParams,
    GenerationRequest,
    GenerationResult,
    LLMAuthError,
    LLMBadRequestError,
    LLMConfigurationError,
    LLMError,
    LLMTimeoutError,
    LLMUnavailableError,
    LLMUnknownModelError,
    Message,
)
from .client import (
    backend_from_settings,
    generate,
    generate_batch,
    get_backend,
    reset_backend,
    use_backend,
)
from .fake import FakeBackend

__all__ = [
    "Backend",
    "FakeBackend",
    "GenerationParams",
    "GenerationRequest",
    "GenerationResult",
    "LLMAuthError",
    "LLMBadRequestError",
    "LLMConfigurationError",
    "LLMError",
    "LLMTimeoutError",
    "LLMUnavailableError",
    "LLMUnknownModelError",
    "Message",
    "backend_from_settings",
    "generate",
    "generate_batch",
    "get_backend",
    "reset_backend",
    "use_backend",
]
