"""Playbooks: a response to a crisis drafted by the language model from the evidence only.

    from crisis.playbooks import playbook_request

    job = playbook_request(crisis=crisis, user=request.user)   # a Job on the llm queue

The job (`crisis.tasks.llm_playbook_generate`, `tasks`) gathers the evidence (`evidence`),
builds the actions from its numbers (`proposals`: the model never creates an action), asks
the model through the one door (`prompts`), keeps only the statements the checker ties to the
evidence (`checker`) and composes the rest from the evidence (`fallback`); `generate` holds the
request and the job's body. Approving an action is `crisis.services.actions.action_approve`;
reading is `crisis.selectors.playbooks`.
"""

from .generate import playbook_request

__all__ = ["playbook_request"]
