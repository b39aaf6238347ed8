"""Each municipality's identity in the header: its colour and its coat of arms (issue 14: "nothing shows
which municipality's service you are in beyond its name"). Set by the municipality's admins.

The colour is checked for contrast (the header writes white text on it: WCAG AA asks 4.5:1); the image
is checked by its first bytes, not by the name or type the browser sent, and kept small.
"""
from __future__ import annotations

import re

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import flag_modified

from exchange.audit.services import record
from exchange.db import Len, utcnow
from exchange.errors import Refusal, register_messages
from exchange.extensions import db
from exchange.municipalities.models import Municipality
from exchange.rules import check_version, clean_text

COLOUR_RE = re.compile(r"#[0-9a-fA-F]{6}")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MIN_CONTRAST = 4.5
MAX_EMBLEM_BYTES = 256 * 1024
# What an image file starts with, for the formats every browser shows (never SVG: it can carry script).
SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))

register_messages({
    "invalid_colour": _l("Enter a colour as # and six hexadecimal digits, such as #0b4f8a."),
    "low_contrast": _l("White text on this colour is hard to read (contrast %(ratio)s:1, at least 4.5:1 is "
                       "needed). Choose a darker colour."),
    "invalid_image": _l("Upload a PNG or JPEG image."),
    "image_too_large": _l("The image is too large: at most 256 KB."),
})


def _luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG 2.x)."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(colour: str) -> float:
    return 1.05 / (_luminance(colour) + 0.05)


def image_type(data: bytes) -> str | None:
    """The image's media type from its first bytes, or None when it is not one we serve."""
    return next((kind for signature, kind in SIGNATURES if data.startswith(signature)), None)


def set_identity(municipality: Municipality, actor, accent_colour: str, contact_email: str,
                 emblem: bytes | None = None, remove_emblem: bool = False,
                 expected_version: int | None = None) -> Municipality:
    """Set the municipality's colour, contact address and (a new, or no) coat of arms. ``emblem`` None
    keeps the current image unless ``remove_emblem``."""
    check_version(municipality, expected_version)
    accent_colour = clean_text(accent_colour, 7, "accent_colour").lower()
    if accent_colour:
        if not COLOUR_RE.fullmatch(accent_colour):
            raise Refusal("invalid_colour", "accent_colour")
        ratio = contrast_with_white(accent_colour)
        if ratio < MIN_CONTRAST:
            # The ratio as the reader writes numbers (the message is shown in their language).
            raise Refusal("low_contrast", "accent_colour", ratio=format_decimal(ratio, format="0.0"))
    contact_email = clean_text(contact_email, Len.EMAIL, "contact_email").lower()
    if contact_email and not EMAIL_RE.fullmatch(contact_email):
        raise Refusal("invalid_email", "contact_email")
    if emblem:
        if len(emblem) > MAX_EMBLEM_BYTES:
            raise Refusal("image_too_large", "emblem")
        kind = image_type(emblem)
        if kind is None:
            raise Refusal("invalid_image", "emblem")
        municipality.emblem_type, municipality.emblem_data = kind, emblem
        municipality.emblem_stamp = f"{utcnow():%Y%m%d%H%M%S%f}"
    elif remove_emblem:
        municipality.emblem_type, municipality.emblem_data, municipality.emblem_stamp = "", None, ""
    municipality.accent_colour = accent_colour
    municipality.contact_email = contact_email
    # The row is written even when only the image changed, so its version moves and a form opened
    # before this save is stale.
    flag_modified(municipality, "accent_colour")
    db.session.flush()
    record(actor, "municipality.identity", municipality, colour=accent_colour or None,
           emblem="new" if emblem else "removed" if remove_emblem else "kept")
    return municipality
