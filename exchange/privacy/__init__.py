"""One person's data across every store (a data subject's request under the GDPR): find a person by name
(and e-mail address) among the municipality's accounts, visit participants, follow-up owners, project and
organisation contact people and comments, download all of it as JSON, or erase it consistently.

Each domain answers for its own rows (``person_records``/``person_contacts``/``users_matching`` in its
queries, the erasing write in its services); this package puts them together behind one page.
"""
