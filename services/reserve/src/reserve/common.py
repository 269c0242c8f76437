"""Small helpers shared by the reserve nouns (no queries, no rules)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request


def _settings(request: Request):
    return request.app.state.settings


SettingsDep = Annotated[Any, Depends(_settings)]
