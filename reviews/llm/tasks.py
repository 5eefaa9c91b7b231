"""Jobs of the review language-model features, on the `llm` queue (names match `*.tasks.llm_*`).

Thin: the runner claims the `Job` row; each task calls one service, which skips what a
redelivered job already wrote. Only an unreachable model server is retried. The integrator
imports these from `reviews/tasks.py` so Celery's autodiscovery registers them; the services
that start the jobs import this module too, so a web process can always run them eagerly.
"""

from __future__ import annotations

from core.llm import LLMUnavailableError
from jobs.runner import JobRun, job_task
from reviews.services.replies import REPLY_TASK, reply_drafts_generate_run
from reviews.services.summaries import SUMMARY_TASK, summaries_generate_run


@job_task(name=SUMMARY_TASK, transient=(LLMUnavailableError,))
def llm_review_summaries(run: JobRun, *, product_id: int, aspect: str = "", language: str = ""):
    """ "What customers say" about one product: overall and main aspects, or one aspect."""
    return summaries_generate_run(run=run, product_id=product_id, aspect=aspect, language=language)


@job_task(name=REPLY_TASK, transient=(LLMUnavailableError,))
def llm_review_reply(run: JobRun, *, review_id: int, template: str = "", n: int = 2):
    """A grounded reply draft for one review (the best of `n` candidates)."""
    return reply_drafts_generate_run(run=run, review_id=review_id, template=template, n=n)
