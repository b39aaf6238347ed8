"""Personal access tokens on the account page: created (shown once, stored hashed), listed, revoked; each
person sees and revokes only their own."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.fixtures.core import text_of


def _create(client, slug: str, name: str = "Open data portal", days: str = "90"):
    return client.post(f"/{slug}/account/tokens/", data={"name": name, "days": days})


def test_create_use_and_revoke_a_token(app, sign_in, in_scope, says):
    client = sign_in("kungalv", "staff")
    assert client.get("/kungalv/account/tokens/").status_code == 200
    response = _create(client, "kungalv")
    assert response.status_code == 201
    secret = re.search(r'id="new-token"[^>]*value="(tte_kungalv_[^"]+)"', response.get_data(as_text=True)).group(1)
    assert says(response, "Your new token. Copy it now: it is shown only this once.")
    # Only its hash is stored; the list shows its name and last characters, never the secret again.
    from exchange.api.models import ApiToken
    with in_scope("kungalv") as session:
        token = session.scalar(select(ApiToken))
        assert token.token_hash != secret and secret not in token.token_hash and token.hint == secret[-4:]
        token_id = token.id
    listing = client.get("/kungalv/account/tokens/").get_data(as_text=True)
    assert secret not in listing and "Open data portal" in listing and secret[-4:] in listing
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.application.test_client().get("/api/v1/municipalities/kungalv/projects",
                                                 headers=headers).status_code == 200
    response = client.post(f"/kungalv/account/tokens/{token_id}/revoke")
    assert response.status_code == 302
    assert app.test_client().get("/api/v1/municipalities/kungalv/projects", headers=headers).status_code == 401


def test_the_account_page_links_to_the_tokens(sign_in, says):
    response = sign_in("perano", "translator").get("/perano/account")
    assert 'href="/perano/account/tokens/"' in response.get_data(as_text=True)


def test_bad_input_is_refused_and_nothing_saved(sign_in, in_scope, tr):
    from exchange.api.models import ApiToken
    client = sign_in("hiddenhausen", "coordinator")
    for data in ({"name": "", "days": "90"}, {"name": "x" * 121, "days": "90"}, {"name": "ok", "days": "7"},
                 {"name": "bad\x00name", "days": "90"}, {"name": "ok", "days": "abc"}):
        response = client.post("/hiddenhausen/account/tokens/", data=data)
        assert response.status_code == 422, data
        assert "tte_" not in response.get_data(as_text=True)
    assert tr("de", "Choose one of the offered options.") in text_of(
        client.post("/hiddenhausen/account/tokens/", data={"name": "ok", "days": "7"}))
    with in_scope("hiddenhausen") as session:
        assert session.scalar(select(ApiToken)) is None


def test_nobody_revokes_someone_elses_token(app, sign_in, make_token):
    mine = make_token("kungalv")
    colleague = sign_in("kungalv", "admin")
    assert colleague.post(f"/kungalv/account/tokens/{mine.id}/revoke").status_code == 404
    other_town = sign_in("perano", "admin")
    assert other_town.post(f"/perano/account/tokens/{mine.id}/revoke").status_code == 404
    assert other_town.post(f"/kungalv/account/tokens/{mine.id}/revoke").status_code in (302, 404)
    assert app.test_client().get("/api/v1/municipalities/kungalv", headers=mine.headers).status_code == 200
    assert app.test_client().get("/kungalv/account/tokens/").status_code == 302  # sign in first


def test_a_revoked_token_cannot_be_revoked_again(sign_in, make_token, in_scope):
    client = sign_in("kungalv", "staff")
    _create(client, "kungalv")
    from exchange.api.models import ApiToken
    with in_scope("kungalv") as session:
        token_id = session.scalar(select(ApiToken.id))
    assert client.post(f"/kungalv/account/tokens/{token_id}/revoke").status_code == 302
    assert client.post(f"/kungalv/account/tokens/{token_id}/revoke").status_code == 403


def test_a_deactivated_owner_disables_the_token(app, make_token, in_scope):
    from sqlalchemy import update

    from exchange.api.models import ApiToken
    from exchange.auth.models import User
    token = make_token("perano")
    with in_scope("perano") as session:
        user_id = session.scalar(select(ApiToken.user_id).where(ApiToken.id == token.id))
        session.execute(update(User).where(User.id == user_id).values(active=False))
        session.commit()
    assert app.test_client().get("/api/v1/municipalities/perano", headers=token.headers).status_code == 401
