"""Checks on an interface translation before it is saved (DESIGN.md §5).

A translated interface string is rendered as *trusted markup* (Jinja's gettext marks it safe and then
formats the escaped variables into it), so these checks are a security boundary, not a style guide:

errors (nothing is saved)
    ``placeholders``  the named (``%(name)s``) and positional (``%s``) placeholders differ from the source
                      (each plural form is compared with the plural source);
    ``format``        the translation does not format (a stray ``%``, a wrong conversion, mixed styles);
    ``html``          a tag or attribute the source does not have; never ``script``/``style``, ``on…=``
                      or ``javascript:``; no unfinished tag; no ASCII double quote the source lacks
                      (it would end an HTML attribute the string is placed in);
    ``plural_missing`` a plural form left empty while others are filled;
    ``control``       control characters (NUL, escapes, bidirectional overrides…).
warnings (a translator may save anyway)
    ``whitespace``, ``punctuation``, ``same_as_source``, ``too_long``.

Pure functions: no Flask, no database. The views turn the codes into translated messages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

ERROR, WARNING = "error", "warning"
ERROR_CODES = ("placeholders", "format", "html", "plural_missing", "control")
WARNING_CODES = ("whitespace", "punctuation", "same_as_source", "too_long")
CODES = ERROR_CODES + WARNING_CODES

# One printf-style directive as Python's % operator understands it.
_DIRECTIVE = re.compile(
    r"%(?:\((?P<name>[^()]*)\))?(?P<flags>[#0\- +]*)(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?"
    r"[hlL]?(?P<conversion>[diouxXeEfFgGcrsa%])")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# Anything a browser could start a tag, a comment or a processing instruction with.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_TAG = re.compile(r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>(?:\s+[^\s<>\"'=/]+"
                  r"(?:\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'<>=`]+))?)*)\s*(?P<selfclose>/?)>")
_ATTR = re.compile(r"(?P<name>[^\s<>\"'=/]+)(?:\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'<>=`]+)))?")
_FORBIDDEN_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "svg", "math", "base", "meta",
                             "link", "form", "template"})
_EVENT_ATTR = re.compile(r"(?:^|[\s\"'/])on[a-z]+\s*=", re.I)
_JS_URL = re.compile(r"j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:|vbscript\s*:|data\s*:\s*text/html", re.I)
_END_PUNCTUATION = ".!?:;…"


@dataclass(frozen=True)
class Problem:
    """One finding. ``form`` is the plural form index (None for a singular message)."""

    code: str
    form: int | None = None
    details: tuple[str, ...] = field(default_factory=tuple)

    @property
    def severity(self) -> str:
        return ERROR if self.code in ERROR_CODES else WARNING

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


# --- placeholders ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Placeholders:
    named: dict[str, str]          # name → conversion of its first use
    positional: tuple[str, ...]    # conversions in order
    stray: bool                    # a % that is not a directive

    def signature(self) -> tuple[frozenset[str], tuple[str, ...]]:
        return frozenset(self.named), self.positional


def placeholders(text: str) -> Placeholders:
    """The format directives of ``text`` (``%%`` is a literal percent sign and counts as none)."""
    named: dict[str, str] = {}
    positional: list[str] = []
    stray = False
    i = 0
    while True:
        i = text.find("%", i)
        if i < 0:
            break
        match = _DIRECTIVE.match(text, i)
        if match is None:
            stray = True
            i += 1
            continue
        conversion = match.group("conversion")
        if conversion != "%":
            if match.group("name") is not None:
                named.setdefault(match.group("name"), conversion)
            else:
                positional.append(conversion)
            if match.group("width") == "*" or match.group("precision") == "*":
                stray = True  # a '*' width needs an extra argument: never in our catalogs
        i = match.end()
    return Placeholders(named, tuple(positional), stray)


def sample_values(source: Placeholders) -> dict[str, object] | tuple[object, ...]:
    """Values that the source formats with: numbers for numeric conversions, words otherwise."""
    def value(conversion: str) -> object:
        if conversion in "diouxXc":
            return 1
        if conversion in "eEfFgG":
            return 1.5
        return "x"
    if source.named:
        return {name: value(conversion) for name, conversion in source.named.items()}
    return tuple(value(c) for c in source.positional)


def formats(text: str, source: Placeholders) -> bool:
    """True when ``text % values`` works with the values the source takes (as the app formats it)."""
    if placeholders(text).stray:
        return False
    try:
        values = sample_values(source)
        if isinstance(values, tuple) and not values:
            text % {}  # Jinja always formats, with an empty mapping when there are no variables
        else:
            text % values
    except (KeyError, ValueError, TypeError, IndexError):
        return False
    return True


# --- HTML --------------------------------------------------------------------------------------

def _attributes(raw: str) -> frozenset[tuple[str, str]]:
    found = set()
    for match in _ATTR.finditer(raw):
        value = next((v for v in (match.group("dq"), match.group("sq"), match.group("bare")) if v is not None), "")
        found.add((match.group("name").lower(), value))
    return frozenset(found)


def tags(text: str) -> tuple[list[tuple[str, frozenset[tuple[str, str]]]], bool]:
    """The tags of ``text`` as (name, attributes), and whether some ``<`` starts something that is not
    a complete, well-formed tag (a comment, an unfinished tag…)."""
    found = []
    malformed = False
    for start in _TAG_START.finditer(text):
        match = _TAG.match(text, start.start())
        if match is None:
            malformed = True
            continue
        found.append((match.group("name").lower(), _attributes(match.group("attrs"))))
    return found, malformed


def html_problems(source: str, text: str) -> list[str]:
    """What is wrong with the markup of ``text`` compared with ``source`` (empty when nothing)."""
    problems: list[str] = []
    source_tags, _ = tags(source)
    allowed: dict[str, set[tuple[str, str]]] = {}
    for name, attrs in source_tags:
        allowed.setdefault(name, set()).update(attrs)
    found, malformed = tags(text)
    if malformed:
        problems.append("<")
    for name, attrs in found:
        if name in _FORBIDDEN_TAGS or name not in allowed:
            problems.append(f"<{name}>")
            continue
        for attr_name, value in sorted(attrs - allowed[name]):
            problems.append(f"{attr_name}=")
    if _EVENT_ATTR.search(text) and not _EVENT_ATTR.search(source):
        problems.append("on…=")
    if _JS_URL.search(text):
        problems.append("javascript:")
    if '"' in _outside_tags(text) and '"' not in _outside_tags(source):
        problems.append('"')
    return list(dict.fromkeys(problems))


def _outside_tags(text: str) -> str:
    return _TAG.sub("", text)


# --- the whole check ---------------------------------------------------------------------------

def _sources(msgid: str, msgid_plural: str | None, count: int) -> list[str]:
    """The source each translated form is compared with: the singular for form 0, the plural for others."""
    if not msgid_plural:
        return [msgid] * count
    return [msgid] + [msgid_plural] * (count - 1)


def check(msgid: str, strings: list[str], msgid_plural: str | None = None, nplurals: int = 2,
          context: str | None = None) -> list[Problem]:
    """Every problem of the translation ``strings`` (one per plural form) of a message.

    A translation that is entirely empty has no problems: it is simply untranslated.
    """
    del context  # the context never appears in the rendered text
    plural = bool(msgid_plural)
    expected = nplurals if plural else 1
    strings = list(strings) + [""] * max(0, expected - len(strings))
    if len(strings) > expected:
        strings = strings[:expected]
    if not any(s for s in strings):
        return []
    problems: list[Problem] = []
    sources = _sources(msgid, msgid_plural, expected)
    for index, (text, source) in enumerate(zip(strings, sources)):
        form = index if plural else None
        if not text:
            problems.append(Problem("plural_missing", form))
            continue
        if _CONTROL.search(text):
            problems.append(Problem("control", form))
        source_ph, text_ph = placeholders(source), placeholders(text)
        if text_ph.signature() != source_ph.signature():
            missing = sorted(set(source_ph.named) - set(text_ph.named))
            extra = sorted(set(text_ph.named) - set(source_ph.named))
            details = tuple([f"-%({n})s" for n in missing] + [f"+%({n})s" for n in extra])
            if text_ph.positional != source_ph.positional:
                details += (f"{len(source_ph.positional)}→{len(text_ph.positional)}",)
            problems.append(Problem("placeholders", form, details))
        if not formats(text, source_ph):
            problems.append(Problem("format", form))
        markup = html_problems(source, text)
        if markup:
            problems.append(Problem("html", form, tuple(markup)))
        problems.extend(_warnings(source, text, form))
    return problems


def _warnings(source: str, text: str, form: int | None) -> list[Problem]:
    found = []
    if (source[:1].isspace(), source[-1:].isspace()) != (text[:1].isspace(), text[-1:].isspace()):
        found.append(Problem("whitespace", form))
    if _end_mark(source) != _end_mark(text):
        found.append(Problem("punctuation", form))
    if text == source and re.search(r"[A-Za-z]{3}", re.sub(r"%\([^)]*\)\w|<[^>]*>", "", source)):
        found.append(Problem("same_as_source", form))
    if len(text) > 2 * len(source) + 20:
        found.append(Problem("too_long", form))
    return found


def _end_mark(text: str) -> str:
    stripped = text.rstrip()
    if stripped.endswith("..."):
        return "…"
    last = stripped[-1:]
    return last if last and last in _END_PUNCTUATION else ""


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_error]


def normalise(text: str) -> str:
    """Browsers send textarea line breaks as CRLF; catalogs use LF."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def word_count(text: str) -> int:
    """Words of a source text, for the overview (placeholders and tags are not words)."""
    return len(re.findall(r"\w+", re.sub(r"%\([^)]*\)\w|%\w|<[^>]*>", " ", text or "")))
