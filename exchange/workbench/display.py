"""What the workbench's templates show, in one place: names of content types, fields, states and checks,
the explanation of each finding of the checks, links to the owners of content, and the source string
highlighted (placeholders and tags), word-level differences and plural-form examples. Everything that
returns markup escapes its input.

Templates call these as ``h.workbench.<name>(…)`` (exposed by the views package).
"""
from __future__ import annotations

import difflib
import gettext
import re

from babel.messages.catalog import PYTHON_FORMAT
from babel.messages.plurals import get_plural
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from markupsafe import Markup, escape

from exchange.errors import message_for
from exchange.i18n.catalog.models import MessageState
from exchange.i18n.catalog.validation import Problem

TYPE_LABELS = {
    "Project": _l("Project"),
    "ProjectParticipation": _l("Contribution to a project"),
    "Organisation": _l("Partner organisation"),
    "Visit": _l("Knowledge-exchange visit"),
    "CooperationProfile": _l("Policy priorities of a municipality"),
    "FundingCall": _l("Funding call"),
    "Milestone": _l("Milestone of a project"),
    "FundingLine": _l("Funding line of a project"),
    "ProjectContact": _l("Contact person of a project"),
    "ProjectComment": _l("Comment on a project"),
    "AgendaItem": _l("Programme item of a visit"),
    "Participant": _l("Participant in a visit"),
    "FollowUp": _l("Follow-up action of a visit"),
    "OrganisationContact": _l("Contact person of a partner organisation"),
    "Cost": _l("Cost of a visit"),
    "ProjectEvent": _l("Change in a project's history"),
    "Partnership": _l("Partner organisation's interest or invitation"),
}
FIELD_LABELS = {
    "title": _l("Title"), "summary": _l("Summary"), "description": _l("Description"),
    "contribution": _l("Contribution"), "purpose": _l("Purpose"), "lessons": _l("Lessons learned"),
    "policy": _l("Policy priorities"),
    "sustainability_ecological": _l("Ecological sustainability"),
    "sustainability_social": _l("Social sustainability"),
    "sustainability_economic": _l("Economic sustainability"),
    "message": _l("Message with the invitation or the request to join"),
    "note": lazy_pgettext("funding line", "Note"), "role": lazy_pgettext("person", "Role"), "body": _l("Comment"),
    "location": _l("Place"), "organisation": _l("Organisation or department"), "action": _l("Follow-up action"),
    "reason": _l("Reason for the change"),
    "decision_reason": _l("Reason given with the answer to an interest or an invitation"),
}
# The page that shows each kind of owner (the endpoints as the domains register them); a kind not listed
# here simply has no link. tests/workbench/test_queue.py builds every one of them.
OWNER_PAGES = {
    "Project": ("tenant.projects.detail", lambda o: {"project_id": o.id}),
    "ProjectParticipation": ("tenant.projects.detail", lambda o: {"project_id": o.project_id}),
    "Visit": ("tenant.visits.detail", lambda o: {"visit_id": o.id}),
    "Organisation": ("tenant.partners.profile", lambda o: {"organisation_id": o.id}),
    "CooperationProfile": ("citizen.home", lambda o: {"municipality": o.municipality.slug,
                                                      "lang": o.municipality.default_locale}),
    "FundingCall": ("tenant.calls.detail", lambda o: {"call_id": o.id}),
    "Milestone": ("tenant.projects.detail", lambda o: {"project_id": o.project_id, "_anchor": "h-milestones"}),
    "FundingLine": ("tenant.projects.detail", lambda o: {"project_id": o.project_id, "_anchor": "h-funding"}),
    "ProjectContact": ("tenant.projects.detail", lambda o: {"project_id": o.project_id, "_anchor": "h-contacts"}),
    "ProjectComment": ("tenant.projects.detail", lambda o: {"project_id": o.project_id,
                                                            "_anchor": f"comment-{o.id}"}),
    "AgendaItem": ("tenant.visits.detail", lambda o: {"visit_id": o.visit_id, "_anchor": "programme"}),
    "Participant": ("tenant.visits.detail", lambda o: {"visit_id": o.visit_id, "_anchor": "participants"}),
    "FollowUp": ("tenant.visits.detail", lambda o: {"visit_id": o.visit_id, "_anchor": "follow-ups"}),
    "OrganisationContact": ("tenant.partners.profile", lambda o: {"organisation_id": o.organisation_id,
                                                                  "_anchor": "h-contact"}),
    "Cost": ("tenant.visits.detail", lambda o: {"visit_id": o.visit_id, "_anchor": "costs"}),
    "ProjectEvent": ("tenant.projects.detail", lambda o: {"project_id": o.project_id, "_anchor": "h-history"}),
    # The section of the partners page that lists the link: waiting, declined (with its reason) or partners.
    "Partnership": ("tenant.partners.project", lambda o: {"project_id": o.project_id, "_anchor": (
        "h-pending" if o.is_pending else "h-declined" if o.status == "declined" else "h-partners")}),
}
CHECK_LABELS = {
    "placeholders": _l("Placeholders differ from the source"),
    "format": _l("Does not format"),
    "html": _l("HTML not in the source"),
    "plural_missing": _l("Plural form missing"),
    "control": _l("Control characters"),
    "whitespace": _l("Leading or trailing space"),
    "punctuation": _l("Punctuation at the end differs"),
    "same_as_source": _l("Same as the source"),
    "too_long": _l("Much longer than the source"),
}


