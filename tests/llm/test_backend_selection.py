"""Settings choose the backend; the process keeps one instance of it."""

import pytest

from core import llm
from core.llm.openai_backend import OpenAIBackend
from core.llm.transformers_backend import TransformersBackend, resolve_source


def test_the_test_settings_use_the_fake_backend():
    assert isinstance(llm.get_backend(), llm.FakeBackend)


def test_the_process_keeps_one_backend_instance(settings):
    settings.LLM_BACKEND = "fake"

    assert llm.get_backend() is llm.get_backend()


def test_openai_settings_build_an_openai_backend(settings):
    settings.LLM_BACKEND = "openai"
    settings.LLM_MODEL = "qwen2.5-7b-instruct"
    settings.LLM_BASE_URL = "http://llm.internal:8000/v1/"
    settings.LLM_API_KEY = "sk-test"
    settings.LLM_TIMEOUT = 5
    settings.LLM_MAX_RETRIES = 4

    backend = llm.get_backend()

    assert isinstance(backend, OpenAIBackend)
    assert backend.model_id == "qwen2.5-7b-instruct"
    assert backend.base_url == "http://llm.internal:8000/v1"
    assert (backend.api_key, backend.timeout, backend.max_retries) == ("sk-test", 5, 4)


def test_the_openai_backend_needs_a_model_name(settings):
    settings.LLM_BACKEND = "openai"
    settings.LLM_MODEL = ""

    with pytest.raises(llm.LLMConfigurationError, match="LLM_MODEL"):
        llm.get_backend()


def test_transformers_settings_build_a_lazy_transformers_backend(settings, tmp_path):
    gguf = tmp_path / "tiny.Q4_0.gguf"
    gguf.write_bytes(b"GGUF")
    settings.LLM_BACKEND = "transformers"
    settings.LLM_MODEL = str(gguf)
    settings.LLM_CACHE_DIR = tmp_path / "cache"
    settings.LLM_THREADS = 2

    backend = llm.get_backend()

    assert isinstance(backend, TransformersBackend)
    assert backend.model_id == "tiny.Q4_0"
    assert backend.threads == 2
    assert backend.loaded_from is None  # nothing is loaded until the first generation


def test_an_unknown_backend_name_is_a_configuration_error(settings):
    settings.LLM_BACKEND = "gpt-magic"

    with pytest.raises(llm.LLMConfigurationError, match="gpt-magic"):
        llm.get_backend()


@pytest.mark.django_db
def test_a_configuration_error_is_logged_and_raised(settings):
    from core.models import GenerationLog

    settings.LLM_BACKEND = "gpt-magic"

    with pytest.raises(llm.LLMConfigurationError):
        llm.generate("x", purpose="t")

    log = GenerationLog.objects.get()
    assert (log.backend, log.status, log.error_code) == ("gpt-magic", "error", "llm_misconfigured")


def test_a_directory_with_one_gguf_file_resolves_to_that_file(tmp_path):
    (tmp_path / "model.Q8_0.gguf").write_bytes(b"GGUF")

    source = resolve_source(str(tmp_path))

    assert (source.location, source.gguf_file) == (str(tmp_path), "model.Q8_0.gguf")


def test_a_directory_with_several_gguf_files_needs_llm_gguf_file(tmp_path):
    (tmp_path / "a.gguf").write_bytes(b"GGUF")
    (tmp_path / "b.gguf").write_bytes(b"GGUF")

    with pytest.raises(llm.LLMConfigurationError, match="LLM_GGUF_FILE"):
        resolve_source(str(tmp_path))
    assert resolve_source(str(tmp_path), "b.gguf").gguf_file == "b.gguf"


def test_a_missing_local_path_is_a_configuration_error(tmp_path):
    with pytest.raises(llm.LLMConfigurationError, match="does not exist"):
        resolve_source(str(tmp_path / "nowhere"))


def test_a_hub_id_is_passed_through_as_is():
    source = resolve_source("HuggingFaceTB/SmolLM2-360M-Instruct")

    assert (source.location, source.gguf_file) == ("HuggingFaceTB/SmolLM2-360M-Instruct", None)
