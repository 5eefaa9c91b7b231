"""Drafting a playbook: the request (a Job on the llm queue) and the job's body.

How a playbook is made (README, "Playbooks"):
1. `playbook_request` creates the `Playbook` (status generating) and its Job; the timeline
   says "playbook requested".
2. In the job, the evidence is gathered (`evidence.evidence_build`) and kept on the playbook.
3. When the crisis has a product and a complaint a listing can answer, the model writes a
   sentence or two to add to the description (`prompts.listing_messages`); what survives the
   grounded post-edit (`proposals.listing_addition_from_model`) becomes the listing fix's text,
   else the product's own facts do.
4. The actions are built from the evidence's numbers (`proposals.proposals_build`); the model
   is shown them and asked for what happened, the likely cause and why each action helps
   (`prompts.playbook_messages`).
5. `checker.playbook_check` keeps the statements tied to the evidence; the others go to
   `Playbook.dropped` with the reason. A section with no statement left is composed from the
   evidence (`fallback`) and marked "source": "evidence". An action gets the model's rationale
   only when it passed the checker.
6. One transaction: the playbook becomes ready, its actions are created (proposed), actions
   still proposed by an older playbook of the crisis are rejected as superseded, and the
   timeline says "playbook drafted". A failure marks the playbook failed ("playbook failed").

The model is reached only through `core.llm`; each call is a GenerationLog row linked to the
job, and the playbook's own call is `Playbook.generation`. An unreachable model server is
retried (the job waits) until the last attempt, which falls back to the evidence text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.permissions import RESPOND_CRISES, role_can
from core import llm
from core.models import GenerationLog
from jobs.models import ACTIVE_STATUSES, Job, JobKind
from jobs.runner import JobOutcome, JobRun
from jobs.services import JobCancelled, job_submit

from ..models import (
    ActionStatus,
    CrisisAction,
    CrisisEventKind,
    CrisisStatus,
    Playbook,
    PlaybookStatus,
)
from ..services.crises import crisis_event_add
from ..services.errors import CrisisError
from . import fallback
from .checker import ProposedAction, playbook_check
from .evidence import evidence_build, evidence_labels, playbook_language
from .prompts import (
    LISTING_MAX_NEW_TOKENS,
    LISTING_PROMPT_VERSIONS,
    PLAYBOOK_MAX_NEW_TOKENS,
    PLAYBOOK_PROMPT_VERSIONS,
    listing_messages,
    playbook_messages,
)
from .proposals import (
    listing_addition_from_model,
    proposals_build,
    top_complaint,
)

logger = logging.getLogger(__name__)

PLAYBOOK_TASK = "crisis.tasks.llm_playbook_generate"
SECTIONS_VERSION = 1
# An unreachable model server is retried by the job runner while the attempt number is below
# this; the attempt that reaches it drafts the playbook from the evidence instead of failing.
MODEL_RETRIES = 2
MAX_DROPPED = 50


class PlaybookFailed(Exception):
    code = "playbook_failed"


# --- roles ---------------------------------------------------------------------------------------
def member_role(*, user, merchant) -> str | None:
    """The user's role at the merchant (None: not a member, or no user)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(user=user, merchant=merchant)
        .values_list("role", flat=True)
        .first()
    )


def role_require(*, user, merchant, action: str) -> str:
    """Re-check at the service what the pages and the API check: a non-member is told the
    object does not exist (404), a member whose role may not do it is refused (403)."""
    role = member_role(user=user, merchant=merchant)
    if role is None:
        raise Http404
    if not role_can(role, action):
        raise PermissionDenied(_("Your role does not allow this action."))
    return role


def crisis_page_url(crisis) -> str:
    try:
        return reverse("crisis-detail", kwargs={"crisis_id": crisis.pk})
    except NoReverseMatch:  # the pages are not installed (a trimmed URLconf)
        return ""


