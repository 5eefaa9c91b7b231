"""The OpenAI-compatible backend against a fake server on 127.0.0.1 (never the network)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core import llm
from core.llm.openai_backend import OpenAIBackend
from core.models import GenerationLog

COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "model": "served-model",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "A sturdy steel bottle."},
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 12, "completion_tokens": 5, "total_tokens": 17},
}


def echo(request_body):
    body = json.loads(json.dumps(COMPLETION))
    body["choices"][0]["message"]["content"] = "echo: " + request_body["messages"][-1]["content"]
    return body


class FakeOpenAIServer:
    """Answers POST /v1/chat/completions with the next scripted reply: (status, body[, delay])."""

    def __init__(self):
        self.replies = []
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                server.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
                )
                if server.replies:
                    status, payload, *delay = server.replies.pop(0)
                else:  # unscripted: echo the last message, whatever order requests come in
                    status, payload, delay = 200, echo(json.loads(body)), []
                if delay:
                    time.sleep(delay[0])
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.httpd.server_port}/v1"

    def backend(self, **kwargs):
        options = {"model": "served-model", "timeout": 2, "max_retries": 2, "backoff_base": 0.01}
        options.update(kwargs)
        return OpenAIBackend(base_url=self.base_url, **options)


@pytest.fixture
def server():
    fake = FakeOpenAIServer()
    fake.thread.start()
    yield fake
    fake.httpd.shutdown()
    fake.httpd.server_close()


def chat(text="Describe a bottle", **params):
    return llm.GenerationRequest(
        messages=({"role": "user", "content": text},), params=llm.GenerationParams(**params)
    )


def test_a_completion_returns_text_token_counts_and_the_served_model(server):
    server.replies.append((200, COMPLETION))

    result = server.backend(api_key="sk-local").generate(
        chat(max_new_tokens=40, temperature=0.2, stop=("\n",), seed=3)
    )

    assert result.text == "A sturdy steel bottle."
    assert (result.prompt_tokens, result.output_tokens) == (12, 5)
    assert result.model == "served-model"
    sent = server.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["headers"]["Authorization"] == "Bearer sk-local"
    assert sent["json"]["messages"] == [{"role": "user", "content": "Describe a bottle"}]
    assert sent["json"]["max_tokens"] == 40
    assert (sent["json"]["stop"], sent["json"]["seed"]) == (["\n"], 3)


def test_no_api_key_sends_no_authorization_header(server):
    server.replies.append((200, COMPLETION))

    server.backend(api_key="").generate(chat())

    assert "Authorization" not in server.requests[0]["headers"]


def test_a_503_is_retried_and_the_next_success_is_returned(server):
    server.replies += [(503, {"error": {"message": "loading model"}}), (200, COMPLETION)]

    result = server.backend().generate(chat())

    assert result.text == "A sturdy steel bottle."
    assert len(server.requests) == 2


def test_a_429_is_retried_like_any_transient_error(server):
    server.replies += [(429, {"error": {"message": "slow down"}}), (200, COMPLETION)]

    assert server.backend().generate(chat()).text == "A sturdy steel bottle."
    assert len(server.requests) == 2


def test_transient_errors_that_persist_give_up_after_the_retries(server):
    server.replies += [(500, {"error": {"message": "boom"}})] * 3

    with pytest.raises(llm.LLMUnavailableError, match="after 3 attempts") as caught:
        server.backend(max_retries=2).generate(chat())

    assert caught.value.transient
    assert len(server.requests) == 3


def test_a_400_is_not_retried_and_is_a_bad_request_error(server):
    server.replies += [(400, {"error": {"message": "max_tokens is too large"}}), (200, COMPLETION)]

    with pytest.raises(llm.LLMBadRequestError, match="max_tokens is too large") as caught:
        server.backend().generate(chat())

    assert not caught.value.transient
    assert len(server.requests) == 1


def test_a_401_is_an_authentication_error(server):
    server.replies.append((401, {"error": {"message": "Incorrect API key provided"}}))

    with pytest.raises(llm.LLMAuthError, match="Incorrect API key"):
        server.backend(api_key="wrong").generate(chat())
    assert len(server.requests) == 1


def test_a_404_for_the_model_is_an_unknown_model_error(server):
    server.replies.append(
        (404, {"error": {"message": "The model `nope` does not exist.", "code": "model_not_found"}})
    )

    with pytest.raises(llm.LLMUnknownModelError, match="'nope'"):
        server.backend(model="nope").generate(chat())


def test_model_not_found_in_a_400_body_is_also_an_unknown_model_error(server):
    server.replies.append((400, {"error": {"message": "no such model", "code": "model_not_found"}}))

    with pytest.raises(llm.LLMUnknownModelError):
        server.backend(model="nope").generate(chat())


def test_a_server_that_does_not_answer_in_time_is_a_timeout_error(server):
    server.replies += [(200, COMPLETION, 1.0), (200, COMPLETION, 1.0)]

    started = time.monotonic()
    with pytest.raises(llm.LLMTimeoutError):
        server.backend(timeout=0.2, max_retries=1).generate(chat())

    assert time.monotonic() - started < 1.5
    assert len(server.requests) == 2


def test_an_unreachable_server_is_unavailable_not_a_crash():
    backend = OpenAIBackend(base_url="http://127.0.0.1:9/v1", model="m", timeout=1, max_retries=0)

    with pytest.raises(llm.LLMUnavailableError, match="could not be reached"):
        backend.generate(chat())


def test_a_batch_sends_one_request_per_prompt_and_keeps_the_order(server):
    def reply(text):
        body = json.loads(json.dumps(COMPLETION))
        body["choices"][0]["message"]["content"] = text
        return (200, body)

    # Concurrent requests may reach the server in any order; each reply names nothing, so
    # serialise them to check that results come back in the prompts' order.
    server.replies += [reply("one"), reply("two"), reply("three")]
    results = server.backend(concurrency=1).generate_batch([chat("a"), chat("b"), chat("c")])

    assert [r.text for r in results] == ["one", "two", "three"]
    assert [r["json"]["messages"][0]["content"] for r in server.requests] == ["a", "b", "c"]


@pytest.mark.django_db
def test_through_the_door_errors_from_the_server_are_logged_with_their_code(server, merchant):
    server.replies.append((401, {"error": {"message": "Incorrect API key provided"}}))

    with llm.use_backend(server.backend()), pytest.raises(llm.LLMAuthError):
        llm.generate("x", merchant=merchant, purpose="description", prompt_version="v1")

    log = GenerationLog.objects.get()
    assert (log.backend, log.model, log.status) == ("openai", "served-model", "error")
    assert log.error_code == "llm_auth_failed"
    assert "Incorrect API key" in log.error


def test_a_batch_runs_concurrently_and_returns_results_in_the_prompts_order(server):
    prompts = [chat(f"prompt {i}") for i in range(6)]

    results = server.backend(concurrency=3).generate_batch(prompts)

    assert [r.text for r in results] == [f"echo: prompt {i}" for i in range(6)]
    assert len(server.requests) == 6


def test_a_failed_item_in_a_batch_is_its_error_in_place(server):
    server.replies.append((400, {"error": {"message": "bad"}}))

    results = server.backend(concurrency=1).generate_batch([chat("a"), chat("b")])

    assert isinstance(results[0], llm.LLMBadRequestError)
    assert results[1].text == "echo: b"
