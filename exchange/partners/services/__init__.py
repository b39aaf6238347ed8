"""Partner workflows: registering and keeping organisation profiles, a project's partner needs,
expressions of interest, invitations and their answers.

Services take objects and plain data, check the invariants (the forms give the friendly error first;
these are the last line, also for the CLI and the demo loader), flush and write the audit log; the caller
checks permissions and commits. Refusals raise ``exchange.errors.Refusal`` with a code and the form field
it concerns (a stale version: ``Conflict``); the request kit shows the message. The partner domain's own
codes are registered here; the common ones (required, too_long_max, unknown_theme, …) live in
``exchange.errors``.

The package: ``checks`` (the domain's shared checks), ``organisations``, ``needs``, ``partnerships``;
every name is re-exported here.
"""
from flask_babel import lazy_gettext as _l

from exchange.errors import register_messages

register_messages({
    "funder_not_co_applicant": _l("This organisation funds projects, so it cannot be a co-applicant. Choose "
                                  "another role."),
    "individual": _l("A private person cannot be registered: under the LEADER method individuals cannot be "
                     "granted support. Register the association, company or public body the person acts for."),
    "unknown_type": _l("Choose one of the offered types of organisation."),
    "no_theme": _l("Choose at least one theme."),
    "no_type": _l("Choose at least one type of organisation."),
    "not_eligible": _l("This type of organisation cannot receive LEADER support."),
    "no_language": _l("Choose at least one language."),
    "unknown_language": _l("Choose languages from the list."),
    "unknown_country": _l("Choose one of the offered countries."),
    "project_closed": _l("The project is closed: its partner needs cannot change any more."),
    "not_open_for_partners": _l("The project is not open for partners at the moment."),
    "inactive": _l("This organisation has been retired: confirm its profile first."),
    "already_linked": _l("This organisation is already a partner of the project, invited or interested."),
    "not_fundable": _l("Only an accepted contribution of money or voluntary hours can be added to the "
                       "funding plan, once."),
})

from exchange.partners.services.checks import (EXTRA_WORKING_LANGUAGES, check_themes, check_type,  # noqa: E402
                                               is_leader_project, working_languages)
from exchange.partners.services.needs import NeedInput, add_need, delete_need, update_need  # noqa: E402
from exchange.partners.services.organisations import (ContactInput, OrganisationInput,  # noqa: E402
                                                      confirm_organisation, create_organisation, delete_contact,
                                                      refresh_sort_keys, retire_organisation,
                                                      set_description_translation, update_organisation)
from exchange.partners.services.partnerships import (MONEY_SOURCE, ContributionInput,  # noqa: E402
                                                     add_to_funding_plan, answer, express_interest,
                                                     invite_organisation, is_fundable)

__all__ = ["EXTRA_WORKING_LANGUAGES", "check_themes", "check_type", "is_leader_project", "working_languages",
           "NeedInput", "add_need", "delete_need", "update_need", "ContactInput", "OrganisationInput",
           "confirm_organisation", "create_organisation", "delete_contact", "refresh_sort_keys",
           "retire_organisation", "set_description_translation", "update_organisation", "MONEY_SOURCE",
           "ContributionInput", "add_to_funding_plan", "answer", "express_interest", "invite_organisation",
           "is_fundable"]
