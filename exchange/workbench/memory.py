"""The workbench's offline translation memory: translated strings of the same locale whose source
resembles the one being translated (shown in the editor beside the glossary).

Similarity is rapidfuzz's token-set ratio over the words of the two sources (case and order folded):
sentences sharing most of their words rank high; single words that merely share letters ("Dashboard"
and "Password") do not reach the threshold.
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlalchemy import func, select

from exchange.extensions import db
from exchange.i18n.catalog.models import CatalogMessage, MessageState


@dataclass(frozen=True)
class Suggestion:
    msgid: str
    translation: str
    score: int  # percent


THRESHOLD = 70  # percent


def suggestions(message: CatalogMessage, limit: int = 5, threshold: int = THRESHOLD) -> list[Suggestion]:
    """An offline translation memory: the locale's translated messages whose source resembles this one."""
    source = message.msgid
    rows = db.session.execute(select(CatalogMessage.msgid, CatalogMessage.strings).where(
        CatalogMessage.locale == message.locale, CatalogMessage.state == MessageState.TRANSLATED.value,
        CatalogMessage.obsolete.is_(False), CatalogMessage.id != message.id,
        func.length(CatalogMessage.msgid).between(len(source) // 2, len(source) * 2 + 10))).all()
    translated = {msgid: strings[0] for msgid, strings in rows if strings and strings[0]}
    best = process.extract(source, list(translated), scorer=fuzz.token_set_ratio, processor=utils.default_process,
                           score_cutoff=threshold, limit=limit)
    return [Suggestion(msgid, translated[msgid], round(score)) for msgid, score, _index in best]
