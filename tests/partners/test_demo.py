"""The demo's partner organisations (issue 13): Kungälv's LEADER group, a generic local action group for
Perano (no specific GAL is named), and numbers written the way each text's language writes them."""
from __future__ import annotations

import re

from sqlalchemy import select

from exchange.extensions import db
from tests.fixtures.core import text_of


def _load_demo(app):
    from exchange.demo import load
    with app.app_context():
        list(load("exchange-demo"))
        db.session.commit()


def _organisation(in_scope, slug: str, name: str):
    from exchange.partners.models import Organisation
    with in_scope(slug) as session:
        org = session.scalar(select(Organisation).where(Organisation.name == name))
        return None if org is None else (org.id, org.type, {row.locale: row.text for row in org.texts})


def test_the_demo_names_kungalvs_leader_group_and_no_unverified_gal(app, in_scope):
    _load_demo(app)
    leader = _organisation(in_scope, "kungalv", "Leader Södra Bohuslän")
    assert leader is not None and leader[1] == "association"  # a non-profit association
    assert set(leader[2]) == {"sv", "de", "it"}
    assert _organisation(in_scope, "perano", "GAL Costa dei Trabocchi") is None
    gal = _organisation(in_scope, "perano", "Gruppo di azione locale LEADER (GAL)")
    assert gal is not None and "non è indicato" in gal[2]["it"]


def test_german_and_italian_demo_texts_group_digits_with_a_point(app, in_scope, client, login_as):
    from exchange.partners.models import Organisation
    _load_demo(app)
    for slug in ("kungalv", "hiddenhausen", "perano"):
        with in_scope(slug) as session:
            for org in session.scalars(select(Organisation)):
                for row in org.texts:
                    if row.locale in ("de", "it"):
                        assert not re.search(r"\d[ \u00a0]\d{3}\b", row.text), (org.name, row.text)
    housing = _organisation(in_scope, "kungalv", "Kungälvsbostäder AB")
    assert "2.500 Wohnungen" in housing[2]["de"] and "2\u00a0500 lägenheter" in housing[2]["sv"]
    login_as("hiddenhausen", "staff")
    assert "2.500 Wohnungen" in text_of(client.get(f"/hiddenhausen/partners/{housing[0]}?lang=de"))


def test_an_earlier_demos_gal_is_renamed_once(app, in_scope, make_org):
    make_org("perano", "GAL Costa dei Trabocchi", type="public_authority", locale="it",
             description="Gruppo di azione locale LEADER per i comuni della costa e dell'entroterra.")
    _load_demo(app)
    assert _organisation(in_scope, "perano", "GAL Costa dei Trabocchi") is None
    gal = _organisation(in_scope, "perano", "Gruppo di azione locale LEADER (GAL)")
    assert gal[1] == "other_public" and "costa" not in gal[2]["it"]
    _load_demo(app)  # loading again changes nothing
    from exchange.partners.models import Organisation
    with in_scope("perano") as session:
        names = list(session.scalars(select(Organisation.name).where(Organisation.name.like("%GAL%"))))
    assert names == ["Gruppo di azione locale LEADER (GAL)"]
