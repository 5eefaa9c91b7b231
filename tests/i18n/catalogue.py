"""The translatable strings of the project and the 简体中文 catalogue, both read in pure Python.

`make messages` needs GNU gettext (xgettext, msgmerge); these helpers do not, so the
completeness test runs on a bare machine. They extract what `manage.py makemessages` would:
templates go through Django's own `templatize` (what makemessages feeds to xgettext), Python
files through `ast`, and both look for the same keywords makemessages passes to xgettext.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# `make messages` ignores .venv, var, bench and tests (Makefile I18N_IGNORE); migrations and the
# browser journeys (e2e/) hold nothing shown to users. Hidden directories (.git, .ruff_cache)
# are skipped by makemessages itself.
IGNORED_DIRECTORIES = frozenset(
    {".venv", "var", "bench", "tests", "e2e", "migrations", "node_modules", "__pycache__"}
)
TEMPLATE_SUFFIXES = frozenset({".html", ".txt"})

# keyword -> positions of (context, singular, plural) among the call's arguments, as in the
# `--keyword=` options of makemessages plus xgettext's own defaults for Python.
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


@dataclass(frozen=True)
class Message:
    """One translatable string as found in the source."""

    msgid: str
    context: str | None = None
    plural: str | None = None
    where: str = ""

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


@dataclass
class Entry:
    """One entry of a .po file."""

    msgid: str = ""
    context: str | None = None
    plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)

    @property
    def is_translated(self) -> bool:
        """Gettext uses an entry only when it is not fuzzy and every form has a text."""
        return (
            "fuzzy" not in self.flags
            and bool(self.msgstr)
            and all(text.strip() for text in self.msgstr.values())
        )


# --- Source files ------------------------------------------------------------------------------


def source_files(root: Path = ROOT) -> Iterator[Path]:
    """Python files and templates makemessages would read, in a stable order."""
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part in IGNORED_DIRECTORIES or part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and (path.suffix == ".py" or path.suffix in TEMPLATE_SUFFIXES):
            yield path


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def python_messages(source: str, *, where: str = "") -> list[Message]:
    """Calls of the gettext family with literal arguments, found with `ast`."""
    messages = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if name not in KEYWORDS:
            continue
        values = [_literal(argument) for argument in node.args]
        message = _message(name, values, where=f"{where}:{node.lineno}")
        if message:
            messages.append(message)
    return messages


def _message(name: str, values: list[str | None], *, where: str) -> Message | None:
    context_at, singular_at, plural_at = KEYWORDS[name]
    needed = [at for at in (context_at, singular_at, plural_at) if at is not None]
    if len(values) <= max(needed) or any(values[at] is None for at in needed):
        return None
    return Message(
        msgid=values[singular_at],
        context=values[context_at] if context_at is not None else None,
        plural=values[plural_at] if plural_at is not None else None,
        where=where,
    )


# templatize blanks out everything but translator comments and calls such as
# ` gettext(u'Sign in') `, ` npgettext(u'ctx', u'one', u'many',count) ` or ` _("literal") `.
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>[rRuUbB]{0,2}(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"))
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<op>[(),])
      | (?P<other>\S)""",
    re.VERBOSE,
)


def templatized_messages(code: str, *, where: str = "") -> list[Message]:
    """Calls of the gettext family in the output of `templatize`, read as xgettext reads it."""
    tokens = [
        (match.lastgroup, match.group(), code.count("\n", 0, match.start()) + 1)
        for match in _TOKEN.finditer(code)
        if match.lastgroup != "comment"
    ]
    messages = []
    for index, (kind, text, line) in enumerate(tokens):
        if kind != "name" or text not in KEYWORDS or index + 1 >= len(tokens):
            continue
        if tokens[index + 1][1] != "(":
            continue
        arguments: list[list[tuple[str, str]]] = [[]]
        depth = 0
        for inner_kind, inner_text, _line in tokens[index + 2 :]:
            if inner_text == "(":
                depth += 1
            elif inner_text == ")":
                if depth == 0:
                    break
                depth -= 1
            elif inner_text == "," and depth == 0:
                arguments.append([])
                continue
            arguments[-1].append((inner_kind, inner_text))
        values = [_joined_literal(argument) for argument in arguments]
        message = _message(text, values, where=f"{where}:{line}")
        if message:
            messages.append(message)
    return messages


