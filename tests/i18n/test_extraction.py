"""The pure-Python extraction and .po reader agree with GNU gettext and `makemessages`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .catalogue import (
    CATALOGUE,
    ROOT,
    catalogue_entries,
    parse_po,
    placeholders,
    project_messages,
    python_messages,
    template_messages,
)

PO_SAMPLE = r"""# A header comment
msgid ""
msgstr ""
"Language: zh_Hans\n"
"Plural-Forms: nplurals=1; plural=0;\n"

#: a.py:1
#, python-format
msgid ""
"A long message "
"with \"quotes\" and a %(name)s\n"
msgstr "一条"
"长消息 %(name)s\n"

msgctxt "verb"
msgid "Order"
msgstr "下单"
#, fuzzy
msgid "Stale"
msgstr "旧的"

msgid "One item"
msgid_plural "%(count)s items"
msgstr[0] "%(count)s 件"

msgid "Untranslated"
msgstr ""

#~ msgid "Gone"
#~ msgstr "已删除"
"""


def test_the_po_reader_handles_multi_line_strings_contexts_plurals_flags_and_obsolete_entries():
    entries = {entry.key: entry for entry in parse_po(PO_SAMPLE)}
    assert (None, "") in entries  # the header
    long = entries[(None, 'A long message with "quotes" and a %(name)s\n')]
    assert long.msgstr == {0: "一条长消息 %(name)s\n"} and long.is_translated
    assert "python-format" in long.flags
    assert entries[("verb", "Order")].msgstr == {0: "下单"}
    stale = entries[(None, "Stale")]
    assert "fuzzy" in stale.flags and not stale.is_translated
    plural = entries[(None, "One item")]
    assert plural.plural == "%(count)s items" and plural.msgstr == {0: "%(count)s 件"}
    assert not entries[(None, "Untranslated")].is_translated
    assert (None, "Gone") not in entries


def test_the_po_reader_refuses_a_line_it_cannot_read():
    with pytest.raises(ValueError, match="line 2"):
        parse_po('msgid "a"\nmsgstr oops\n')


def test_templates_give_translate_blocktranslate_contexts_plurals_and_literal_arguments():
    source = """{% load i18n %}
<h1>{% translate "Plan" %}</h1>
<p>{% translate 'Order' context "verb" %}</p>
{% blocktranslate trimmed with name=product.title %}
  Restock {{ name }} at 50%
{% endblocktranslate %}
{% blocktranslate count counter=items|length context "stock" %}One unit{% plural %}\
{{ counter }} units{% endblocktranslate %}
{{ value|default:_("none") }}
{# Translators: not a call gettext('Hidden') #}
<p>gettext('not a call: blanked out')</p>
"""
    found = {(m.context, m.msgid, m.plural) for m in template_messages(source, where="t.html")}
    assert found == {
        (None, "Plan", None),
        ("verb", "Order", None),
        (None, "Restock %(name)s at 50%%", None),
        ("stock", "One unit", "%(counter)s units"),
        (None, "none", None),
    }


def test_python_files_give_every_gettext_keyword_with_literal_arguments():
    source = """
from django.utils.translation import gettext_lazy as _, ngettext, npgettext_lazy, pgettext
from django.utils import translation

A = _("Products")
B = translation.gettext("Reviews " "and more")
C = pgettext("month name", "May")
D = ngettext("%(n)s job", "%(n)s jobs", 2)
E = npgettext_lazy("stock", "%(n)s unit", "%(n)s units", "n")
F = _(f"not {A} extracted")
G = _(variable)
H = gettext_noop("Queued")
"""
    found = {(m.context, m.msgid, m.plural) for m in python_messages(source, where="m.py")}
    assert found == {
        (None, "Products", None),
        (None, "Reviews and more", None),
        ("month name", "May", None),
        (None, "%(n)s job", "%(n)s jobs"),
        ("stock", "%(n)s unit", "%(n)s units"),
        (None, "Queued", None),
    }


def test_placeholders_are_named_positional_and_brace_fields_but_not_percent_signs():
    assert placeholders("%(count)s of %(total)d, %s and {name} at 50%% or 20 % before") == [
        "%(count)",
        "%(total)",
        "%s",
        "{name}",
    ]


def test_the_catalogue_is_read_completely():
    entries = catalogue_entries()
    text = CATALOGUE.read_text(encoding="utf-8")
    assert len(entries) == len(re.findall(r'^msgid "', text, flags=re.MULTILINE))
    assert any(entry.plural for entry in entries)
    assert any(entry.context for entry in entries)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_extraction_finds_exactly_what_makemessages_finds(tmp_path):
    """Run `makemessages` (as `make messages` does) in a copy of the project, never in place."""
    copy = tmp_path / "project"
    top_level_skipped = {".git", ".venv", "var", "locale", "node_modules"}
    shutil.copytree(
        ROOT,
        copy,
        ignore=lambda directory, names: [
            name
            for name in names
            if name == "__pycache__" or (Path(directory) == ROOT and name in top_level_skipped)
        ],
    )
    (copy / "locale").mkdir()
    catalogue_before = CATALOGUE.read_bytes()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "ecomops.settings_test"}
    environment.pop("PYTHONPATH", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location"]
        + [f"--ignore={name}" for name in (".venv", "var", "bench", "tests", "e2e")],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert CATALOGUE.read_bytes() == catalogue_before
    produced = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    theirs = {entry.key: entry.plural for entry in catalogue_entries(produced) if entry.msgid}
    ours = {message.key: message.plural for message in project_messages(copy)}
    assert set(ours) - set(theirs) == set()
    assert set(theirs) - set(ours) == set()
    assert ours == theirs
