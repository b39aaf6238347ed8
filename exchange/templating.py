"""One registry for what templates may call. Nothing else writes into Jinja's globals or filters.

* ``can.<domain>.<verb_thing>(obj)``: a domain's permission predicates (``can_<verb>_<thing>(user, obj)``
  in its ``permissions.py``), asked for the signed-in user: the same predicates the views enforce.
* ``h.<domain>.<name>(…)``: a domain's display helpers (titles, dates of a visit, URLs).
* Core names (``current_municipality()``, ``current_locale()``, ``language_choices()``, ``nav_items()``)
  and filters (``|money``, ``|date``, ``|paragraphs``…) registered by the app's core modules.

Each domain declares its entries when its views are imported (``expose_permissions``, ``expose_helpers``);
``init_app`` hands the registry to Jinja once.
"""
from __future__ import annotations

from collections.abc import Callable
from types import ModuleType, SimpleNamespace

from flask import Flask
from flask_login import current_user

_permissions: dict[str, ModuleType] = {}
_helpers: dict[str, dict[str, Callable]] = {}
_core: dict[str, object] = {}
_filters: dict[str, Callable] = {}


class _Predicates:
    """``can.projects.edit_project(project)`` → ``permissions.can_edit_project(current_user, project)``."""

    def __init__(self, domain: str, module: ModuleType):
        self._domain = domain
        self._module = module

    def __getattr__(self, name: str) -> Callable[..., bool]:
        predicate = getattr(self._module, f"can_{name}", None)
        if predicate is None:
            raise AttributeError(f"{self._domain} has no permission predicate can_{name}")
        return lambda *args: predicate(current_user, *args)


def expose_permissions(domain: str, module: ModuleType) -> None:
    """Let templates ask ``can.<domain>.<verb_thing>(…)``."""
    _permissions[domain] = module


def expose_helpers(domain: str, **helpers: Callable) -> None:
    """Let templates call ``h.<domain>.<name>(…)``."""
    _helpers.setdefault(domain, {}).update(helpers)


def expose_core(**names: object) -> None:
    """Application-wide names (not a domain's): the current municipality, locale, menu."""
    _core.update(names)


def expose_filters(**filters: Callable) -> None:
    _filters.update(filters)


def init_app(app: Flask) -> None:
    """Give Jinja the registry: ``can``, ``h``, the core names and the filters."""
    app.jinja_env.add_extension("jinja2.ext.do")
    can = SimpleNamespace(**{domain: _Predicates(domain, module) for domain, module in _permissions.items()})
    helpers = SimpleNamespace(**{domain: SimpleNamespace(**funcs) for domain, funcs in _helpers.items()})
    app.jinja_env.globals.update(can=can, h=helpers, **_core)
    app.jinja_env.filters.update(_filters)