# --- requesting ----------------------------------------------------------------------------------
def _playbook_fail(*, playbook: Playbook, error: str) -> bool:
    """Mark a generating playbook failed and say so on the timeline (once)."""
    error = (error or _("The playbook could not be drafted."))[:2000]
    with transaction.atomic():
        changed = Playbook.objects.filter(pk=playbook.pk, status=PlaybookStatus.GENERATING).update(
            status=PlaybookStatus.FAILED, error=error, updated_at=timezone.now()
        )
        if changed:
            crisis_event_add(
                crisis=playbook.crisis,
                kind=CrisisEventKind.PLAYBOOK_FAILED,
                message=error,
                data={"playbook_id": playbook.pk, "job_id": playbook.job_id},
            )
    return bool(changed)


@transaction.atomic
def playbook_request(*, crisis, user) -> Job:
    """Ask the language model for a playbook of `crisis`: a Playbook (generating) and a Job on
    the llm queue. Refused with CrisisError `crisis_resolved` (409) for a resolved crisis and
    `playbook_running` (409) while another draft of the crisis is still running; a draft whose
    job ended without finishing it is marked failed first."""
    from ..models import Crisis
    from . import tasks  # noqa: F401 - registers the task in this process

    crisis = (
        Crisis.objects.select_for_update(of=("self",))
        .select_related("merchant", "product")
        .get(pk=crisis.pk)
    )
    role_require(user=user, merchant=crisis.merchant, action=RESPOND_CRISES)
    if crisis.status == CrisisStatus.RESOLVED:
        raise CrisisError("crisis_resolved", _("This crisis is resolved; reopen it first."))
    for running in Playbook.objects.filter(
        crisis=crisis, status=PlaybookStatus.GENERATING
    ).select_related("job", "crisis"):
        if running.job is not None and running.job.status in ACTIVE_STATUSES:
            raise CrisisError(
                "playbook_running",
                _("A playbook for this crisis is being drafted; wait for it to finish."),
            )
        _playbook_fail(
            playbook=running,
            error=(running.job.error if running.job else "")
            or _("The job ended without drafting the playbook."),
        )
    playbook = Playbook.objects.create(
        crisis=crisis,
        merchant=crisis.merchant,
        status=PlaybookStatus.GENERATING,
        language=playbook_language(crisis.merchant),
        requested_by=user if getattr(user, "is_authenticated", False) else None,
    )
    job = job_submit(
        merchant=crisis.merchant,
        kind=JobKind.CRISIS_PLAYBOOK,
        title=_("Playbook for “%(title)s”") % {"title": crisis.title[:150]},
        started_by=user,
        task_name=PLAYBOOK_TASK,
        task_kwargs={"playbook_id": playbook.pk},
        total=3,
    )
    playbook.job = job
    playbook.save(update_fields=["job", "updated_at"])
    crisis_event_add(
        crisis=crisis,
        kind=CrisisEventKind.PLAYBOOK_REQUESTED,
        actor=user,
        data={"playbook_id": playbook.pk, "job_id": job.pk},
    )
    return job


# --- running (inside the job) --------------------------------------------------------------------
@dataclass
class _Answer:
    text: str | None  # None: the model failed
    error: str = ""
    log_id: int | None = None
    model: str = ""