# --- names ---------------------------------------------------------------------------------------

def type_label(name: str) -> str:
    return str(TYPE_LABELS.get(name, name))


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def state_label(value: str) -> str:
    return MessageState(value).label


def check_label(code: str) -> str:
    """The short name of a check (filters, badges, the import report)."""
    return str(CHECK_LABELS[code])


def reason_label(code: str) -> str:
    """Why an entry of an import was refused (a refusal code)."""
    return message_for(code)


def problem_message(problem: Problem) -> str:
    """The translated explanation of one finding of the checks, shown beside its field."""
    details = ", ".join(problem.details)
    return {
        "placeholders": lambda: _("The placeholders differ from the source (%(details)s). Keep every placeholder, "
                                  "such as %(example)s, exactly as it is written in the source.",
                                  details=details or "%", example="%(name)s"),
        "format": lambda: _("The translation cannot be filled in. Check the placeholders, and write a percent "
                            "sign as %(double)s.", double="%%"),
        "html": lambda: _("HTML that the source does not have is not allowed: %(details)s.", details=details),
        "plural_missing": lambda: _("Fill in this plural form."),
        "control": lambda: _("Remove the invisible control characters from this text."),
        "whitespace": lambda: _("The spaces at the start or the end differ from the source."),
        "punctuation": lambda: _("The punctuation at the end differs from the source."),
        "same_as_source": lambda: _("The translation is the same as the source."),
        "too_long": lambda: _("The translation is much longer than the source."),
    }[problem.code]()


# --- content owners ------------------------------------------------------------------------------

# The owners whose title names a content owner without one of its own (owner_title), nearest first.
OWNER_PARENTS = ("project", "visit", "organisation", "municipality")


def owner_title(owner, locale: str) -> str:
    """A short name of a content owner, whatever its type. A text that hangs off another owner (a
    milestone, a participant's role…) is named by that owner: its own name may be personal data."""
    parent = getattr(owner, "content_parent", None)
    if parent is not None:
        return owner_title(getattr(owner, parent), locale)
    if "title" in getattr(owner, "TRANSLATABLE_FIELDS", ()):
        return owner.plain("title", locale)
    for attribute in ("name", "title"):
        value = getattr(owner, attribute, None)
        if isinstance(value, str) and value:
            return value
    for parent in OWNER_PARENTS:
        value = getattr(owner, parent, None)
        if value is not None and value is not owner:
            return owner_title(value, locale)
    return f"#{owner.id}"


def owner_url(type_name: str, owner) -> str | None:
    """The owner's own page, or None for a kind of content without one."""
    endpoint, arguments = OWNER_PAGES.get(type_name, (None, None))
    if endpoint is None or endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **arguments(owner))


# --- source strings ------------------------------------------------------------------------------

_TAG = re.compile(r"(<[^<>]*>)")  # presentation only: the checks read markup with an HTML parser
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


def highlight(text: str) -> Markup:
    """The text, escaped, with placeholders (as Babel reads them) in <mark class="ph"> and HTML tags in
    <code class="tag">."""
    parts = []
    for piece in _TAG.split(text or ""):
        if _TAG.fullmatch(piece):
            parts.append(Markup('<code class="tag">{}</code>').format(piece))
            continue
        last = 0
        for match in PYTHON_FORMAT.finditer(piece):
            parts.append(escape(piece[last:match.start()]))
            parts.append(Markup('<mark class="ph">{}</mark>').format(match.group(0)))
            last = match.end()
        parts.append(escape(piece[last:]))
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


def plural_labels(message) -> list[str]:
    """The label of each text area of the editor: one per plural form, with example numbers."""
    if not message.is_plural:
        return [_("Translation")]
    labels = []
    for numbers, more in plural_examples(message.locale):
        shown = ", ".join(str(n) for n in numbers) + (", …" if more else "")
        labels.append(_("Plural form for n = %(numbers)s", numbers=shown))
    return labels


HELPERS = dict(type_label=type_label, field_label=field_label, state_label=state_label, check_label=check_label,
               reason_label=reason_label, owner_title=owner_title, owner_url=owner_url, highlight=highlight,
               diff=diff)
