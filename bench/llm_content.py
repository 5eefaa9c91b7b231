"""Grounded product descriptions with the configured language model, through the product's pipeline.

    .venv/bin/python bench/llm_content.py [--products bench/data/products.jsonl] [--limit N]
        [--backend transformers|openai|fake] [--batch-size N] [--candidates 2]
        [--json PATH] [--drafts PATH]

Sets Django up with the normal settings on a scratch database and a fresh, empty
LLM_CACHE_DIR, then:
1. loads the model cold (GGUF conversion) and again from the cache it just wrote, timing both;
2. the baseline: the first --single products' prompts, one `llm.generate` call at a time;
3. every product through `candidates_generate` (the content studio's own code: prompts,
   batched generation, grounded post-edit, ranking), per language, --candidates per product;
4. prints a table: load times, tokens/s one at a time vs batched (ratio, same run), descriptions
   per minute, peak RSS, and for the best draft of each product: the share with zero
   unsupported claims, mean coverage of the key attributes, the share with repeated phrases.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (  # noqa: E402
    REPO_ROOT,
    BenchError,
    bench_exit,
    django_setup,
    scratch_environment,
    write_json,
)

DEFAULT_PRODUCTS = Path(__file__).resolve().parent / "data" / "products.jsonl"
JSON_KEYS = (
    "grounded_share",
    "attribute_coverage",
    "repetition_share",
    "single_tok_s",
    "batched_tok_s",
    "batched_vs_single_ratio",
    "descriptions_per_minute",
    "load_cold_s",
    "load_cached_s",
    "peak_rss_mb",
    "model_text_share",
    "model_text_share_en",
    "model_text_share_zh",
)
# The sentence the grounded post-edit appends when key attributes are missing (both languages).
FACTS_SENTENCE_PREFIXES = ("Key facts:", "产品参数：")


def read_products(path: Path, limit: int | None) -> list[dict]:
    products = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise BenchError(f"{path}:{number}: not JSON ({error})") from error
        if not isinstance(item, dict) or not item.get("title"):
            raise BenchError(f"{path}:{number}: needs at least a title")
        item.setdefault("sku", f"P{number}")
        item.setdefault("language", "en")
        products.append(item)
    if not products:
        raise BenchError(f"{path} holds no products")
    return products[:limit] if limit else products


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def keeps_model_text(draft) -> bool:
    """Whether a final draft still holds at least one sentence the model wrote: anything left
    once the appended facts sentence (recorded in `edits` as "appended facts") is taken away.
    A draft that is only "Key facts: ..." (every model sentence dropped as another language,
    unsupported, repeated or unfinished) does not count."""
    text = draft.text.strip()
    if any(edit.startswith("appended facts") for edit in draft.edits):
        for prefix in FACTS_SENTENCE_PREFIXES:
            at = text.rfind(prefix)
            if at >= 0:
                text = text[:at].strip()
                break
    return bool(text) and bool(draft.raw_text.strip())


def model_text_share(drafts: list) -> float:
    """Share of `drafts` (products without a draft count as no model text)."""
    return (
        round(sum(1 for d in drafts if d is not None and keeps_model_text(d)) / len(drafts), 4)
        if drafts
        else 0.0
    )


def timed_load(backend) -> float:
    """Seconds to load the model (0 for backends without a local model)."""
    if not hasattr(backend, "load"):
        return 0.0
    started = time.monotonic()
    backend.load()
    return time.monotonic() - started


_LOAD_IN_NEW_PROCESS = """
import django, json, time
django.setup()
from core import llm
backend = llm.backend_from_settings()
started = time.monotonic()
getattr(backend, "load", lambda: None)()
print(json.dumps({"total": time.monotonic() - started,
                  "load": getattr(backend, "load_seconds", None) or 0.0,
                  "from": getattr(backend, "loaded_from", None)}))
