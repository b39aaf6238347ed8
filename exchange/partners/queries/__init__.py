"""Reads of partner organisations: the directory, profiles, a project's needs and partnerships, suggestions
both ways, dashboard work lists.

Visibility is never filtered here (the tenancy scope does it: every profile is visible to the network; a
project's needs and partnerships go with the project). The filters are the reader's choices.

The package: ``directory`` (organisations), ``projects`` (a project's partner side and work lists),
``suggestions`` (matching both ways); every name is re-exported here.
"""
from exchange.partners.queries.directory import (DirectoryFilters, contacts_of, directory, directory_page,
                                                 get_organisation, own_active_organisations, person_contacts,
                                                 profile_options, stale_organisations)
from exchange.partners.queries.projects import (get_need, get_partnership, get_project, interests_to_answer,
                                                invitations_to_answer, need_options, needs_of_project,
                                                open_projects_led_by, partnerships_of_organisation,
                                                partnerships_of_project, project_options)
from exchange.partners.queries.suggestions import (BATCH, SUGGESTIONS, candidate_of, load_candidates,
                                                   project_profile, suggestions_for_organisation,
                                                   suggestions_for_project, suggestions_per_need)

__all__ = ["DirectoryFilters", "contacts_of", "directory", "directory_page", "get_organisation",
           "own_active_organisations", "person_contacts",
           "profile_options", "stale_organisations", "get_need", "get_partnership", "get_project",
           "interests_to_answer", "invitations_to_answer", "need_options", "needs_of_project",
           "open_projects_led_by", "partnerships_of_organisation", "partnerships_of_project", "project_options",
           "BATCH", "SUGGESTIONS", "candidate_of", "load_candidates", "project_profile",
           "suggestions_for_organisation", "suggestions_for_project", "suggestions_per_need"]
