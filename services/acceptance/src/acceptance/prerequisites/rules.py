"""What a project lacks before trial operation / final acceptance (R-7.2, R-22.1, R-23.1), as
pure functions over the latest recorded results."""

from __future__ import annotations

from dataclasses import dataclass

from govkit.rules import Decision

# R-7.2 (第七条) asks for both: a network security test (网络安全检测, e.g. 等保测评) and a risk assessment.
SECURITY_KINDS = {"mlps": "网络安全检测（等级保护测评）", "risk": "风险评估"}


@dataclass(frozen=True)
class Facts:
    classified: bool
    uses_cryptography: bool | None
    archives_passed: bool | None  # latest archives acceptance; None when none recorded
    security_passed: dict[str, bool]  # kind → latest result of that kind
    secrecy_passed: bool | None  # latest secrecy review
    operator: str | None  # named operator of a classified project
    # The construction filing (R-15.1, R-16.*, R-17.1) as oversight published it; None: not filed.
    filing_version: int | None = None
    supervision_firm: str | None = None
    warranty_years: int | None = None
    om_plan: bool = False
    training_plan: bool = False
    training_materials: bool = False
    warranty_min_years: int = 2  # from the project's policy


def secrecy_for_operation(f: Facts) -> list[Decision]:
    """R-23.1: a classified project runs (trial operation included) only after a passed secrecy
    review, with a named operating body or person."""
    if not f.classified:
        return []
    out = []
    if not f.secrecy_passed:
        msg = (
            "保密行政管理部门审查不合格，不得投入运行（第二十三条）"
            if f.secrecy_passed is False
            else "涉密项目须经保密行政管理部门审查合格方可投入运行（第二十三条）"
        )
        out.append(Decision("R-23.1", "fail", msg))
    if not (f.operator or "").strip():
        out.append(Decision("R-23.1", "fail", "涉密项目须指定专门机构或人员负责运行使用管理（第二十三条）"))
    return out


def archives(f: Facts) -> list[Decision]:
    """R-22.1: without a passed archives acceptance the project cannot pass acceptance."""
    if f.archives_passed is None:
        return [Decision("R-22.1", "fail", "未经档案验收，不得通过项目验收（第二十二条）")]
    if f.archives_passed is False:
        return [Decision("R-22.1", "fail", "档案验收不合格，不得通过项目验收（第二十二条）")]
    return []


def security(f: Facts) -> list[Decision]:
    """R-7.2: both a passed network security test and a passed risk assessment (one violation for
    each one missing or failed); where cryptography is used, a passed cryptography application
    security assessment (密评). Whether cryptography is used must have been stated."""
    out = []
    for kind, name in SECURITY_KINDS.items():
        if not f.security_passed.get(kind):
            state = "不合格" if f.security_passed.get(kind) is False else "未提供"
            out.append(
                Decision(
                    "R-7.2",
                    "fail",
                    f"终验前须提供合格的{name}报告（{state}），网络安全检测和风险评估缺一不可（第七条）",
                    {"kind": kind},
                )
            )
    if f.uses_cryptography is None:
        out.append(Decision("R-7.2", "fail", "须说明项目是否使用密码技术，以确定是否需要密码应用安全性评估（第七条）"))
    elif f.uses_cryptography and not f.security_passed.get("crypto"):
        out.append(Decision("R-7.2", "fail", "项目使用密码技术，终验前须通过密码应用安全性评估（第七条）"))
    return out


def construction_filing(f: Facts) -> list[Decision]:
    """R-17.1 (第十七条, with 第十五条, 第十六条): the construction filing — implementing body,
    responsible person, procurement and contracts, the supervision firm, the warranty — is a gate:
    no acceptance step starts without it; engineering supervision is mandatory."""
    if f.filing_version is None:
        return [
            Decision(
                "R-17.1",
                "fail",
                "未办理建设备案（实施主体、负责人、招标采购与合同、工程监理、质保），不得开始验收（第十五条、第十七条）",
            )
        ]
    if not (f.supervision_firm or "").strip():
        return [Decision("R-17.1", "fail", "建设备案未载明工程监理单位，政务信息化项目实行工程监理制（第十七条）")]
    return []


def contractor_deliverables(f: Facts) -> list[Decision]:
    """R-16.2 (第十六条): the contractor's O&M plan, training plan and training materials, all three
    before final acceptance; R-16.1: the filed warranty term, at least the policy's minimum, sets
    the warranty end (no default)."""
    if f.filing_version is None:
        return []  # construction_filing() already says so
    out = []
    if not f.om_plan:
        out.append(Decision("R-16.2", "fail", "承建单位未提供项目运行维护方案，不得终验（第十六条）"))
    if not f.training_plan:
        out.append(Decision("R-16.2", "fail", "承建单位未提供培训计划，不得终验（第十六条）"))
    if not f.training_materials:
        out.append(Decision("R-16.2", "fail", "承建单位未提供培训教程，不得终验（第十六条）"))
    if f.warranty_years is None or f.warranty_years < f.warranty_min_years:
        out.append(
            Decision(
                "R-16.1", "fail", f"建设备案的质保期不足{f.warranty_min_years}年（自竣工验收合格之日起计算，第十六条）"
            )
        )
    return out


def final_prerequisites(f: Facts) -> list[Decision]:
    """Everything final acceptance needs besides the stage order, in rule order."""
    return [*security(f), *construction_filing(f), *contractor_deliverables(f), *archives(f), *secrecy_for_operation(f)]
