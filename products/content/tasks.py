"""Generation jobs of the content studio, on the `llm` queue (task names match `*.tasks.llm_*`).

Thin: the runner claims the `Job` row, these call `drafts_generate_run`, which resumes a
redelivered job where it stopped. Only an unreachable model server is retried.
"""

from __future__ import annotations

from core.llm import LLMUnavailableError
from jobs.runner import JobRun, job_task

from .services import BULK_TASK, GENERATE_TASK, drafts_generate_run


@job_task(name=GENERATE_TASK, transient=(LLMUnavailableError,))
def llm_generate_drafts(
    run: JobRun, *, product_ids: list[int], kind: str, language: str, channel: str = "", n: int = 3
):
    """Candidates for one product (the studio's Generate button); the best becomes a draft."""
    return drafts_generate_run(
        run=run, product_ids=product_ids, kind=kind, language=language, channel=channel, n=n
    )


@job_task(name=BULK_TASK, transient=(LLMUnavailableError,))
def llm_bulk_generate(
    run: JobRun, *, product_ids: list[int], kind: str, language: str, channel: str = "", n: int = 3
):
    """A draft for each selected product, in batches; approvers hear of the drafts waiting."""
    return drafts_generate_run(
        run=run,
        product_ids=product_ids,
        kind=kind,
        language=language,
        channel=channel,
        n=n,
        notify_approvers=True,
    )
