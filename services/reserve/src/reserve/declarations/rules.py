"""Declaration rules (pure): R-2.1 scope (category, municipal budget), R-2.2 exclusions, R-12.1's
lead/participants shape at intake, R-8.1/R-9.1 route into an open window."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from govkit.policy import Policy
from govkit.rules import Decision

from . import scope

CATEGORIES = {
    "infrastructure": "基础设施",
    "data_resources": "数据资源",
    "application_support": "应用支撑",
    "business_application": "业务应用",
    "network_security": "网络安全",
    "other_system": "其他政务信息系统",
}
# Category codes that name an exclusion outright.
EXCLUDED_CATEGORIES = {
    "office_equipment": "办公设备（办公电脑、打印机、复印机等）",
    "office_computer": "办公电脑",
    "photo_camera": "办公照相机",
    "copier": "复印机",
    "printer": "打印机",
    "mobile_storage": "移动存储",
    "phone": "手机",
    "packaged_software": "套装软件产品",
    "software_product": "办公软件产品",
    "consumables": "耗材",
    "smart_terminal": "专用智能终端",
    "publicity_new_media": "新媒体宣传",
    "new_media": "新媒体宣传",
    "training_classroom": "培训教室、多媒体教室",
}
EMERGENCY_TYPES = {
    "natural_disaster": "自然灾害",
    "accident_disaster": "事故灾难",
    "public_health": "公共卫生",
    "social_security": "社会安全",
}


def check_category(category: str) -> Decision:
    if category in CATEGORIES:
        return Decision("R-2.1", "pass", f"项目类别：{CATEGORIES[category]}")
    if category in EXCLUDED_CATEGORIES:
        return Decision(
            "R-2.2",
            "fail",
            f"{EXCLUDED_CATEGORIES[category]}不属于政务信息化项目，不予受理（第二条）",
            {"field": "category", "category": category},
        )
    return Decision(
        "R-2.1",
        "fail",
        f"项目类别“{category}”不在《政务信息系统定义和范围》之内，应为："
        + "、".join(f"{k}（{v}）" for k, v in CATEGORIES.items())
        + "（第二条）",
        {"field": "category", "category": category},
    )


def check_funding(municipal_budget: bool) -> Decision:
    if municipal_budget:
        return Decision("R-2.1", "pass", "使用市级财政资金")
    return Decision(
        "R-2.1", "fail", "本办法适用于使用市级财政资金的政务信息化项目（第二条）", {"field": "municipal_budget"}
    )


def _hit_decision(h: scope.ScopeHit) -> Decision:
    details = {"field": h.field, "exclusion": h.exclusion, "term": h.term, "basis": h.basis}
    if h.qualifier:
        details["qualifier"] = h.qualifier
    if h.outcome == "fail":
        return Decision(
            "R-2.2",
            "fail",
            f"“{h.term}”属于第二条所列{_GROUP_ZH[h.exclusion]}（{h.label}），不纳入市级政务信息化项目审核审批范围，"
            "不予受理（第二条）",
            details,
        )
    return Decision(
        "R-2.2",
        "flag",
        f"“{h.term}”与第二条所列{_GROUP_ZH[h.exclusion]}（{h.label}）相近，"
        f"请评审时确认是否{_FLAG_ASK[h.exclusion]}（第二条）",
        details,
    )


_GROUP_ZH = {
    code: {
        "office_use": "办公使用的设备",
        "publicity": "用于部门宣传的新媒体",
        "classroom": "教育、职业培训领域的教室建设和维护",
    }[group]
    for code, _, group, _ in scope.EXCLUSIONS
}
_FLAG_ASK = {
    code: {
        "office_use": "为办公使用（办公使用的不纳入）",
        "publicity": "用于部门宣传（用于宣传的不纳入）",
        "classroom": "属于实训教室、多媒体教室",
    }[group]
    for code, _, group, _ in scope.EXCLUSIONS
}


def check_exclusions(title: str, description: str, items: Sequence[str]) -> list[Decision]:
    """R-2.2 (第二条): one failing decision per listed thing the declaration names as the article
    qualifies it (office use, departmental publicity, training classrooms); a pass when none.
    Things that only resemble the list are not refused: see `scope_flags`."""
    fails = [_hit_decision(h) for h in scope.scan(title, description, list(items)) if h.outcome == "fail"]
    return fails or [Decision("R-2.2", "pass", "未发现第二条所列不纳入审核审批范围的内容")]


def scope_flags(title: str, description: str, items: Sequence[str]) -> list[Decision]:
    """R-2.2 flags for the reviewer: a listed device without the office-use qualifier, a new-media
    account without a publicity purpose (basis: practice)."""
    return [_hit_decision(h) for h in scope.scan(title, description, list(items)) if h.outcome == "flag"]


def check_scope(
    category: str, municipal_budget: bool, title: str, description: str, items: Sequence[str]
) -> list[Decision]:
    return [check_category(category), check_funding(municipal_budget), *check_exclusions(title, description, items)]


def check_cross_department(org: str, lead_org: str, participant_orgs: Sequence[str]) -> list[Decision]:
    """R-12.1 at intake: one lead (the declaring unit), at least one other participant, no repeats."""
    out = []
    if lead_org != org:
        out.append(
            Decision(
                "R-12.1",
                "fail",
                "跨部门项目由牵头部门申报：lead_org 须为申报单位（第十二条）",
                {"field": "cross_department.lead_org"},
            )
        )
    parts = list(participant_orgs)
    if not parts:
        out.append(
            Decision(
                "R-12.1", "fail", "跨部门项目须列明参与部门（第十二条）", {"field": "cross_department.participant_orgs"}
            )
        )
    if lead_org in parts or len(set(parts)) != len(parts):
        out.append(
            Decision(
                "R-12.1",
                "fail",
                "参与部门不得重复，也不得包含牵头部门（第十二条）",
                {"field": "cross_department.participant_orgs"},
            )
        )
    return out or [Decision("R-12.1", "pass", "牵头部门与参与部门已明确")]


def default_library_year(today: date, open_window_years: Sequence[int], policy: Policy) -> int:
    """Library year when none is given: the only open window's year; else next year during the
    annual quarter (R-8.1), this year otherwise (supplements, R-9.1)."""
    years = sorted(set(open_window_years))
    if len(years) == 1:
        return years[0]
    if (today.month - 1) // 3 + 1 == policy.annual_window_quarter:
        return today.year + 1
    return today.year


def no_window(library_year: int | None) -> list[dict]:
    year = f"{library_year}年度" if library_year else ""
    return [
        Decision("R-8.1", "fail", f"当前没有开放的{year}储备库年度申报窗口（第八条）").as_dict(),
        Decision("R-9.1", "fail", f"当前没有开放的{year}储备库增补窗口（第九条）").as_dict(),
    ]