def _joined_literal(argument: list[tuple[str, str]]) -> str | None:
    """Adjacent string literals, concatenated as Python (and xgettext) do."""
    if not argument or any(kind != "string" for kind, _text in argument):
        return None
    return "".join(ast.literal_eval(text) for _kind, text in argument)


def template_messages(source: str, *, where: str = "") -> list[Message]:
    return templatized_messages(templatize(source, origin=where), where=where)


def project_messages(root: Path = ROOT) -> list[Message]:
    """Every translatable string of the project, with where it was found."""
    messages = []
    for path in source_files(root):
        where = str(path.relative_to(root))
        source = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            messages.extend(python_messages(source, where=where))
        else:
            messages.extend(template_messages(source, where=where))
    return messages


# --- The .po file ------------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}  # fmt: skip
_KEYWORD_LINE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def _unquote(quoted: str) -> str:
    """A C string of a .po file (`"a \\"b\\"\\n"`) as text."""
    body = quoted.strip()
    if len(body) < 2 or body[0] != '"' or body[-1] != '"':
        raise ValueError(f"not a quoted .po string: {quoted!r}")
    return re.sub(r"\\(.)", lambda match: _ESCAPES.get(match[1], match[1]), body[1:-1])


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file, header included (msgid ""), obsolete `#~` entries left out.

    Handles multi-line strings, msgctxt, msgid_plural with msgstr[n] and `#,` flags; an entry
    ends at a blank line or where the next one's comments or keywords begin.
    """
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    seen_msgstr = False

    def close() -> None:
        nonlocal current, target, seen_msgstr
        if current is not None and (seen_msgstr or current.msgid) and not current.obsolete:
            entries.append(current)
        current, target, seen_msgstr = None, None, False

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            close()
            continue
        if line.startswith("#~"):
            if current is not None and seen_msgstr:
                close()
            current = current or Entry()
            current.obsolete = True
            continue
        if line.startswith("#"):
            if current is not None and seen_msgstr:
                close()
            current = current or Entry()
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"line {number}: a string continues nothing")
            name, index = target
            value = _unquote(line)
            if name == "msgstr":
                current.msgstr[index] += value
            elif name == "msgctxt":
                current.context = (current.context or "") + value
            elif name == "msgid":
                current.msgid += value
            else:
                current.plural = (current.plural or "") + value
            continue
        match = _KEYWORD_LINE.match(line)
        if not match:
            raise ValueError(f"line {number}: cannot read {raw!r}")
        keyword, index, quoted = match[1], match[2], match[3]
        if keyword in ("msgctxt", "msgid") and seen_msgstr:
            close()
        current = current or Entry()
        value = _unquote(quoted)
        if keyword == "msgctxt":
            current.context, target = value, ("msgctxt", 0)
        elif keyword == "msgid":
            current.msgid, target = value, ("msgid", 0)
        elif keyword == "msgid_plural":
            current.plural, target = value, ("msgid_plural", 0)
        else:
            position = int(index) if index is not None else 0
            current.msgstr[position] = value
            target, seen_msgstr = ("msgstr", position), True
    close()
    return entries


def catalogue_entries(path: Path = CATALOGUE) -> list[Entry]:
    return parse_po(path.read_text(encoding="utf-8"))


# --- Placeholders ------------------------------------------------------------------------------

# Python's conversions; a space flag is left out so that "20 % before" is not `% b`.
_PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]+)\))?[-#0+]*(?:\d+|\*)?(?:\.\d+)?(?P<type>[diouxXeEfFgGcrsa%])"
)
_BRACE = re.compile(r"(?<!\{)\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:[!:][^{}]*)?\}(?!\})")


def placeholders(text: str) -> list[str]:
    """Python-format placeholders of a message, `%(name)s` and `{name}`, `%s` counted in order.

    `%%` is a literal percent sign, not a placeholder.
    """
    found = []
    for match in _PERCENT.finditer(text):
        if match["type"] == "%":
            continue
        found.append(f"%({match['name']})" if match["name"] else "%" + match["type"])
    found.extend("{" + match["name"] + "}" for match in _BRACE.finditer(text))
    return sorted(found)
