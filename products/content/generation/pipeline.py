"""Candidates for many products at once: prompts, batched generation, post-edit, ranking."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core.llm.client import generate_requests, request

from .candidates import Candidate, candidate_from_output
from .facts import ProductFacts
from .grounding import Evidence
from .prompts import kind_spec, messages_build, prompt_version

logger = logging.getLogger(__name__)

# The first candidate of each product is greedy (the model's most likely text); the others
# are low-temperature samples, so the selection has real alternatives to choose from.
SAMPLE_TEMPERATURE = 0.6
SAMPLE_TOP_P = 0.9
SAMPLE_SEED = 20240611


@dataclass
class _Item:
    facts: ProductFacts
    messages: list
    evidence: Evidence


def candidates_generate(
    *,
    merchant,
    items: list[tuple[ProductFacts, list[str]]],
    kind: str,
    language: str,
    channel: str = "",
    n: int = 3,
    job_id: int | None = None,
) -> list[list[Candidate] | Exception]:
    """Write `n` candidates per product and return them ranked, best first.

    `items` are (facts, style examples) per product. Every prompt (products x n) goes through
    `llm.generate_batch`, which batches them on the backend; each leaves a GenerationLog row
    (with `job_id`). The result has one entry per item, in order: its candidates sorted by
    score, or the Exception that product failed with (a bad item or a failed generation does not
    stop the others). Raises ValueError for an unknown kind/language and the LLMError itself
    when the backend fails as a whole (not configured, unreachable): nothing could be written.
    """
    if n < 1:
        raise ValueError("n must be at least 1.")
    version = prompt_version(kind, language)
    spec = kind_spec(kind)
    prepared: list[_Item | Exception] = []
    for facts, examples in items:
        try:
            messages = messages_build(
                facts=facts,
                examples=list(examples or []),
                kind=kind,
                language=language,
                channel=channel,
            )
            prepared.append(_Item(facts, messages, Evidence.from_facts(facts)))
        except Exception as error:  # noqa: BLE001 - one bad product must not stop the batch
            logger.warning("Could not prepare %s: %s", getattr(facts, "sku", "?"), error)
            prepared.append(error)
    ready = [(index, item) for index, item in enumerate(prepared) if isinstance(item, _Item)]
    outputs: dict[int, list] = {index: [] for index, _ in ready}
    if ready:
        common = {
            "purpose": f"content_{kind}",
            "prompt_version": version,
            "merchant": merchant,
            "return_exceptions": True,
            "job_id": job_id,
        }
        limits = {"max_new_tokens": spec.max_new_tokens}
        requests = [request(item.messages, temperature=0, **limits) for _, item in ready]
        for _ in range(n - 1):
            requests += [
                request(
                    item.messages,
                    temperature=SAMPLE_TEMPERATURE,
                    top_p=SAMPLE_TOP_P,
                    seed=SAMPLE_SEED,
                    **limits,
                )
                for _, item in ready
            ]
        # One call: the backend batches each product's greedy and sampled candidates together
        # (one prompt pass per product on the transformers backend).
        results = generate_requests(requests, **common)
        for position, result in enumerate(results):
            outputs[ready[position % len(ready)][0]].append(result)

    ranked: list[list[Candidate] | Exception] = []
    for index, item in enumerate(prepared):
        if isinstance(item, Exception):
            ranked.append(item)
            continue
        candidates: list[Candidate] = []
        failure: Exception | None = None
        for result in outputs[index]:
            if isinstance(result, Exception):
                failure = failure or result
                continue
            try:
                candidates.append(
                    candidate_from_output(
                        result.text,
                        facts=item.facts,
                        kind=kind,
                        language=language,
                        channel=channel,
                        truncated=result.finish_reason == "length",
                        evidence=item.evidence,
                        prompt_version=version,
                        model=result.model,
                        generation_log_id=getattr(result, "log_id", None),
                    )
                )
            except Exception as error:  # noqa: BLE001 - a checker bug must not lose the batch
                logger.exception("Could not check a candidate of %s", item.facts.sku)
                failure = failure or error
        if not candidates:
            ranked.append(failure or RuntimeError("No candidate was generated."))
            continue
        # Stable sort: equal scores keep generation order (the greedy candidate first).
        candidates.sort(key=lambda candidate: -candidate.score)
        ranked.append(candidates)
    return ranked