def _generate(run: JobRun, *, messages, purpose: str, version: str, max_new_tokens: int) -> _Answer:
    """One call through the LLM door (greedy, linked to the job)."""
    try:
        result = llm.generate(
            messages,
            purpose=purpose,
            prompt_version=version,
            merchant=run.merchant,
            max_new_tokens=max_new_tokens,
            temperature=0,
            job_id=run.job_id,
        )
    except llm.LLMError as error:
        if error.transient and run.retries < MODEL_RETRIES:
            raise  # the runner retries later; the job shows as queued meanwhile
        log_id = (
            GenerationLog.objects.filter(job_id=run.job_id, purpose=purpose)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        return _Answer(None, f"{getattr(error, 'code', 'error')}: {error}"[:500], log_id)
    return _Answer(result.text, "", result.log_id, result.model)


def _joined(statements: list[dict], language: str) -> str:
    """The statements as one text, each followed by its labels ("... [A5][T3]")."""
    parts = []
    for statement in statements:
        labels = "".join(f"[{label}]" for label in statement["citations"])
        text = statement["text"]
        # The labels go before the sentence's final mark ("... at risk [A5]." / "…断货[A5]。").
        end = text[-1:] if text[-1:] in "。！？.!?" and labels else ""
        space = " " if labels and language != "zh-hans" else ""
        parts.append(f"{text[: len(text) - len(end)]}{space}{labels}{end}")
    return ("" if language == "zh-hans" else " ").join(parts)


def _citations(labels: list[str], evidence: dict) -> list[dict]:
    """What each cited label is, for the page (kind, id, a short note)."""
    items = evidence_labels(evidence)
    kinds = {"A": "alert", "T": "topic", "R": "review"}
    rows = []
    for label in dict.fromkeys(labels):
        item = items.get(label)
        if item is None:
            continue
        note = item.get("title") or item.get("name") or item.get("text", "")
        rows.append({"label": label, "kind": kinds[label[0]], "id": item["id"], "note": note[:120]})
    return rows


def playbook_generate_run(*, run: JobRun, playbook_id: int) -> JobOutcome:
    """The body of a playbook job (see the module docstring). A redelivered job whose
    playbook is already finished does nothing; any failure marks the playbook failed."""
    playbook = (
        Playbook.objects.filter(pk=playbook_id, merchant=run.merchant)
        .select_related("crisis", "crisis__merchant", "crisis__product")
        .first()
    )
    if playbook is None:
        raise PlaybookFailed(_("The playbook no longer exists."))
    if playbook.status != PlaybookStatus.GENERATING:
        return _outcome(playbook, message=_("The playbook was already drafted."))
    try:
        return _draft(run, playbook)
    except llm.LLMError as error:
        if error.transient and run.retries < MODEL_RETRIES:
            raise
        _playbook_fail(playbook=playbook, error=str(error))
        raise
    except JobCancelled:
        _playbook_fail(playbook=playbook, error=_("The job was cancelled."))
        raise
    except Exception as error:
        logger.exception("playbook %s failed", playbook.pk)
        _playbook_fail(playbook=playbook, error=f"{type(error).__name__}: {error}")
        raise


def _draft(run: JobRun, playbook: Playbook) -> JobOutcome:
    crisis = playbook.crisis
    merchant = crisis.merchant
    product = crisis.product
    evidence = evidence_build(crisis=crisis)
    language = evidence["language"]
    run.progress(done=1, total=3, message=_("Evidence gathered; asking the model…"))

    # The listing fix's wording, when there is a complaint a listing can answer.
    listing_addition, listing_dropped = "", []
    listing = _Answer(None)
    complaint = top_complaint(evidence) if product is not None else None
    if complaint is not None:
        quote_review = complaint.get("review") or {}
        listing = _generate(
            run,
            messages=listing_messages(
                title=(evidence["product"] or {}).get("title", ""),
                attributes=(evidence["product"] or {}).get("attributes", {}),
                description=(evidence["product"] or {}).get("description", ""),
                complaint=complaint["name"],
                aspect=complaint.get("aspect", ""),
                quote=quote_review.get("text", "")[:200],
                language=language,
            ),
            purpose="crisis_listing_fix",
            version=LISTING_PROMPT_VERSIONS[language],
            max_new_tokens=LISTING_MAX_NEW_TOKENS,
        )
        if listing.text:
            listing_addition, listing_dropped = listing_addition_from_model(
                listing.text,
                product=product,
                description=product.description,
                language=language,
                complaint=complaint["name"],
            )
    proposals = proposals_build(
        evidence=evidence,
        merchant=merchant,
        product=product,
        listing_addition=listing_addition,
        listing_source="model" if listing_addition else "",
    )
    for proposal in proposals:
        if proposal.kind == "listing_fix" and proposal.params.get("source") == "model":
            proposal.params["generation_log_id"] = listing.log_id
            proposal.params["prompt_version"] = LISTING_PROMPT_VERSIONS[language]
            proposal.params["model"] = listing.model

    messages = playbook_messages(
        evidence=evidence, proposed=[(proposal.kind, proposal.title) for proposal in proposals]
    )
    version = PLAYBOOK_PROMPT_VERSIONS[language]
    answer = _generate(
        run,
        messages=messages,
        purpose="crisis_playbook",
        version=version,
        max_new_tokens=PLAYBOOK_MAX_NEW_TOKENS,
    )
    run.progress(done=2, message=_("Checking the draft against the evidence…"))
    check = playbook_check(
        answer.text or "",
        evidence=evidence,
        proposed_actions={
            proposal.kind: ProposedAction(proposal.params, f"{proposal.title} {proposal.detail}")
            for proposal in proposals
        },
        prompt=messages[-1]["content"],
    )

    statements: dict[str, list[dict]] = {}
    sources: dict[str, str] = {}
    composed = {
        "what_happened": fallback.what_happened,
        "likely_cause": fallback.likely_cause,
    }
    for section, compose in composed.items():
        kept = [item.as_json() for item in check.sections[section]]
        statements[section] = kept or compose(evidence)
        sources[section] = "model" if kept else "evidence"
    overall = set(sources.values())
    cited = [label for items in statements.values() for s in items for label in s["citations"]]
    for proposal in proposals:
        rationale = check.rationales.get(proposal.kind)
        if rationale is not None:
            proposal.params["rationale"] = rationale.as_json()
            cited += rationale.citations
    sections = {
        "version": SECTIONS_VERSION,
        "language": language,
        "source": overall.pop() if len(overall) == 1 else "mixed",
        "sources": sources,
        "what_happened": _joined(statements["what_happened"], language),
        "likely_cause": _joined(statements["likely_cause"], language),
        "statements": statements,
        "citations": _citations(cited, evidence),
        "model_error": answer.error,
        "listing_model_error": listing.error,
    }
    dropped = ([item.as_json() for item in check.dropped] + listing_dropped)[:MAX_DROPPED]

    with transaction.atomic():
        locked = Playbook.objects.select_for_update().get(pk=playbook.pk)
        if locked.status != PlaybookStatus.GENERATING:
            return _outcome(locked, message=_("The playbook was already drafted."))
        now = timezone.now()
        older = CrisisAction.objects.filter(
            crisis=crisis, status=ActionStatus.PROPOSED, playbook__isnull=False
        ).exclude(playbook=locked)
        superseded = list(older.values_list("pk", flat=True))
        older.update(
            status=ActionStatus.REJECTED,
            decided_at=now,
            updated_at=now,
            result={"reason": "superseded", "superseded_by_playbook": locked.pk},
        )
        actions = CrisisAction.objects.bulk_create(
            [
                CrisisAction(
                    crisis=crisis,
                    merchant=merchant,
                    playbook=locked,
                    kind=proposal.kind,
                    title=proposal.title[:300],
                    detail=proposal.detail,
                    params=proposal.params,
                    status=ActionStatus.PROPOSED,
                )
                for proposal in proposals
            ]
        )
        locked.status = PlaybookStatus.READY
        locked.evidence = evidence
        locked.sections = sections
        locked.dropped = dropped
        locked.language = language
        locked.model_name = answer.model[:255]
        locked.prompt_version = version
        locked.generation_id = answer.log_id
        locked.error = ""
        locked.save()
        crisis_event_add(
            crisis=crisis,
            kind=CrisisEventKind.PLAYBOOK_DRAFTED,
            message=_joined(statements["what_happened"][:1], language)[:500],
            data={
                "playbook_id": locked.pk,
                "source": sections["source"],
                "actions": [action.pk for action in actions],
                "superseded_actions": superseded,
                "dropped": len(check.dropped),
            },
        )
    run.progress(done=3, message=_("Playbook drafted"))
    return _outcome(locked, actions=len(actions), dropped=len(check.dropped))


def _outcome(playbook: Playbook, *, message: str = "", actions=None, dropped=None) -> JobOutcome:
    sections = playbook.sections or {}
    summary = {
        "playbook_id": playbook.pk,
        "crisis_id": playbook.crisis_id,
        "status": playbook.status,
        "source": sections.get("source", ""),
        "actions": actions
        if actions is not None
        else CrisisAction.objects.filter(playbook=playbook).count(),
        "dropped": dropped if dropped is not None else len(playbook.dropped or []),
        "model_error": sections.get("model_error", ""),
    }
    if not message:
        message = (
            _("Playbook drafted from the evidence (the model's text could not be used)")
            if summary["source"] == "evidence"
            else _("Playbook drafted")
        )
    url = crisis_page_url(playbook.crisis)
    return JobOutcome(summary=summary, url=f"{url}#playbook" if url else "", message=message)
