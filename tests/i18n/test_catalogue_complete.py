"""Every string shown to users has a 简体中文 translation, and translations keep placeholders.

The strings are found the way `make messages` finds them (see `catalogue.py`), so a string added
to a template or a Python file fails this test until the catalogue translates it.
"""

from __future__ import annotations

from collections import defaultdict

from .catalogue import catalogue_entries, placeholders, project_messages


def _describe(key, wheres) -> str:
    context, msgid = key
    label = f"[{context}] {msgid!r}" if context else repr(msgid)
    return f"  {label}  ({', '.join(sorted(wheres)[:3])})"


def test_every_string_shown_to_users_has_a_chinese_translation():
    entries = {entry.key: entry for entry in catalogue_entries()}
    found = defaultdict(set)
    for message in project_messages():
        found[message.key].add(message.where)
    missing = [key for key in found if key not in entries]
    fuzzy = [key for key in found if key in entries and "fuzzy" in entries[key].flags]
    empty = [
        key
        for key in found
        if key in entries and "fuzzy" not in entries[key].flags and not entries[key].is_translated
    ]
    report = []
    for title, keys in (("not in the catalogue", missing), ("fuzzy", fuzzy), ("empty", empty)):
        if keys:
            report.append(f"{len(keys)} {title}:")
            report.extend(_describe(key, found[key]) for key in sorted(keys, key=str))
    assert not report, "strings without a 简体中文 translation:\n" + "\n".join(report)


def test_plural_messages_are_translated_as_plurals():
    """A string that became plural in the source needs msgid_plural/msgstr[0] in the catalogue."""
    entries = {entry.key: entry for entry in catalogue_entries()}
    mismatched = sorted(
        {
            message.msgid
            for message in project_messages()
            if message.key in entries and entries[message.key].plural != message.plural
        }
    )
    assert not mismatched, f"plural forms differ from the source: {mismatched}"


def test_every_placeholder_of_a_message_appears_in_its_translation():
    """A translation that drops `%(name)s` or `{name}` silently loses the value it showed."""
    lost = []
    for entry in catalogue_entries():
        if not entry.msgid or not entry.is_translated:
            continue
        # Chinese has one plural form: msgstr[0] must say what the plural says.
        source = placeholders(entry.plural if entry.plural is not None else entry.msgid)
        for index, text in entry.msgstr.items():
            translated = placeholders(text)
            missing = [name for name in set(source) if translated.count(name) < 1]
            if missing:
                lost.append(f"{entry.msgid!r} -> msgstr[{index}] {text!r} lacks {missing}")
    assert not lost, "\n".join(lost)


def test_a_translation_uses_no_placeholder_the_message_does_not_fill():
    """An extra `%(name)s` in a translation raises KeyError when the page is rendered."""
    extra = []
    for entry in catalogue_entries():
        if not entry.msgid or not entry.is_translated:
            continue
        known = set(placeholders(entry.msgid)) | set(placeholders(entry.plural or ""))
        for index, text in entry.msgstr.items():
            unknown = set(placeholders(text)) - known
            if unknown:
                extra.append(f"{entry.msgid!r} -> msgstr[{index}] {text!r} adds {sorted(unknown)}")
    assert not extra, "\n".join(extra)
