"""If-Match handling shared by the resources that carry a version."""
from __future__ import annotations

from govkit.errors import Problem


def parse_if_match(value: str | None) -> int | None:
    if value is None:
        return None
    raw = value.strip()
    if raw.startswith("W/"):
        raw = raw[2:]
    raw = raw.strip('"')
    try:
        return int(raw)
    except ValueError:
        raise Problem(412, "If-Match 版本无效") from None


def check_version(expected: int | None, actual: int) -> None:
    if expected is not None and expected != actual:
        raise Problem(412, f"版本已变更：当前版本为 {actual}", current_version=actual)
