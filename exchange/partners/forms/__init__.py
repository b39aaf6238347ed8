"""Partner forms. Labels, choices and messages are lazy-translated; choices are filled in ``__init__``
from the taxonomy, the configuration and scoped queries (never at import).

Every form turns into service input one way, ``to_input()``; an edit form fills itself from the saved
object one way, ``data_of(obj)`` (the same mapping the request kit shows beside the user's input on a
conflict), through ``filled()``. Ids are read through the kit's fields (``.ids``, ``.id_value``), never
with ``int()``. The package: ``common``, ``organisations``, ``projects``; every name is re-exported here.
"""
from exchange.partners.forms.common import (CHOOSE, chosen, currencies, filled, organisation_type,
                                            organisation_types, required_with, theme_choices,
                                            working_language_choices)
from exchange.partners.forms.organisations import DirectoryForm, OrganisationForm, StatusForm
from exchange.partners.forms.projects import AnswerForm, FundingForm, InterestForm, InviteForm, NeedForm

__all__ = ["CHOOSE", "chosen", "currencies", "filled", "organisation_type", "organisation_types", "required_with",
           "theme_choices", "working_language_choices", "DirectoryForm", "OrganisationForm", "StatusForm",
           "AnswerForm", "FundingForm", "InterestForm", "InviteForm", "NeedForm"]
