"""R-24.2 (第二十四条): "市大数据管理局结合项目建设单位自评价情况，可以委托相应的第三方咨询机构开展后评价" —
a post-evaluation is commissioned by bdb, for a named third party and a project; only that third
party files it."""

from __future__ import annotations

from datetime import date

from govkit.rules import Decision


def check_commission(
    *, stage: str, open_commission: bool, post_evaluated: bool, due_on: date, today: date
) -> list[Decision]:
    out = []
    if stage != "final_accepted":
        out.append(Decision("R-24.2", "fail", "后评价在项目通过验收并投入运行后开展，项目尚未竣工验收（第二十四条）"))
    if post_evaluated:
        out.append(Decision("R-24.2", "fail", "该项目的后评价已完成（第二十四条）"))
    if open_commission:
        out.append(Decision("R-24.2", "fail", "该项目已委托第三方咨询机构开展后评价，尚未完成（第二十四条）"))
    if due_on < today:
        out.append(Decision("R-24.2", "fail", "后评价完成期限不能早于今天（第二十四条）", {"field": "due_on"}))
    return out


def check_filer(*, roles: frozenset[str], org: str, commissioned_org: str | None) -> Decision:
    """Only the third party bdb commissioned for this project files its post-evaluation."""
    if "third_party" not in roles:
        return Decision("R-24.2", "fail", "后评价由市大数据管理局委托的第三方咨询机构提交（第二十四条）")
    if commissioned_org is None:
        return Decision("R-24.2", "fail", "市大数据管理局尚未委托第三方咨询机构对该项目开展后评价（第二十四条）")
    if org != commissioned_org:
        return Decision(
            "R-24.2",
            "fail",
            "本机构未受市大数据管理局委托对该项目开展后评价（第二十四条）",
            {"commissioned_org": commissioned_org},
        )
    return Decision("R-24.2", "pass", "受委托的第三方咨询机构提交后评价")


def commission_state(as_of: date, due_on: date, filed: bool) -> str:
    """open | overdue | filed (X-30.1 clock of R-24.2): on the due day it is not yet overdue."""
    if filed:
        return "filed"
    return "overdue" if as_of > due_on else "open"


# R-28.2 (第二十八条): "市大数据管理局、市财政局、市行政审批局及项目主管部门 … 根据评价结果对 … 存在的问题提出整改意见"
OPINION_ROLES = ("bdb", "finance", "approval_bureau", "competent_dept")


def opinion_role(roles: frozenset[str]) -> str | None:
    return next((r for r in OPINION_ROLES if r in roles), None)


def check_answer(*, status: str, answering_org: str, unit_org: str) -> Decision:
    """R-28.2: the unit answers each opinion, once."""
    if answering_org != unit_org:
        return Decision("R-28.2", "fail", "整改意见由项目建设单位答复（第二十八条）")
    if status != "open":
        return Decision("R-28.2", "fail", "该整改意见已答复（第二十八条）")
    return Decision("R-28.2", "pass", "答复整改意见")


def evaluation_summary(ratings: list[dict], opinions: list[dict]) -> dict:
    """R-28.2 / R-28.1: what the reviewers see beside a unit's new declarations — its earlier
    ratings and its open rectification opinions; a system rated inefficient gets, as a rule, no O&M
    funds (R-28.1). Our reading (basis practice): an opinion open past its due date is flagged."""
    open_ = [o for o in opinions if o["status"] == "open"]
    flags = []
    inefficient = [r for r in ratings if r["rating"] == "inefficient"]
    if inefficient:
        flags.append(
            {
                "rule": "R-28.1",
                "article": "第二十八条",
                "basis": "text",
                "message": f"{len(inefficient)} 个系统评价为运行低效，原则上不安排运行维护经费（第二十八条）",
            }
        )
    if open_:
        flags.append(
            {
                "rule": "R-28.2",
                "article": "第二十八条",
                "basis": "text",
                "message": f"{len(open_)} 条评价整改意见尚未答复（第二十八条）",
            }
        )
    overdue = [o for o in open_ if o.get("overdue")]
    if overdue:
        flags.append(
            {
                "rule": "R-28.2",
                "article": "第二十八条",
                "basis": "practice",
                "message": f"{len(overdue)} 条整改意见已超过答复期限",
            }
        )
    return {"ratings": ratings, "open_opinions": open_, "answered_opinions": len(opinions) - len(open_), "flags": flags}
