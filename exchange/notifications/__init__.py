"""Notifications and digests (issue 15): nobody has to poll the dashboard to learn that someone is
waiting for them.

* ``kinds``: the explicit list of notification types, their e-mail defaults per role;
* ``events``: ``notify(...)``, the one call other domains' services make, written to the outbox in their
  transaction;
* ``recipients``: who receives each type, through each recipient municipality's own scope and the
  pages' permission predicates;
* ``services``: the fan-out (the outbox handler), reading, following, preferences, unsubscribing;
* ``display``: how a notification reads, in the reader's language, when it is shown;
* ``mailing``: the mails (one at once, or daily/weekly digests), with one-click unsubscribe;
* ``schedule``: the recurring jobs (digests, follow-up reminders, stale profiles, translators, expiry);
* ``views``: the notification centre, e-mail settings, follow/unfollow, the unsubscribe page.
"""
