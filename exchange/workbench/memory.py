"""The workbench's offline translation memory: translated strings of the same locale whose source
resembles the one being translated (shown in the editor beside the glossary)."""
from __future__ import annotations

import difflib
import heapq
from dataclasses import dataclass

from sqlalchemy import func, select

from exchange.extensions import db
from exchange.i18n.catalog.models import CatalogMessage, MessageState


@dataclass(frozen=True)
class Suggestion:
    msgid: str
    translation: str
    score: int  # percent


def suggestions(message: CatalogMessage, limit: int = 5, threshold: float = 0.55) -> list[Suggestion]:
    """An offline translation memory: the locale's translated messages whose source resembles this one."""
    source = message.msgid
    rows = db.session.execute(select(CatalogMessage.msgid, CatalogMessage.strings).where(
        CatalogMessage.locale == message.locale, CatalogMessage.state == MessageState.TRANSLATED.value,
        CatalogMessage.obsolete.is_(False), CatalogMessage.id != message.id,
        func.length(CatalogMessage.msgid).between(len(source) // 2, len(source) * 2 + 10)))
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(source.lower())
    scored = []
    for msgid, strings in rows:
        matcher.set_seq1(msgid.lower())
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            continue
        ratio = matcher.ratio()
        if ratio >= threshold and strings and strings[0]:
            scored.append((ratio, msgid, strings[0]))
    best = heapq.nlargest(limit, scored, key=lambda item: item[0])
    return [Suggestion(msgid, text, round(ratio * 100)) for ratio, msgid, text in best]
