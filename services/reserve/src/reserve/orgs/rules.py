"""R-31.1 (pure): which jurisdiction judges a unit's declaration."""

from __future__ import annotations

from govkit.policy import CITY, normalise_jurisdiction
from govkit.rules import Decision


def jurisdiction_of(registered: str | None, claimed: str | None) -> Decision:
    """The org registry's entry first (the admin's record of the unit), else the token's
    `jurisdiction` claim, else 市本级 (basis: practice — the text names no source). An invalid claim
    is refused, naming it."""
    if registered is not None:
        return Decision(
            "R-31.1",
            "pass",
            f"辖区：{registered}（单位登记）",
            {"jurisdiction": registered, "source": "org_registry", "basis": "practice"},
        )
    juris = normalise_jurisdiction(claimed)
    if juris is None:
        return Decision(
            "R-31.1",
            "fail",
            f"凭证中的辖区 jurisdiction“{claimed}”无效：应为 city 或县（市、区）行政区划代码（第三十一条）",
            {"field": "jurisdiction"},
        )
    return Decision(
        "R-31.1",
        "pass",
        f"辖区：{juris}",
        {"jurisdiction": juris, "source": "token" if claimed and juris != CITY else "default", "basis": "practice"},
    )
