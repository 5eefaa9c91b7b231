"""Grounded generation of product copy: the content studio calls this package and nothing else.

Interface (stable names and signatures):

    from products.content.generation import (
        PROMPT_VERSIONS, Candidate, Claim, ProductFacts, candidate_check, candidates_generate,
        facts_from_product,
    )

    facts = facts_from_product(product)          # ProductFacts: sku, title, category, brand,
                                                 # attributes {str: str}, key_attributes [str]
    results = candidates_generate(
        merchant=merchant,
        items=[(facts, ["approved description of the same merchant and category", ...])],
        kind="description", language="en", channel="", n=3, job_id=job.pk,
    )
    for result in results:                       # one per item, in order
        if isinstance(result, Exception): ...    # that product failed; the others did not
        best = result[0]                         # candidates ranked best first
        best.text, best.unsupported_count, best.claims, best.coverage, best.generation_log_id
        stored = best.as_json(); Candidate.from_json(stored)   # JSON round trip

    checked = candidate_check(text=edited, facts=facts, kind="description", language="en")

- `Claim(text, kind, start, end, supported, evidence)`: `text[start:end]` of the candidate's
  text is the claim (character offsets, for highlighting); kinds: quantity, material,
  certification, warranty, feature, superlative, offer, link, injection; `evidence` is the
  attribute key that supports it ("title" for the title), "" when unsupported.
- `Candidate`: text, claims, unsupported_count, coverage (0..1 of key attributes),
  covered_attributes, missing_attributes, repetition, length_ok, score, prompt_version, model,
  generation_log_id, raw_text (the model's own words) and edits (what the post-edit did).
- `PROMPT_VERSIONS[(kind, language)]`: the version string of each prompt template.
- `candidates_generate` raises ValueError for an unknown kind or language, and the LLMError
  when the backend fails as a whole (misconfigured, unreachable: `error.transient` says if a
  retry may help); failures of single products come back in their place.

How it works: `prompts` builds versioned chat prompts (facts in a delimited data block, the
store's approved texts as style examples, a system message saying the data is never
instructions); `pipeline` sends every prompt (products x n: one greedy, n-1 low-temperature
samples) through `core.llm.generate_batch`, which batches them on the model; `candidates`
applies the grounded post-edit (drop sentences with unsupported claims, append a plain facts
sentence for missing key attributes) and scores each candidate by grounding, coverage, length
and repetition; `grounding` is the claim checker (precision first: supported means an
attribute really states it).
"""

from .candidates import Candidate, candidate_check
from .facts import ProductFacts, facts_build, facts_from_product
from .grounding import Claim, Evidence, claims_extract
from .pipeline import candidates_generate
from .prompts import PROMPT_VERSIONS, messages_build

__all__ = [
    "PROMPT_VERSIONS",
    "Candidate",
    "Claim",
    "Evidence",
    "ProductFacts",
    "candidate_check",
    "candidates_generate",
    "claims_extract",
    "facts_build",
    "facts_from_product",
    "messages_build",
]
