"""Small helpers shared by the reserve nouns (no queries, no rules)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Request

from govkit.errors import Problem

IfMatch = Annotated[str | None, Header(alias="If-Match", description='当前版本，如 "3"')]


def check_if_match(if_match: str | None, version: int) -> None:
    """`If-Match: "<version>"` (optional): a stale version is a 412 and nothing changes."""
    if if_match is None:
        return
    raw = if_match.strip()
    if raw == "*":
        return
    if raw.startswith("W/"):
        raw = raw[2:]
    raw = raw.strip('"')
    if raw != str(version):
        raise Problem(412, f"版本已变更：当前版本为 {version}，请刷新后重试",
                      violations=[{"field": "If-Match", "message": f"current version is {version}"}])


def _settings(request: Request):
    return request.app.state.settings


SettingsDep = Annotated[Any, Depends(_settings)]
