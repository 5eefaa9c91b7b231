"""The 简体中文 catalogue covers every string of the project: nothing untranslated or fuzzy."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries(path: Path) -> list[dict]:
    """Parse a .po file into entries: flags, msgid, msgid_plural, msgstr list."""
    entries, current, field = [], None, None

    def finish():
        if current and "msgid" in current:
            entries.append(current)

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            finish()
            current, field = None, None
            continue
        if current is None:
            current = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            current["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            field = "msgctxt"
            current[field] = ast.literal_eval(line[len("msgctxt ") :])
        elif line.startswith("msgid_plural "):
            field = "msgid_plural"
            current[field] = ast.literal_eval(line[len("msgid_plural ") :])
        elif line.startswith("msgid "):
            field = "msgid"
            current[field] = ast.literal_eval(line[len("msgid ") :])
        elif line.startswith("msgstr"):
            key, _, value = line.partition(" ")
            field = ("msgstr", key[len("msgstr[") : -1] if "[" in key else "0")
            current["msgstr"][field[1]] = ast.literal_eval(value)
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, tuple):
                current["msgstr"][field[1]] += value
            else:
                current[field] += value
    return entries


def test_the_compiled_catalogue_matches_the_po_file():
    """The committed .mo holds every translation of the .po (compilemessages was run)."""
    with CATALOGUE.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in _entries(CATALOGUE):
        if not entry["msgid"] or "fuzzy" in entry["flags"]:
            continue
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            found = (
                compiled.npgettext(context, entry["msgid"], entry["msgid_plural"], 1)
                if context
                else compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1)
            )
        else:
            found = (
                compiled.pgettext(context, entry["msgid"])
                if context
                else compiled.gettext(entry["msgid"])
            )
        if found != entry["msgstr"].get("0"):
            stale.append(entry["msgid"])
    assert not stale, f"run compilemessages; stale: {stale[:10]}"


def test_every_message_of_the_chinese_catalogue_is_translated_and_not_fuzzy():
    entries = [entry for entry in _entries(CATALOGUE) if entry["msgid"]]  # skip the header
    assert len(entries) > 100
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    untranslated = [
        entry["msgid"]
        for entry in entries
        if not entry["msgstr"] or any(not text.strip() for text in entry["msgstr"].values())
    ]
    assert not fuzzy, f"fuzzy entries: {fuzzy[:10]}"
    assert not untranslated, f"untranslated entries: {untranslated[:10]}"


def test_the_header_is_not_fuzzy():
    header = next(entry for entry in _entries(CATALOGUE) if entry["msgid"] == "")
    assert "fuzzy" not in header["flags"]
