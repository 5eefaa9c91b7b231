"""Crisis detectors: pure functions over plain inputs, no database.

    from crisis.detectors import run_detectors
    from crisis.detectors.config import thresholds_from_overrides
    from crisis.selectors.signals import scan_inputs

    findings = run_detectors(scan_inputs(merchant=m, today=day), thresholds_from_overrides({}))

Each detector takes a `ScanInputs` (numpy arrays, see `types.py`) and `Thresholds`
(`config.py`) and returns `Finding`s; the rules are written out in each module's docstring
and in the README ("Crisis center"). Titles and summaries are translated with the language
active when the detectors run.
"""

from __future__ import annotations

from .config import Thresholds
from .overstock import detect_overstock
from .rating_drop import detect_rating_drop
from .review_surge import detect_review_surge
from .sales_drop import detect_sales_drop, sales_drop_test, stockout_caused_evidence
from .stockout import detect_stockout
from .types import Finding, ScanInputs

__all__ = [
    "Finding",
    "ScanInputs",
    "detect_overstock",
    "detect_rating_drop",
    "detect_review_surge",
    "detect_sales_drop",
    "detect_stockout",
    "run_detectors",
]


def run_detectors(inputs: ScanInputs, thresholds: Thresholds) -> list[Finding]:
    """Every detector over one merchant's inputs; findings with the most money at risk first
    (ties: kind, then dedup key, so the order is stable).

    A product whose sales fell only because it was out of stock gets no sales-drop finding;
    its stockout finding (if it still has one) carries `sales_lost_to_stockout` instead.
    """
    if len(inputs) == 0:
        return []
    drop_test = sales_drop_test(inputs, thresholds) if inputs.sales.days else None
    findings = detect_stockout(inputs, thresholds)
    if drop_test is not None and drop_test.stockout_caused.any():
        rows = {int(pid): row for row, pid in enumerate(inputs.catalog.ids.tolist())}
        for finding in findings:
            row = rows.get(finding.product_id)
            if row is not None and drop_test.stockout_caused[row]:
                finding.evidence["sales_lost_to_stockout"] = stockout_caused_evidence(
                    inputs, drop_test, row
                )
    findings += detect_overstock(inputs, thresholds)
    if drop_test is not None:
        findings += detect_sales_drop(inputs, thresholds, test=drop_test)
    findings += detect_review_surge(inputs, thresholds)
    findings += detect_rating_drop(inputs, thresholds)
    findings.sort(key=lambda finding: (-finding.money_at_risk, finding.kind, finding.dedup_key))
    return findings
