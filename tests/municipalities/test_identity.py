"""Each municipality's identity (issue 14, point 8): its admins set a colour (dark enough for the header's
white text) and upload a coat of arms; every page of the municipality shows both; nobody else can change
them; a stale form is a 409."""
from __future__ import annotations

import io
import re

from tests.fixtures.core import text_of

# The smallest valid PNG (1×1 pixel) and a file that only claims to be one.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5a0000000049454e44ae426082")


def _version(client, slug="kungalv") -> str:
    page = client.get(f"/{slug}/admin/identity").get_data(as_text=True)
    return re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)


def test_the_admin_sets_a_colour_and_a_coat_of_arms_that_every_page_shows(client, login_as):
    login_as("kungalv", "admin")
    response = client.post("/kungalv/admin/identity", data={
        "accent_colour": "#00507F", "contact_email": "info@kungalv.example", "version": _version(client),
        "emblem": (io.BytesIO(PNG), "vapen.png")}, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get("/kungalv/projects/?lang=sv").get_data(as_text=True)
    css = re.search(r'href="(/kungalv/identity\.css\?v=\d+)"', page).group(1)
    assert "--accent: #00507f" in client.get(css).get_data(as_text=True)
    emblem = re.search(r'<img class="emblem" src="([^"]+)" alt="([^"]+)"', page)
    assert emblem.group(2) == "Kommunvapen för Kungälv"
    image = client.get(emblem.group(1))
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data == PNG
    assert image.headers["X-Content-Type-Options"] == "nosniff"


def test_a_light_colour_or_a_false_image_is_refused_and_nothing_is_saved(client, login_as, says):
    login_as("hiddenhausen", "admin")
    version = _version(client, "hiddenhausen")
    light = client.post("/hiddenhausen/admin/identity?lang=de", data={"accent_colour": "#ffcc00",
                                                                       "version": version})
    assert light.status_code == 422 and "(Kontrast 1,5:1" in text_of(light)
    fake = client.post("/hiddenhausen/admin/identity?lang=de", data={
        "accent_colour": "#2b6a2f", "version": version,
        "emblem": (io.BytesIO(b"<svg onload=alert(1)>"), "wappen.png")}, content_type="multipart/form-data")
    assert fake.status_code == 422 and says(fake, "Upload a PNG or JPEG image.")
    bad = client.post("/hiddenhausen/admin/identity", data={"accent_colour": "red", "version": version})
    assert bad.status_code == 422
    assert "identity.css" not in client.get("/hiddenhausen/").get_data(as_text=True)
    assert client.get("/hiddenhausen/emblem").status_code == 404


def test_only_the_own_admins_change_it_and_a_stale_form_is_a_conflict(client, login_as, make_user):
    from tests.fixtures.core import login
    login_as("perano", "coordinator")
    assert client.get("/perano/admin/identity").status_code == 403
    client.post("/perano/logout")
    login_as("hiddenhausen", "admin")
    # Hiddenhausen's admin session does not reach Perano's page.
    assert client.post("/perano/admin/identity", data={"accent_colour": "#000000"}).status_code in (302, 403, 404)
    client.post("/hiddenhausen/logout")
    login(client, make_user("perano", "admin"))
    stale = _version(client, "perano")
    assert client.post("/perano/admin/identity", data={"accent_colour": "#8a1c1c", "version": stale}).status_code == 302
    again = client.post("/perano/admin/identity?lang=it", data={"accent_colour": "#000000", "version": stale})
    assert again.status_code == 409
    assert "--accent: #8a1c1c" in client.get("/perano/identity.css").get_data(as_text=True)
