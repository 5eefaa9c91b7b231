"""The playbook's job on the `llm` queue (the name matches `*.tasks.llm_*`).

Thin: the runner claims the `Job` row; the task calls one service, which does nothing when a
redelivered job finds its playbook already drafted. Only an unreachable model server is
retried (`generate.MODEL_RETRIES`); the last attempt drafts from the evidence instead.
`crisis/tasks.py` imports this module so Celery's autodiscovery registers the task;
`playbook_request` imports it too, so a web process can always run it eagerly.
"""

from __future__ import annotations

from core.llm import LLMUnavailableError
from jobs.runner import JobRun, job_task

from .generate import PLAYBOOK_TASK, playbook_generate_run


@job_task(name=PLAYBOOK_TASK, transient=(LLMUnavailableError,))
def llm_playbook_generate(run: JobRun, *, playbook_id: int):
    """Draft one playbook: evidence, the model's statements checked, actions proposed."""
    return playbook_generate_run(run=run, playbook_id=playbook_id)
