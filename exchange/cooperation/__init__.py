"""A municipality's international cooperation, told to citizens (issue 17): its twin towns and since
when, its policy priorities (a text of the shared content mechanism, edited by admins and coordinators),
the joint projects its partners chose to publish, the visits that took place, and the funding received.

* ``models``: twinnings (global), each municipality's cooperation profile (policy text, open-data licence);
* ``queries``: the public audience's reads (the *same* predicates as the API's anonymous requests);
* ``views/public.py``: the public pages, the Atom feed, open data, ``sitemap.xml`` (no sign-in);
* ``views/manage.py``: editing the policy text and choosing the licence (signed in).
"""
