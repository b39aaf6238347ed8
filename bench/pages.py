"""The key pages of issue 12, as URLs over a database filled by bench.generate, and the account that
reads them. Shared by the benchmark (bench/__main__.py) and its smoke test (tests/test_bench.py), so the
test proves that every page the benchmark times renders."""
from __future__ import annotations

from dataclasses import dataclass

SLUG = "kungalv"
PASSWORD = "bench-password-12"
# A town of the generated network with few visits at every size (4 at 100 rows, 600 at 100 000; Kungälv
# has 36 000): a list that tests each row it walks for the reader's own finds Kungälv's at once, but walks
# the whole network for a small town's. Some pages are timed as its reader too.
SMALL_TOWN = "town-30"


def email(slug: str) -> str:
    return f"bench@{slug}.example"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    export: bool = False
    reader: str = SLUG  # the municipality of the account that reads the page


def prepare(app) -> dict[str, int]:
    """The benchmark's accounts (staff, coordinator and translator of Kungälv and of the small town: every
    key page is open to them, no second factor) and the ids of the objects whose pages are timed. The
    objects are the demo's, loaded before the generated rows, so the same object is timed at every size."""
    from sqlalchemy import select

    from exchange.auth.models import Role
    from exchange.calls.models import FundingCall
    from exchange.auth.services import create_user, find_by_email
    from exchange.extensions import db
    from exchange.municipalities.queries import by_slug
    from exchange.partners.models import Organisation
    from exchange.projects.models import Project
    from exchange.tenancy import municipality_scope
    from exchange.visits.models import Visit

    with app.app_context():
        small, town = by_slug(SMALL_TOWN), by_slug(SLUG)
        small_id = small.id
        for reader in (small, town):
            with municipality_scope(reader):
                if find_by_email(email(reader.slug)) is None:
                    create_user(email(reader.slug), "Bench Mark", {Role.STAFF, Role.COORDINATOR, Role.TRANSLATOR},
                                password=PASSWORD)
                db.session.commit()
        with municipality_scope(town):
            project = db.session.scalar(select(Project.id).where(Project.lead_municipality_id == town.id,
                                                                 Project.status != "draft").order_by(Project.id))
            organisation = db.session.scalar(select(Organisation.id).where(Organisation.municipality_id == town.id)
                                             .order_by(Organisation.id))
            visit = db.session.scalar(select(Visit.id).where(Visit.host_municipality_id == town.id)
                                      .order_by(Visit.id))
            # a funding call of the demo (shared by every town): its page lists the projects that fit it
            call = db.session.scalar(select(FundingCall.id).order_by(FundingCall.id))
            db.session.commit()
    return {"project": project, "organisation": organisation, "visit": visit, "call": call, "small town": small_id}


def sign_in(client, slug: str = SLUG) -> None:
    response = client.post(f"/{slug}/login", data={"email": email(slug), "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"the benchmark account could not sign in ({response.status_code})")


def key_pages(ids: dict[str, int]) -> list[Page]:
    """Every key page of issue 12, with the query strings a user would send."""
    s, p, o, v = f"/{SLUG}", ids["project"], ids["organisation"], ids["visit"]
    return [
        Page("dashboard", f"{s}/"),
        Page("project list", f"{s}/projects/"),
        Page("project search", f"{s}/projects/?q=skola"),
        Page("projects by title", f"{s}/projects/?sort=title"),
        Page("project detail", f"{s}/projects/{p}"),
        Page("project plan", f"{s}/projects/{p}/plan"),
        Page("partner directory", f"{s}/partners/"),
        Page("partner search", f"{s}/partners/?q=f%C3%B6rening"),
        Page("partner profile", f"{s}/partners/{o}"),
        Page("project → partners", f"{s}/partners/projects/{p}/suggestions"),
        Page("partner → projects", f"{s}/partners/{o}/projects"),
        Page("visit list", f"{s}/visits/"),
        Page("visit detail", f"{s}/visits/{v}"),
        Page("calendar", f"{s}/visits/calendar"),
        Page("lessons", f"{s}/visits/lessons?q=skola"),
        Page("reports", f"{s}/visits/reports"),
        Page("workbench overview", f"{s}/workbench/"),
        Page("workbench strings", f"{s}/workbench/sv/strings"),
        Page("workbench queue", f"{s}/workbench/queue"),
        # Funding calls (issue 16): the list, open calls closing within 30 days, a call with the projects
        # that fit it; the rules check is on the project detail page above (demo projects are linked).
        Page("calls list", f"{s}/calls/"),
        Page("calls closing soon", f"{s}/calls/?state=open&closing_within=30"),
        Page("call detail", f"{s}/calls/{ids['call']}"),
        # A small town's reader: its dashboard, its lessons and the list of its own visits (issue 12)
        Page("dashboard (small town)", f"/{SMALL_TOWN}/", reader=SMALL_TOWN),
        Page("lessons (small town)", f"/{SMALL_TOWN}/visits/lessons?q=skola", reader=SMALL_TOWN),
        Page("own visits (small town)", f"/{SMALL_TOWN}/visits/?municipality={ids['small town']}", reader=SMALL_TOWN),
        Page("projects.csv", f"{s}/projects/export.csv", export=True),
        Page("partners.csv", f"{s}/partners/export.csv", export=True),
        Page("visits.csv", f"{s}/visits/reports/visits.csv", export=True),
        Page("follow-ups.csv", f"{s}/visits/reports/follow-ups.csv", export=True),
    ]
