"""Policy versions (pure): R-31.1 a county's own measure (per jurisdiction), R-33.1 versions as data
with effective_from, never edited in place."""

from __future__ import annotations

from datetime import date

from govkit import policy
from govkit.rules import Decision

IN_FORCE_FROM = date(2023, 7, 1)  # 第三十三条: the measures are in force from 2023-07-01


def check_jurisdiction(value: str | None) -> Decision:
    """R-31.1: 市本级 ("city") or a county's administrative code under Yancheng (3209xx)."""
    if policy.normalise_jurisdiction(value) is None:
        return Decision(
            "R-31.1",
            "fail",
            f"辖区“{value}”无效：应为 city（市本级）或盐城市所辖县（市、区）行政区划代码（3209xx）（第三十一条）",
            {"field": "jurisdiction"},
        )
    return Decision("R-31.1", "pass", "辖区有效")


def check_effective_from(effective_from: date, today: date) -> Decision:
    """R-33.1: a new version takes effect from today on at the earliest. Back-dating would change how
    projects already declared are judged — the policy in force on their declaration date — which
    is editing in place (basis: practice); nor before the measures themselves (2023-07-01)."""
    if effective_from < IN_FORCE_FROM:
        return Decision(
            "R-33.1",
            "fail",
            f"生效日期不得早于本办法施行之日 {IN_FORCE_FROM}（第三十三条）",
            {"field": "effective_from", "basis": "text"},
        )
    if effective_from < today:
        return Decision(
            "R-33.1",
            "fail",
            f"生效日期 {effective_from} 早于今天 {today}：已申报项目按其申报之日有效的政策判定，"
            "新版本不得追溯生效（第三十三条）",
            {"field": "effective_from", "basis": "practice"},
        )
    return Decision("R-33.1", "pass", f"自 {effective_from} 起施行")


def check_new_version(existing_code: str | None, jurisdiction: str, effective_from: date) -> Decision:
    """R-33.1: versions are never edited in place — one version per jurisdiction and effective date."""
    if existing_code is not None:
        return Decision(
            "R-33.1",
            "fail",
            f"{jurisdiction} 自 {effective_from} 起已有政策版本（{existing_code}）；政策版本不得修改，"
            "请以新的生效日期另立版本（第三十三条）",
            {"field": "effective_from"},
        )
    return Decision("R-33.1", "pass", "新版本")
