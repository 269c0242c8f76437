"""Construction filing rules (第十五条 – 第十七条) as pure functions returning Decisions."""

from __future__ import annotations

from datetime import date

from govkit.policy import policy_for
from govkit.rules import Decision

from .schemas import ConstructionIn


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def check_filing(
    filing: ConstructionIn, *, project_orgs: list[str], on: date, jurisdiction: str = "city"
) -> list[Decision]:
    """Every requirement of a construction filing; a `fail` lists what is missing."""
    out: list[Decision] = []

    def need(rule: str, field: str, ok: bool, message: str) -> None:
        out.append(Decision(rule, "pass" if ok else "fail", message if not ok else "已填报", {"field": field}))

    need("R-15.1", "implementing_body", not _blank(filing.implementing_body), "未明确项目实施主体（第十五条）")
    need("R-15.1", "responsible_person", not _blank(filing.responsible_person), "未明确项目负责人（第十五条）")
    need(
        "R-17.1",
        "supervision_firm",
        not _blank(filing.supervision_firm),
        "未委托工程监理单位，政务信息化项目须实行工程监理（第十七条）",
    )
    minimum = policy_for(on, jurisdiction).warranty_min_years
    need(
        "R-16.1",
        "warranty_years",
        filing.warranty_years is not None and filing.warranty_years >= minimum,
        f"质保期自终验之日起不得少于{minimum}年（第十六条）",
    )
    owner = (filing.ip_owner or "").strip()
    need(
        "R-16.2",
        "ip_owner",
        owner in set(project_orgs) | {"unit", "建设单位", "项目建设单位"},
        "著作权、专利等成果应归项目建设单位所有（第十六条）",
    )
    need("R-16.2", "om_plan", not _blank(filing.om_plan), "承建单位未提供运维方案（第十六条）")
    need("R-16.2", "training_plan", not _blank(filing.training_plan), "承建单位未提供培训方案（第十六条）")
    return out


def failures(decisions: list[Decision]) -> list[Decision]:
    return [d for d in decisions if d.result == "fail"]
