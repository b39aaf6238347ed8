"""The interface-catalog runtime (DESIGN.md §5): the live catalogs kept in the database and served by
every worker, their sync with the shipped ``.po`` files, and the checks every translation passes.

* ``models.py``: the store (CatalogMessage, CatalogChange, CatalogVersion);
* ``live.py``: serving the published catalogs through Flask-Babel (``init_app``);
* ``services.py``: edits, approvals, reverts, publication;
* ``sync.py``: the shipped catalogs, ``.po`` import and export;
* ``validation.py``: the checks (an XSS boundary: a translation is rendered as trusted markup).

The translators' workbench (exchange.workbench) is a UI on top of this package; nothing here imports it.
"""
