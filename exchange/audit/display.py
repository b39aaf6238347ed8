"""The audit log as sentences in the reader's language ("Anna Admin invited Rosa Bianchi."), with the
object's name as it was when it happened. An action without its own sentence still reads as one."""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

# %(actor)s: who; %(object)s: the object's name. One sentence per action.
SENTENCES = {
    "user.create": _l("%(actor)s created the account of %(object)s."),
    "user.invite": _l("%(actor)s sent %(object)s an invitation link."),
    "user.invitation_accepted": _l("%(object)s set a password through the invitation link."),
    "user.login": _l("%(actor)s signed in."),
    "user.password_change": _l("%(actor)s changed their password."),
    "user.preferences": _l("%(actor)s changed their interface language."),
    "user.roles": _l("%(actor)s changed the roles of %(object)s."),
    "user.activate": _l("%(actor)s reactivated the account of %(object)s."),
    "user.deactivate": _l("%(actor)s deactivated the account of %(object)s."),
    "user.second_factor_on": _l("%(actor)s turned on a second factor."),
    "user.second_factor_off": _l("%(actor)s turned off their second factor."),
    "user.second_factor_reset": _l("%(actor)s reset the second factor of %(object)s."),
    "user.recovery_code_used": _l("%(actor)s signed in with a recovery code."),
    "user.recovery_codes_renewed": _l("%(actor)s made new recovery codes."),
    "user.session_revoke": _l("%(actor)s signed out one of their sessions."),
    "user.translator_locales": _l("%(actor)s changed the languages of translator %(object)s."),
    "project.create": _l("%(actor)s drafted the project %(object)s."),
    "project.update": _l("%(actor)s edited the project %(object)s."),
    "project.status": _l("%(actor)s changed the status of the project %(object)s."),
    "project.invite": _l("%(actor)s invited a municipality to the project %(object)s."),
    "project.request": _l("%(actor)s asked to join the project %(object)s."),
    "project.accept": _l("%(actor)s accepted a participation in the project %(object)s."),
    "project.decline": _l("%(actor)s declined a participation in the project %(object)s."),
    "project.contribution": _l("%(actor)s wrote their municipality's contribution to the project %(object)s."),
    "project.comment": _l("%(actor)s commented on the project %(object)s."),
    "project.funding_add": _l("%(actor)s added a funding line to the project %(object)s."),
    "project.funding_delete": _l("%(actor)s removed a funding line from the project %(object)s."),
    "project.contact_add": _l("%(actor)s added a contact person to the project %(object)s."),
    "project.contact_delete": _l("%(actor)s removed a contact person from the project %(object)s."),
    "project.milestone_add": _l("%(actor)s added a milestone to the project %(object)s."),
    "project.milestone_done": _l("%(actor)s marked a milestone of the project %(object)s as reached."),
    "project.milestone_open": _l("%(actor)s reopened a milestone of the project %(object)s."),
    "project.milestone_delete": _l("%(actor)s removed a milestone from the project %(object)s."),
    "project.partner_need_add": _l("%(actor)s added a partner need to the project %(object)s."),
    "project.partner_need_update": _l("%(actor)s changed a partner need of the project %(object)s."),
    "project.partner_need_delete": _l("%(actor)s removed a partner need from the project %(object)s."),
    "organisation.create": _l("%(actor)s registered the organisation %(object)s."),
    "organisation.update": _l("%(actor)s edited the profile of %(object)s."),
    "organisation.confirm": _l("%(actor)s confirmed the profile of %(object)s as up to date."),
    "organisation.retire": _l("%(actor)s retired the organisation %(object)s."),
    "organisation.translate": _l("%(actor)s translated the profile of %(object)s."),
    "organisation.contact_delete": _l("%(actor)s removed a contact person of %(object)s."),
    "partnership.invite": _l("%(actor)s invited an organisation to a project (%(object)s)."),
    "partnership.interest": _l("%(actor)s expressed an organisation's interest in a project (%(object)s)."),
    "partnership.accept": _l("%(actor)s accepted a partnership (%(object)s)."),
    "partnership.decline": _l("%(actor)s declined a partnership (%(object)s)."),
    "partnership.funding": _l("%(actor)s added a partner's contribution to the funding plan (%(object)s)."),
    "visit.create": _l("%(actor)s logged a visit (%(object)s)."),
    "visit.update": _l("%(actor)s edited a visit (%(object)s)."),
    "visit.delete": _l("%(actor)s deleted a visit (%(object)s)."),
    "visit.lessons": _l("%(actor)s wrote the lessons learned of a visit (%(object)s)."),
    "visit.agenda_add": _l("%(actor)s added a programme item to a visit (%(object)s)."),
    "visit.agenda_update": _l("%(actor)s changed a programme item of a visit (%(object)s)."),
    "visit.agenda_remove": _l("%(actor)s removed a programme item from a visit (%(object)s)."),
    "visit.participant_add": _l("%(actor)s added a participant to a visit (%(object)s)."),
    "visit.participant_update": _l("%(actor)s changed a participant of a visit (%(object)s)."),
    "visit.participant_remove": _l("%(actor)s removed a participant from a visit (%(object)s)."),
    "visit.cost_add": _l("%(actor)s added a cost to a visit (%(object)s)."),
    "visit.cost_update": _l("%(actor)s changed a cost of a visit (%(object)s)."),
    "visit.cost_remove": _l("%(actor)s removed a cost from a visit (%(object)s)."),
    "visit.follow_up_add": _l("%(actor)s added a follow-up action to a visit (%(object)s)."),
    "visit.follow_up_update": _l("%(actor)s changed a follow-up action of a visit (%(object)s)."),
    "visit.follow_up_done": _l("%(actor)s marked a follow-up action of a visit as done (%(object)s)."),
    "visit.follow_up_reopen": _l("%(actor)s reopened a follow-up action of a visit (%(object)s)."),
    "visit.follow_up_remove": _l("%(actor)s removed a follow-up action from a visit (%(object)s)."),
    "visit.feed_create": _l("%(actor)s created a calendar subscription address."),
    "visit.feed_revoke": _l("%(actor)s revoked a calendar subscription address."),
    "visit.person_exported": _l("%(actor)s exported one person's data from the visits."),
    "visit.person_erased": _l("%(actor)s erased one person's data from the visits."),
    "person.exported": _l("%(actor)s exported everything stored about one person."),
    "person.erased": _l("%(actor)s erased one person's data from every record the municipality holds."),
    "visit.retention": _l("%(actor)s changed how long participants' names are kept."),
    "visit.retention_anonymised": _l("Participants' names past the retention period were anonymised."),
    "content.translate": _l("%(actor)s translated a text (%(object)s)."),
    "catalog.edit": _l("%(actor)s translated an interface text."),
    "catalog.revert": _l("%(actor)s went back to an earlier translation of an interface text."),
    "catalog.approve": _l("%(actor)s approved the translation of an interface text."),
    "catalog.publish": _l("%(actor)s published the interface translations."),
    "catalog.import": _l("%(actor)s imported a catalog file."),
    "audit.pruned": _l("Entries older than the retention period were removed from this log."),
}

# The groups of the filter: the first part of the action's code.
AREAS = {
    "user": lazy_pgettext("audit area", "Accounts"),
    "project": lazy_pgettext("audit area", "Projects"),
    "organisation": lazy_pgettext("audit area", "Partner organisations"),
    "partnership": lazy_pgettext("audit area", "Partnerships"),
    "visit": lazy_pgettext("audit area", "Visits"),
    "content": lazy_pgettext("audit area", "Translations of texts"),
    "catalog": lazy_pgettext("audit area", "Interface translations"),
    "audit": lazy_pgettext("audit area", "Audit log"),
}


def sentence(entry) -> str:
    """The entry as a sentence in the reader's language."""
    actor = entry.actor_name or (entry.actor.name if entry.actor else gettext("The system"))
    subject = entry.object_label or (f"#{entry.object_id}" if entry.object_id else "")
    template = SENTENCES.get(entry.action)
    if template is None:
        return gettext("%(actor)s: %(action)s (%(object)s).", actor=actor, action=entry.action, object=subject)
    return str(template) % {"actor": actor, "object": subject}
