"""Presentation helpers of the workbench, all escaping their input: a source string with its
placeholders and tags highlighted, word-level differences between two versions of a text, and the
example numbers of each plural form."""
from __future__ import annotations

import difflib
import gettext
import re

from babel.messages.plurals import get_plural
from markupsafe import Markup, escape

_TOKEN = re.compile(r"(%\([^()]*\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]"
                    r"|%%|<[^<>]*>)")
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


def highlight(text: str) -> Markup:
    """The text, escaped, with placeholders in <mark class="ph"> and HTML tags in <code class="tag">."""
    parts = []
    for piece in _TOKEN.split(text or ""):
        if not piece:
            continue
        if piece.startswith("<") and piece.endswith(">"):
            parts.append(Markup('<code class="tag">{}</code>').format(piece))
        elif piece.startswith("%") and _TOKEN.fullmatch(piece):
            parts.append(Markup('<mark class="ph">{}</mark>').format(piece))
        else:
            parts.append(escape(piece))
    return Markup("").join(parts)


def diff(old: str, new: str) -> Markup:
    """Word-level changes from ``old`` to ``new``: removed words in <del>, added ones in <ins>."""
    a, b = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Markup("<del>{}</del>").format("".join(a[i1:i2])))
        if j2 > j1:
            out.append(Markup("<ins>{}</ins>").format("".join(b[j1:j2])))
    return Markup("").join(out)


def plural_examples(locale: str, limit: int = 3, scan: int = 200) -> list[tuple[list[int], bool]]:
    """For each plural form of ``locale``: the first example numbers that use it, and whether more do."""
    rule = get_plural(locale)
    choose = gettext.c2py(rule.plural_expr)
    found: list[list[int]] = [[] for _ in range(rule.num_plurals)]
    for n in range(scan):
        index = choose(n)
        if 0 <= index < len(found):
            found[index].append(n)
    return [(numbers[:limit], len(numbers) > limit) for numbers in found]
