"""The translators' workbench: the live interface catalogs (edited, checked, approved and published in
the app, served by every worker) and the queue of user-written content waiting for a translation."""
