"""Reads of the crisis center, one module per area; import from the module itself:
`crises` (board, crisis, alerts, timeline, SLA metrics), `signals` (the detectors' inputs),
`playbooks` (the latest playbook and a crisis's actions)."""
