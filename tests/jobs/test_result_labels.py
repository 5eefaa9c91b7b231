"""Every key a job handler reports in its result summary has a translated label, and a job's
page in 简体中文 shows its result without English.

The keys are read from the handlers' source (ast), not from a list kept by hand: a handler is
any function of the apps that builds `JobOutcome(summary=...)` or calls
`job_succeed(result=...)`. The summary expression is followed through the function's local
names (`summary = {...}`, `summary["partial"] = True`, `written.append({...})`) and through
calls of the module's own functions returning dict literals (`_failure(...)`), so nested rows
(failures, per-aspect summaries) are covered too. What cannot be read that way (a dict built by
another module and spread into the summary, or a nested dict taken from a model field) is
declared below next to where it comes from; an undeclared spread fails the test.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from crisis.models import AlertKind, PlaybookStatus
from crisis.services.alerts import ScanReport
from crisis.services.scan import SCAN_REASONS
from forecasting.models import ForecastRunStatus
from imports.models import ImportStatus
from jobs.models import JobKind, JobStatus
from jobs.templatetags.jobs_tags import (
    RESULT_DATA_KEYED,
    RESULT_HIDDEN_KEYS,
    RESULT_LABELS,
    result_rows,
    result_value_label,
)
from reviews.models import Aspect, ReviewLanguage
from reviews.services.summaries import _method as summary_method
from tests.portal_pages import client_for
from tests.ui_audit import untranslated_texts

from .factories import JobFactory

ROOT = Path(settings.BASE_DIR)
APPS = ("accounts", "core", "products", "reviews", "forecasting", "crisis", "imports", "jobs",
        "notifications")  # fmt: skip

# Spread into a summary from elsewhere: `{**report.as_dict(), ...}` in crisis/tasks.py.
SPREADS = {"report.as_dict()": {field.name for field in dataclasses.fields(ScanReport)}}
# Nested dicts read from a model field or another module, by the key they are shown under.
NESTED = {
    # imports/services/orders.py `DailySales.counts()` via the loader's report.
    "daily_sales": {"recomputed", "created"},
    # forecasting/services/runs.py `_metrics`: the aggregate's names.
    "metrics": {"mae", "mase", "rmsse", "bias", "coverage", "skus", "borrowed"},
}
# Handlers that must be found, so that a change in how handlers are written cannot make the
# scan find nothing and pass.
EXPECTED_HANDLERS = {
    "crisis/tasks.py",
    "crisis/playbooks/generate.py",
    "imports/services/run.py",
    "forecasting/services/runs.py",
    "reviews/services/analysis.py",
    "reviews/services/summaries.py",
    "reviews/services/replies.py",
    "products/content/services.py",
}


class _Collector:
    """The keys of one module's summaries, following local names and the module's functions."""

    def __init__(self, tree: ast.Module):
        self.functions = {
            node.name: node
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        self.keys: set[str] = set()
        self.unresolved: set[str] = set()

    def summary(self, expr: ast.expr, scope: ast.AST) -> None:
        self._collect(expr, scope, seen=set())

    def _collect(self, expr, scope, *, seen: set) -> None:
        if expr is None or id(expr) in seen:
            return
        seen.add(id(expr))
        if isinstance(expr, ast.Dict):
            for key, value in zip(expr.keys, expr.values, strict=True):
                if key is None:
                    self._spread(value, scope, seen=seen)
                    continue
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    self.keys.add(key.value)
                    self.keys |= NESTED.get(key.value, set())
                self._collect(value, scope, seen=seen)
        elif isinstance(expr, ast.Name):
            for value in self._bound(expr.id, scope):
                self._collect(value, scope, seen=seen)
        elif isinstance(expr, ast.Subscript):
            self._collect(expr.value, scope, seen=seen)
        elif isinstance(expr, ast.List | ast.Tuple | ast.Set):
            for element in expr.elts:
                self._collect(element, scope, seen=seen)
        elif isinstance(expr, ast.ListComp | ast.SetComp | ast.GeneratorExp):
            self._collect(expr.elt, scope, seen=seen)
        elif isinstance(expr, ast.IfExp):
            self._collect(expr.body, scope, seen=seen)
            self._collect(expr.orelse, scope, seen=seen)
        elif isinstance(expr, ast.BoolOp):
            for value in expr.values:
                self._collect(value, scope, seen=seen)
        elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
            function = self.functions.get(expr.func.id)
            if function is not None:
                for node in ast.walk(function):
                    if isinstance(node, ast.Return):
                        self._collect(node.value, function, seen=seen)

    def _spread(self, value, scope, *, seen: set) -> None:
        text = ast.unparse(value)
        if text in SPREADS:
            self.keys |= SPREADS[text]
        elif isinstance(value, ast.Dict | ast.Name):
            self._collect(value, scope, seen=seen)
        else:
            self.unresolved.add(text)

    @staticmethod
    def _bound(name: str, scope: ast.AST):
        """What the function puts into local `name`: assigned values, appended or extended
        items, and `name["key"] = value` entries (returned as one-entry dicts)."""
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id == name:
                        yield node.value
                    elif (
                        isinstance(target, ast.Subscript)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == name
                    ):
                        yield ast.Dict(keys=[target.slice], values=[node.value])
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == name
                and node.func.attr in ("append", "extend", "update")
            ):
                yield from node.args


def _summary_expression(call: ast.Call) -> ast.expr | None:
    name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
    if name == "JobOutcome":
        for keyword in call.keywords:
            if keyword.arg == "summary":
                return keyword.value
        return call.args[0] if call.args else None
    if name == "job_succeed":
        return next((k.value for k in call.keywords if k.arg == "result"), None)
    return None


def handler_summary_keys() -> tuple[dict[str, set[str]], set[str]]:
    """{module path: keys its job summaries can hold}, and the spreads that could not be read."""
    found: dict[str, set[str]] = {}
    unresolved: set[str] = set()
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            collector = _Collector(tree)
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if isinstance(node, ast.Call):
                        expression = _summary_expression(node)
                        if expression is not None:
                            collector.summary(expression, function)
            if collector.keys or collector.unresolved:
                found[str(path.relative_to(ROOT))] = collector.keys
                unresolved |= {f"{path.relative_to(ROOT)}: {t}" for t in collector.unresolved}
    return found, unresolved


def test_every_key_a_job_handler_reports_has_a_translated_label():
    found, unresolved = handler_summary_keys()

    assert set(found) >= EXPECTED_HANDLERS, f"handlers not found: {EXPECTED_HANDLERS - set(found)}"
    assert unresolved == set(), "declare these spreads in SPREADS with the keys they bring"
    missing = {
        f"{module}: {key}"
        for module, keys in found.items()
        for key in keys
        if key not in RESULT_LABELS and key not in RESULT_HIDDEN_KEYS
    }
    assert missing == set(), "add a label to RESULT_LABELS in jobs/templatetags/jobs_tags.py"
    # The scan reads what it should: a few keys from different handlers, nested ones included.
    keys = set().union(*found.values())
    assert {"crisis_id", "model_error", "failed", "sku", "dropped_statements", "partial"} <= keys
    assert {"open_crises", "by_kind", "recomputed", "mase", "addressed_aspects"} <= keys


def test_the_fixed_vocabularies_of_result_values_all_read_as_words():
    vocabularies = [
        (JobKind.CRISIS_SCAN, "reason", SCAN_REASONS),
        (JobKind.CRISIS_PLAYBOOK, "source", ("model", "evidence", "mixed")),
        (
            JobKind.REVIEW_SUMMARY,
            "method",
            {summary_method(s) for s in ([], [{"method": "extractive"}], [{"method": "model"}])},
        ),
        (JobKind.CRISIS_PLAYBOOK, "status", PlaybookStatus.values),
        (JobKind.IMPORT, "status", ImportStatus.values),
        (JobKind.FORECAST_RUN, "status", ForecastRunStatus.values),
        (JobKind.CRISIS_SCAN, "by_kind", AlertKind.values),
        (JobKind.REVIEW_SUMMARY, "aspect", ["", *Aspect.values]),
        (JobKind.REVIEW_REPLY, "addressed_aspects", Aspect.values),
        (JobKind.REVIEW_SUMMARY, "language", ReviewLanguage.values),
        (JobKind.REVIEW_BACKFILL, "retraining", ReviewLanguage.values),
    ]
    missing = [
        (kind, key, value)
        for kind, key, values in vocabularies
        for value in values
        if result_value_label(kind=kind, key=key, value=value) is None
    ]
    assert missing == []
    # A job's kind decides whose statuses a `status` is.
    assert result_value_label(kind=JobKind.IMPORT, key="status", value="succeeded") == str(
        ImportStatus.SUCCEEDED.label
    )
    assert result_value_label(kind=JobKind.IMPORT, key="status", value="partial") is None


# Summaries as the handlers write them (the shapes of the code read above).
SUMMARIES = {
    JobKind.CRISIS_PLAYBOOK: {
        "playbook_id": 7,
        "crisis_id": 3,
        "status": "ready",
        "source": "evidence",
        "actions": 2,
        "dropped": 1,
        "model_error": "llm_unavailable: connection refused",
    },
    JobKind.CRISIS_SCAN: {
        **ScanReport(merchant_id=1, findings=4, opened=2, open_crises=1).as_dict(),
        "by_kind": {"overstock": 1, "stockout_risk": 3},
        "seconds": {"load": 0.2, "total": 0.5},
        "reason": "forecast",
    },
    JobKind.IMPORT: {
        "batch_id": 9,
        "status": "succeeded",
        "rows": 1200,
        "valid": 1198,
        "rejected": 2,
        "created": 10,
        "updated": 5,
        "unchanged": 1183,
        "unknown_skus": 0,
        "daily_sales": {"recomputed": 40, "created": 3},
    },
    JobKind.FORECAST_RUN: {
        "run_id": 4,
        "status": "partial",
        "skus": 20,
        "forecast": 18,
        "chunks": 2,
        "chunks_failed": 1,
        "metrics": {"mae": 1.25, "mase": 0.8, "bias": -0.1, "coverage": 0.9, "borrowed": 2},
        "chosen_models": {"ets": 12, "croston": 6},
        "partial": True,
    },
    JobKind.REVIEW_SUMMARY: {
        "product_id": 5,
        "language": "en",
        "summaries": [
            {
                "summary_id": 1,
                "aspect": "",
                "statements": 3,
                "method": "model",
                "dropped": 1,
                "reviews_considered": 40,
                "dropped_statements": [{"text": "Leaks everywhere", "reason": "uncited"}],
            },
            {"summary_id": 2, "aspect": "packaging", "statements": 2, "method": "extractive"},
        ],
        "extractive": 1,
        "dropped": 1,
        "model_error": "",
    },
    JobKind.REVIEW_REPLY: {
        "review_id": 11,
        "draft_id": 12,
        "drafts": 1,
        "unsupported": 0,
        "addressed_aspects": ["shipping", "quality"],
        "candidates": 2,
        "model_error": "",
    },
    JobKind.REVIEW_BACKFILL: {"analysed": 50, "skipped": 1, "topics": 4, "retraining": ["zh"]},
    JobKind.CONTENT_BULK: {
        "total": 3,
        "drafts": 2,
        "created": 2,
        "skipped": 0,
        "flagged": 1,
        "failed_count": 1,
        "failed": [{"product_id": 8, "sku": "KIT-PAN-28", "code": "no_candidate", "error": "x"}],
    },
}


RESULT_TABLE = '<table class="table table-sm mb-0">'


def _result_table(html: str) -> str:
    start = html.index(RESULT_TABLE)
    return html[start : html.index("</table>", start)]


def _value_cells_as_headers(html: str) -> str:
    """The page with the result table's value cells turned into header cells, so the audit
    (which reads header cells, not data cells) also reads the values: what is not marked
    `translate="no"` in them must be Chinese too."""
    start = html.index(RESULT_TABLE)
    end = html.index("</table>", start)
    table = re.sub(r"<(/?)td\b", r"<\1th", html[start:end])
    return html[:start] + table + html[end:]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(SUMMARIES))
def test_a_job_page_in_chinese_shows_the_result_without_english(merchant, owner, kind):
    job = JobFactory(
        merchant=merchant,
        started_by=owner,
        kind=kind,
        status=JobStatus.SUCCEEDED,
        progress_done=1,
        progress_total=1,
        result=SUMMARIES[kind],
    )

    response = client_for(owner, language="zh-hans").get(
        reverse("job-detail", kwargs={"job_id": job.pk})
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    allow = [job.title, merchant.name, owner.get_username()]
    assert untranslated_texts(_value_cells_as_headers(html), allow=allow) == []
    table = _result_table(html)
    assert "<th" in table and " id<" not in table and "merchant" not in table.lower()


def test_rows_read_ids_as_numbers_data_as_data_and_hide_what_is_not_for_people():
    with translation.override("en"):
        playbook = {r.key: r for r in result_rows(_job(JobKind.CRISIS_PLAYBOOK))}
        scan = {r.key: r for r in result_rows(_job(JobKind.CRISIS_SCAN))}
        forecast = {r.key: r for r in result_rows(_job(JobKind.FORECAST_RUN))}
        summary = {r.key: r for r in result_rows(_job(JobKind.REVIEW_SUMMARY))}
        content = {r.key: r for r in result_rows(_job(JobKind.CONTENT_BULK))}

    assert (playbook["crisis_id"].label, playbook["crisis_id"].value) == ("Crisis", "#3")
    assert playbook["status"].value == "Ready"
    assert playbook["model_error"].value == (
        '<span translate="no">llm_unavailable: connection refused</span>'
    )
    assert "merchant_id" not in scan and "seconds" not in scan
    assert scan["by_kind"].value == "Overstock: 1, Stockout risk: 3"
    assert scan["reason"].value == "a forecast run"
    assert forecast["status"].value == "partly failed"
    assert forecast["chosen_models"].value == (
        '<span translate="no">ets</span>: 12, <span translate="no">croston</span>: 6'
    )
    assert "model_error" not in summary  # empty: the model did not fail
    assert "Leaks everywhere" not in summary["summaries"].value
    assert summary["summaries"].value.startswith("Summary: #1, Aspect: Overall, Statements: 3")
    assert content["failed"].value == (
        'Product: #8, SKU: <span translate="no">KIT-PAN-28</span>, '
        'Code: <span translate="no">no_candidate</span>, Error: <span translate="no">x</span>'
    )


def test_numbers_follow_the_language_and_markup_in_results_is_escaped():
    job = _job(JobKind.IMPORT)
    job.result = {"rows": 1200, "note": "<script>alert(1)</script>", "partial": False}
    with translation.override("en"):
        rows = {r.key: r for r in result_rows(job)}
    assert rows["rows"].value == "1,200"
    assert rows["note"].label == "Note"  # an unknown key still shows, humanized
    assert "<script>" not in rows["note"].value and "&lt;script&gt;" in rows["note"].value
    assert rows["partial"].value == "no"


def _job(kind: str) -> SimpleNamespace:
    """A job's kind and result without the database: all `result_rows` reads."""
    return SimpleNamespace(kind=kind, result=dict(SUMMARIES[kind]))


def test_data_keyed_dicts_and_hidden_keys_have_no_label_to_translate():
    assert set(RESULT_LABELS) >= RESULT_DATA_KEYED  # the dict itself has a label
    assert not RESULT_HIDDEN_KEYS & set(RESULT_LABELS)
