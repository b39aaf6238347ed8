"""Short labels and their grammatical role: a short msgid (one or two words) shared by two source files
must carry a context (``pgettext``), unless it has been checked to play one role everywhere.

Why: "Active" is "Aktivt" for a project (neuter) but "Aktiv" for an organisation in Swedish; "All" is
"Tutti" before "Stato" but "Tutte" before "Lingue" in Italian. One msgid can only have one translation, so
a label that agrees with different nouns needs a context per role. The test reads the extracted
``messages.pot`` (kept current by test_catalogs), so a new shared label fails here until someone decides.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]

# Labels checked to have one grammatical role in every file that uses them (nouns naming the same thing,
# page titles and the links to them, buttons of the same action). A label that agrees with a noun
# (adjectives, participles, "All", "none") does not belong here: give it a context instead.
ONE_ROLE = {
    # funding calls: the same field in the form, on the call's page and in the rules check; organisation
    # types shared by partner profiles and eligible applicants; headings of the same data
    "Eligible applicants", "Eligible countries", "Minimum grant", "Maximum grant", "Opens on", "Closes on",
    "Closes", "Closed", "Closes: %(when)s", "Funding calls", "Partners", "Money", "Dates", "Business",
    "Public authority", "Municipal department", "Municipal company", "Personal data",
    # the confirmation button of a destructive action (the same question everywhere)
    "Yes: %(action)s",
    # nouns: field labels, column headers and the headings of the same data
    "Name", "Municipality", "Municipalities", "Description", "Website", "Contact person", "Status", "State",
    "Phone number", "E-mail address", "Code", "Interface language", "Roles", "Role", "Theme", "Themes",
    "Works in", "Where from", "Contribution", "Currency", "Reason", "Priority areas", "Title", "Summary",
    "Source", "Amount", "Note", "Note (optional)", "Milestone", "Milestones", "Due date", "Voluntary work",
    "Ecological sustainability", "Social sustainability", "Economic sustainability", "Sustainability",
    "Field", "Your input", "Saved version", "Actions", "When", "What", "Address", "Period", "Year",
    "Programme", "Lessons learned", "Lead municipality", "Participating municipalities", "Host municipality",
    "Visiting municipalities", "Linked projects", "Purpose", "Participants", "Category", "Paid by", "Owner",
    "Project", "Project:", "The project", "Visit", "Follow-up action", "Follow-up actions", "Contact people",
    "History", "Funding plan", "Translation", "Source (English)", "Strings", "First day", "Last day",
    "Second factor", "Choose…", "Original language", "Start date", "End date",
    # page and section titles, and the menu entries or links leading to them
    "Audit log", "Accounts", "Policy priorities", "Public page", "Deliveries", "Projects",
    "Partner organisations", "Visits", "Translations", "Access tokens", "My sign-ins", "Dashboard",
    "My account", "Accessibility statement", "Open data", "Knowledge-exchange visits", "Notifications",
    "E-mail settings", "Suggested partners", "All projects", "All languages", "Calendar subscription",
    "Interface catalogs", "Content queue", "Translators' languages",
    # buttons and links of one action
    "Cancel", "Sign in", "Sign out", "Show", "Edit", "Remove", "Accept", "Decline", "Answer",
    "Express interest", "Publish…",
    # the same sentence fragment about the same thing
    "Hello %(name)s,",
    "never",      # a date that never happened: last sign-in, last use of a token
    "none yet",   # participating municipalities, on the project page and its public page
    "(empty)",    # an empty translation (a string), in the editor and the list of strings
}


def shared_short_labels() -> dict[str, list[str]]:
    with open(ROOT / "translations" / "messages.pot", "rb") as f:
        catalog = read_po(f)
    shared = {}
    for message in catalog:
        if not message.id or message.context:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        files = sorted({path for path, _line in message.locations})
        if len(msgid.split()) <= 2 and len(files) > 1:
            shared[msgid] = files
    return shared


def test_a_short_label_in_two_files_has_a_context_or_one_checked_role():
    unchecked = {msgid: files for msgid, files in shared_short_labels().items() if msgid not in ONE_ROLE}
    assert unchecked == {}, ("give these labels a context (pgettext) per grammatical role, or add them to "
                             f"ONE_ROLE once every use is checked to be the same role: {unchecked}")


def test_the_list_of_checked_labels_names_only_labels_still_shared():
    stale = sorted(ONE_ROLE - set(shared_short_labels()))
    assert stale == [], f"no longer shared without context, remove from ONE_ROLE: {stale}"


@pytest.mark.parametrize("context, msgid", [("project status", "Active"), ("organisation status", "Active"),
                                            ("account status", "Active"), ("any language", "All"),
                                            ("any status", "All"), ("date range", "From"),
                                            ("source language", "From")])
def test_homonyms_have_their_contexts(context, msgid):
    with open(ROOT / "translations" / "messages.pot", "rb") as f:
        catalog = read_po(f)
    assert catalog.get(msgid, context) is not None


# --- what a reader sees ------------------------------------------------------------------------------

def _option_text(html: str, field: str) -> str:
    """The first option of a filter's select (the "all" choice)."""
    import re
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.search(r"<option[^>]*>([^<]*)</option>", select).group(1).strip()


@pytest.mark.parametrize("locale, project, account", [("sv", "Aktivt", "Aktiv"), ("de", "Aktiv", "Aktiv"),
                                                      ("it", "Attivo", "Attivo")])
def test_active_agrees_with_a_project_and_an_account(client, login_as, make_project, locale, project, account):
    from tests.fixtures.core import text_of
    make_project("kungalv", status="active", title="Solenergi på skolorna")
    login_as("kungalv", "admin")
    listing = text_of(client.get(f"/kungalv/projects/?lang={locale}"))
    assert f"{project}" in listing.split("Solenergi på skolorna", 1)[1][:200]
    users = client.get(f"/kungalv/admin/users?lang={locale}")
    assert users.status_code == 200 and account in text_of(users)


@pytest.mark.parametrize("locale, themes, languages, sources", [("sv", "Alla", "Alla", "Alla"),
                                                              ("de", "Alle", "Alle", "Alle"),
                                                              ("it", "Tutti", "Tutte", "Tutte")])
def test_all_agrees_with_the_filtered_noun(client, login_as, locale, themes, languages, sources):
    login_as("perano", "staff")
    directory = client.get(f"/perano/partners/?lang={locale}").get_data(as_text=True)
    assert _option_text(directory, "theme") == themes
    assert _option_text(directory, "language") == languages
    projects = client.get(f"/perano/projects/?lang={locale}").get_data(as_text=True)
    assert _option_text(projects, "source") == sources


@pytest.mark.parametrize("locale, retired", [("sv", "Arkiverad"), ("de", "Archiviert"), ("it", "Archiviata")])
def test_a_retired_organisation_in_the_export_agrees_with_organisation(client, login_as, make_org, locale,
                                                                        retired):
    make_org("kungalv", "Gamla föreningen", active=False)
    login_as("kungalv", "staff")
    body = client.get(f"/kungalv/partners/export.csv?retired=y&lang={locale}").get_data(as_text=True)
    assert retired in body
