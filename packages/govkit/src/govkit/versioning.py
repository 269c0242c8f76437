"""Optimistic concurrency with If-Match (RFC 9110 §13.1.1) for every versioned resource: the
header carries the version the caller last read; a stale one is a 412 and nothing changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header

from .errors import Problem

IfMatch = Annotated[str | None, Header(alias="If-Match", description='当前版本号，如 "3"；省略或 "*" 则不核对版本')]


def check_if_match(if_match: str | None, version: int) -> None:
    """Absent or `*`: no check. `"3"`, `W/"3"` and `3` name version 3; anything else that is not the
    current version — stale or malformed — does not match: 412 with the current version."""
    if if_match is None:
        return
    raw = if_match.strip()
    if raw == "*":
        return
    if raw.removeprefix("W/").strip('"') != str(version):
        raise Problem(
            412,
            f"版本已变更：当前版本为 {version}，请刷新后重试",
            current_version=version,
            violations=[{"field": "If-Match", "message": f"current version is {version}"}],
        )
