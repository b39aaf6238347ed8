"""Display helpers for the account pages (exposed to templates as ``h.auth.*``)."""
from __future__ import annotations

import re

_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Chromium/", "Chromium"), ("Safari/", "Safari")]
_SYSTEMS = [("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("Linux", "Linux")]


def device(user_agent: str | None) -> str:
    """"Firefox on Windows" from a User-Agent header (names of products, the same in every language);
    the raw header when it is none of the common browsers."""
    agent = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in agent), None)
    system = next((name for marker, name in _SYSTEMS if marker in agent), None)
    if browser and system:
        return f"{browser} · {system}"
    return re.sub(r"\s+", " ", agent)[:80] or "—"
