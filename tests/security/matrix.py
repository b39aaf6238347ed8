"""Routes as URLs: every rule of ``app.url_map`` with its parameters filled from the seeded world
(tests/fixtures/security.py), and the expectations written from DESIGN.md §1 and §4."""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import sqlalchemy as sa
from werkzeug.routing.converters import AnyConverter

from tests.fixtures.security import ANONYMOUS, Group, Who, World

# Parameters that name an object of the world (filled from a group, or a missing id when no group has it).
OBJECT_PARAMS = {"project_id", "visit_id", "organisation_id", "partnership_id", "need_id", "participation_id",
                 "child_id", "milestone_id", "contact_id", "user_id", "token_id", "subject_id", "row_id",
                 "type_name", "call_id"}
MISSING_ID = 987654
# Fixed values of the other parameters.
FIXED = {"lang": "sv", "locale": "de", "dataset": "projects", "fmt": "csv", "session_id": MISSING_ID,
         "notification_id": MISSING_ID, "message_id": 1, "change_id": MISSING_ID}
SKIPPED = {"static"}

# Who may use a page at all, by role (DESIGN.md §1: admins manage accounts and settings, coordinators run
# the twinning work, translators the catalogs). Everyone else gets 403 (or 404).
ADMINS = {"tenant.auth.users", "tenant.auth.invite_user", "tenant.auth.edit_user", "tenant.auth.deactivate_user",
          "tenant.auth.reinvite_user", "tenant.auth.reactivate_user", "tenant.auth.reset_two_factor",
          "tenant.audit.log", "tenant.jobs.deliveries", "tenant.jobs.retry", "tenant.workbench.translators",
          "tenant.workbench.translator_locales", "tenant.visits.settings",
          "tenant.municipalities.edit_identity"}
TRANSLATORS = {"tenant.workbench.overview", "tenant.workbench.import_po", "tenant.workbench.export",
               "tenant.workbench.publish", "tenant.workbench.strings", "tenant.workbench.editor",
               "tenant.workbench.approve", "tenant.workbench.revert", "tenant.workbench.queue",
               "tenant.workbench.translate_content"}
EDITORS_ONLY = {"tenant.visits.create", "tenant.visits.subscription", "tenant.privacy.personal_data",
                "tenant.visits.personal_data",
                "tenant.privacy.personal_data_erase", "tenant.privacy.personal_data_export",
                "tenant.cooperation.manage", "tenant.cooperation.save", "tenant.calls.new", "tenant.calls.edit"}
# Pages of a visit that show or change its details (the visit's existence is visible to the network).
DETAIL_ENDPOINTS = {"tenant.workbench.translate_content", "tenant.visits.edit_child", "tenant.visits.add_child",
                    "tenant.visits.remove_child", "tenant.visits.lessons_edit", "tenant.visits.follow_up_status"}


def role_allows(endpoint: str, who: Who) -> bool:
    if endpoint in ADMINS:
        return who.role == "admin"
    if endpoint in TRANSLATORS:
        return who.role in ("translator", "admin")
    if endpoint in EDITORS_ONLY:
        return who.role in ("coordinator", "admin")
    return True


@dataclass
class Target:
    url: str
    endpoint: str
    method: str
    group: Group | None
    slug: str | None   # the municipality of the URL (None: not a tenant page)

    def exists_for(self, slug: str) -> bool:
        """The municipality's scope finds the object (otherwise: 404)."""
        return self.group is None or slug in self.group.visible_to

    def visible_to(self, slug: str) -> bool:
        """The municipality may read what this page shows of the object (a visit's details: host and
        visitors only)."""
        if self.group is None:
            return True
        seen = self.group.details_for if self.endpoint in DETAIL_ENDPOINTS else self.group.visible_to
        return slug in seen


def _any_items(rule, arg) -> list[str] | None:
    converter = rule._converters.get(arg)
    return sorted(converter.items) if isinstance(converter, AnyConverter) else None


def targets(app, world: World, slug: str, method: str) -> dict[str, list[Target]]:
    """{endpoint: [Target]} of every rule accepting ``method``, its URL on ``slug``'s pages."""
    found: dict[str, list[Target]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED or method not in rule.methods:
            continue
        args = set(rule.arguments)
        choices = {a: _any_items(rule, a) for a in args}
        any_args = sorted(a for a in args if choices[a])
        objects = sorted(args & OBJECT_PARAMS)
        urls: list[Target] = []
        for combo in itertools.product(*[choices[a] for a in any_args]) if any_args else [()]:
            values = dict(zip(any_args, combo))
            base = {"municipality": slug, "slug": slug, **{a: FIXED[a] for a in args if a in FIXED}}
            if "token" in args:
                base["token"] = world.feeds[slug] if rule.endpoint == "tenant.visits.feed" else "no-such-token"
            if not objects:
                urls.append(Target(_build(app, rule, {**base, **values}), rule.endpoint, method, None,
                                   slug if "municipality" in args else None))
                continue
            hit = False
            for group in world.groups:
                filled = {}
                for a in objects:
                    keyed = [group.params.get(f"{a}@{v}") for v in combo]
                    value = next((k for k in keyed if k is not None), group.params.get(a))
                    if value is None:
                        break
                    filled[a] = value
                else:
                    hit = True
                    urls.append(Target(_build(app, rule, {**base, **values, **filled}), rule.endpoint, method,
                                       group, slug))
            if not hit:
                missing = {a: ("Project" if a == "type_name" else MISSING_ID) for a in objects}
                urls.append(Target(_build(app, rule, {**base, **values, **missing}), rule.endpoint, method, None,
                                   slug))
        if urls:
            found[rule.endpoint] = urls
    return found


def _build(app, rule, values: dict) -> str:
    _domain, path = rule.build({k: v for k, v in values.items() if k in rule.arguments})
    return path


def body_of(response) -> str:
    return response.get_data().decode("utf-8", "replace")


def leaks(world: World, who: Who, url: str, body: str) -> list[str]:
    """The markers in ``body`` that ``who`` must not read at ``url``."""
    return [m.what for m in world.markers
            if m.text in body and (not m.may_read(who) or m.never_in(who, url))]


def effective(who: Who, target: Target) -> Who:
    """A session of one municipality is anonymous on another's pages (DESIGN.md §3); a calendar feed's
    secret URL reads as the municipality's staff."""
    if target.endpoint == "tenant.visits.feed":
        return Who(target.slug, "staff")
    if who.slug is not None and target.slug is not None and who.slug != target.slug:
        return ANONYMOUS
    return who


def fingerprint_sql(app) -> sa.TextClause:
    """One statement reading every table's row count and version sum: what any write changes."""
    from exchange.extensions import db
    volatile = {"login_sessions", "login_failures"}  # touched by every signed-in request
    parts = []
    for table in db.metadata.sorted_tables:
        if table.name in volatile:
            continue
        parts.append(f'(SELECT count(*) FROM "{table.name}")')
        if "version" in table.c:
            parts.append(f'(SELECT coalesce(sum(version), 0) FROM "{table.name}")')
    return sa.text("SELECT " + ", ".join(parts))


def fingerprint(app, statement) -> tuple:
    from exchange.extensions import db
    with app.app_context():
        return tuple(db.session.execute(statement).one())