"""


def load_in_new_process() -> dict:
    """Load the model in a fresh process, as a worker does: `load` is the backend's own load
    time (reading weights and tokenizer), `total` adds importing transformers' modelling code
    (paid once by every process, like importing torch)."""
    completed = subprocess.run(
        [sys.executable, "-c", _LOAD_IN_NEW_PROCESS],
        cwd=REPO_ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if completed.returncode != 0:
        raise BenchError(f"loading the model failed:\n{completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run(args) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from accounts.services import merchant_create
    from core import llm
    from core.models import GenerationLog
    from products.content.generation import candidates_generate, facts_build, messages_build
    from products.content.generation.prompts import kind_spec, prompt_version
    from products.content.kinds import ContentKind

    call_command("migrate", verbosity=0, interactive=False)
    owner = get_user_model().objects.create_user(username="bench", password=None)
    merchant = merchant_create(name="Bench Store", owner=owner, slug="bench")
    products = read_products(Path(args.products), args.limit)
    kind = ContentKind.DESCRIPTION

    # 1. Cold load (empty cache: GGUF conversion) and cached load, each in a new process as a
    #    worker would; then this process loads from the cache like a restarted worker, so its
    #    peak RSS is a worker's with the model loaded and generating.
    cold = load_in_new_process()
    cached = load_in_new_process()
    load_cold, load_cached = cold["load"], cached["load"]
    backend = llm.backend_from_settings()
    timed_load(backend)
    if getattr(backend, "loaded_from", "cache") not in ("cache", None):
        print(f"warning: the second load came from {backend.loaded_from}", file=sys.stderr)

    facts = [
        facts_build(
            sku=p["sku"],
            title=p["title"],
            category=p.get("category", ""),
            brand=p.get("brand", ""),
            attributes=p.get("attributes", {}),
        )
        for p in products
    ]
    with llm.use_backend(backend):
        # 2. Baseline: the same greedy prompts the pipeline sends, one call at a time.
        single_tokens, single_seconds = 0, 0.0
        for product, fact in list(zip(products, facts, strict=True))[: args.single]:
            language = product["language"]
            messages = messages_build(facts=fact, examples=[], kind=kind, language=language)
            started = time.monotonic()
            result = llm.generate(
                messages,
                merchant=merchant,
                purpose="bench_single",
                prompt_version=prompt_version(kind, language),
                max_new_tokens=kind_spec(kind).max_new_tokens,
                temperature=0,
            )
            single_seconds += time.monotonic() - started
            single_tokens += result.output_tokens or 0

        # 3. The pipeline, per language, every product at once.
        before = set(GenerationLog.objects.values_list("pk", flat=True))
        best: dict[str, object] = {}
        started = time.monotonic()
        for language in sorted({p["language"] for p in products}):
            chosen = [i for i, p in enumerate(products) if p["language"] == language]
            results = candidates_generate(
                merchant=merchant,
                items=[(facts[i], []) for i in chosen],
                kind=kind,
                language=language,
                n=args.candidates,
            )
            for index, result in zip(chosen, results, strict=True):
                if isinstance(result, Exception):
                    print(f"{products[index]['sku']}: failed: {result}", file=sys.stderr)
                    continue
                best[products[index]["sku"]] = result[0]
        batched_seconds = time.monotonic() - started
        logs = GenerationLog.objects.exclude(pk__in=before)
        batched_tokens = sum(t or 0 for t in logs.values_list("output_tokens", flat=True))

    drafts = [best.get(p["sku"]) for p in products]
    done = [d for d in drafts if d is not None]
    n = len(products)
    grounded = sum(1 for d in done if d.unsupported_count == 0)
    grounded_covered = sum(1 for d in done if d.unsupported_count == 0 and d.coverage >= 0.8)
    single_tok_s = single_tokens / single_seconds if single_seconds else 0.0
    batched_tok_s = batched_tokens / batched_seconds if batched_seconds else 0.0
    results = {
        "grounded_share": round(grounded / n, 4),
        "attribute_coverage": round(sum(d.coverage for d in done) / n, 4),
        "repetition_share": round(sum(1 for d in done if d.repetition) / n, 4),
        "single_tok_s": round(single_tok_s, 2),
        "batched_tok_s": round(batched_tok_s, 2),
        "batched_vs_single_ratio": round(batched_tok_s / single_tok_s, 3) if single_tok_s else 0.0,
        "descriptions_per_minute": round(len(done) / batched_seconds * 60, 2)
        if batched_seconds
        else 0.0,
        "load_cold_s": round(load_cold, 2),
        "load_cached_s": round(load_cached, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "model_text_share": model_text_share(drafts),
        "model_text_share_en": model_text_share(
            [d for p, d in zip(products, drafts, strict=True) if p["language"] == "en"]
        ),
        "model_text_share_zh": model_text_share(
            [d for p, d in zip(products, drafts, strict=True) if p["language"].startswith("zh")]
        ),
    }
    context = {
        "backend": f"{backend.name} {backend.model_id}",
        "products": n,
        "languages": ", ".join(
            f"{lang} {sum(1 for p in products if p['language'] == lang)}"
            for lang in sorted({p["language"] for p in products})
        ),
        "batch_size": settings.LLM_BATCH_SIZE,
        "candidates": args.candidates,
        "grounded_covered": grounded_covered,
        "batched_seconds": batched_seconds,
        "batched_tokens": batched_tokens,
        "single_prompts": min(args.single, n),
        "failed": n - len(done),
        "load_cold_total": cold["total"],
        "load_cached_total": cached["total"],
    }
    if args.drafts:
        target = Path(args.drafts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8") as out:
            for product, draft in zip(products, drafts, strict=True):
                out.write(
                    json.dumps(
                        {
                            "sku": product["sku"],
                            "language": product["language"],
                            "text": draft.text if draft else "",
                            "raw_text": draft.raw_text if draft else "",
                            "edits": list(draft.edits) if draft else [],
                            "model_text": bool(draft and keeps_model_text(draft)),
                            "unsupported_claims": [
                                c.as_json() for c in (draft.unsupported_claims if draft else [])
                            ],
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    return {"results": results, "context": context}


def table(results: dict, context: dict) -> str:
    n = context["products"]
    rows = [
        (
            "load, cold: GGUF -> dequantized cache (with imports)",
            f"{results['load_cold_s']:.2f} s ({context['load_cold_total']:.2f} s)",
        ),
        (
            "load, from the cache, new process (with imports)",
            f"{results['load_cached_s']:.2f} s ({context['load_cached_total']:.2f} s)",
        ),
        (
            f"tokens/s, one prompt at a time (baseline, {context['single_prompts']} prompts)",
            f"{results['single_tok_s']:.1f}",
        ),
        (
            f"tokens/s, batched pipeline ({context['batched_tokens']} tokens)",
            f"{results['batched_tok_s']:.1f}",
        ),
        ("ratio batched / one at a time", f"{results['batched_vs_single_ratio']:.2f}x"),
        (
            f"descriptions per minute ({context['batched_seconds']:.0f} s for {n})",
            f"{results['descriptions_per_minute']:.1f}",
        ),
        ("peak RSS", f"{results['peak_rss_mb']:.0f} MB"),
        ("drafts with zero unsupported claims", f"{results['grounded_share']:.0%}"),
        (
            "drafts grounded and covering >= 80 % of key attributes",
            f"{context['grounded_covered'] / n:.0%}",
        ),
        ("mean coverage of key attributes", f"{results['attribute_coverage']:.0%}"),
        ("drafts with repeated phrases", f"{results['repetition_share']:.0%}"),
        (
            "drafts keeping model-written text (besides the facts sentence)",
            f"{results['model_text_share']:.0%}",
        ),
        (
            "  English / Chinese",
            f"{results['model_text_share_en']:.0%} / {results['model_text_share_zh']:.0%}",
        ),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [
        f"{context['backend']}, {n} products ({context['languages']}), batch size "
        f"{context['batch_size']}, {context['candidates']} candidates per product"
        + (f", {context['failed']} failed" if context["failed"] else ""),
        f"{'measure':<{width}}  value",
    ]
    lines += [f"{label:<{width}}  {value}" for label, value in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", metavar="PATH", help="write the results as one JSON object")
    parser.add_argument("--drafts", metavar="PATH", help="write each product's best draft (JSONL)")
    parser.add_argument("--products", default=str(DEFAULT_PRODUCTS), help="JSONL of products")
    parser.add_argument("--limit", type=int, default=0, help="only the first N products")
    parser.add_argument("--backend", default="", help="LLM_BACKEND (default: the settings')")
    parser.add_argument("--model", default=None, help="LLM_MODEL (default: the settings')")
    parser.add_argument("--batch-size", type=int, default=0, help="LLM_BATCH_SIZE")
    parser.add_argument("--candidates", type=int, default=2, help="candidates per product")
    parser.add_argument("--single", type=int, default=4, help="prompts in the baseline")
    parser.add_argument("--threads", type=int, default=0, help="LLM_THREADS (0: torch decides)")
    args = parser.parse_args(argv)
    if args.limit < 0 or args.candidates < 1 or args.single < 1 or args.batch_size < 0:
        parser.error("--limit must be >= 0; --candidates, --single at least 1")
    if not Path(args.products).is_file():
        parser.error(f"--products {args.products} does not exist")

    cache_dir = Path(tempfile.mkdtemp(prefix="ecomops-llm-cache-"))
    try:
        with scratch_environment("ecomops_bench_llm") as env:
            env["LLM_CACHE_DIR"] = str(cache_dir)  # empty: the first load is really cold
            if args.backend:
                env["LLM_BACKEND"] = args.backend
            if args.model is not None:
                env["LLM_MODEL"] = args.model
            if args.batch_size:
                env["LLM_BATCH_SIZE"] = str(args.batch_size)
            if args.threads:
                env["LLM_THREADS"] = str(args.threads)
            django_setup(env)
            outcome = run(args)
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    results = outcome["results"]
    print(table(results, outcome["context"]))
    if args.json:
        write_json(args.json, {key: results[key] for key in JSON_KEYS})
        print(f"wrote {args.json}")
    if args.drafts:
        print(f"wrote {args.drafts}")
    return 0


if __name__ == "__main__":
    bench_exit(main)
