"""Generated documents of approval: bdb's 技术审核意见 and approval_bureau's 项目批复（草稿）, from
the application as recorded (materials, checks, reviews, amounts), stored as DOCX and PDF."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from govkit import clock, docgen
from govkit.auth import Principal
from govkit.documents.kinds import label
from govkit.errors import Problem
from govkit.money import from_fen

from ..applications import repository as repo
from ..applications import rules
from ..applications import service as applications

RESULT_ZH = {"pass": "通过", "flag": "提示", "fail": "不通过"}
DECISION_ZH = {"approve": "同意", "reject": "不同意"}
MATERIAL_ZH = {
    "proposal": "项目建议书",
    "feasibility_study": "可行性研究报告",
    "preliminary_design": "初步设计方案",
    "security_statement": "安全可靠情况说明",
    "other": "其他材料",
}


def _reviewable(app) -> None:
    if app.status not in ("under_review", "approved"):
        raise Problem(409, "项目尚未提交审核，不能生成审核审批文书（第十条）", rule="R-10.1")


def _facts(app) -> dict:
    return docgen.project_facts(
        title=app.title, declaration_no=app.declaration_no, project_code=app.project_code, org=app.org
    )


async def _reviews(session: AsyncSession, app) -> list[dict]:
    out = []
    for r in await repo.reviews(session, app.project_id):
        if r.superseded or r.kind in ("technical_opinion", "approval_document"):
            continue
        if r.kind == "expert":
            out.append(
                {
                    "kind": "专家评审",
                    "who": docgen.text(r.expert),
                    "result": f"{r.score} 分",
                    "opinion": docgen.text(r.opinion),
                }
            )
        else:
            name = {"joint": "联合会审", "leading_group": "领导小组审定"}.get(r.kind, r.kind)
            out.append(
                {
                    "kind": name,
                    "who": docgen.text(r.actor_org),
                    "result": DECISION_ZH.get(r.decision, "—"),
                    "opinion": docgen.text(r.opinion),
                }
            )
    return out


async def technical_opinion(session: AsyncSession, store, principal: Principal, project_id: str, body) -> dict:
    """技术审核意见 (R-10.1) — only once the reviews it rests on are done (R-11.1, R-11.2)."""
    app = await applications.load(session, principal, project_id, for_update=False)
    _reviewable(app)
    policy = applications.policy_of(app)
    state = await applications.review_state(session, app)
    problems = rules.opinion_prerequisites(state, policy)
    if problems:
        raise Problem(409, problems[0]["message"], rule=problems[0]["rule"], violations=problems)
    checks = [c for c in await repo.checks(session, app.project_id, app.round)]
    reviews = await _reviews(session, app)
    scores = [int(r["result"].split()[0]) for r in reviews if r["kind"] == "专家评审"]
    opinion = body.opinion or (
        f"经专家评审（{len(scores)} 位专家，平均 {sum(scores) / len(scores):.1f} 分）和联合会审，"
        "该项目建设必要，技术方案基本可行，符合集约建设、共享共用要求，同意通过技术审核，请按程序报批。"
    )
    document_no = (
        body.document_no or app.technical_opinion_no or f"盐数审〔{clock.today().year}〕{app.declaration_no}号"
    )  # our practice when no number is given
    used = ["R-10.1", "R-11.1"] + (["R-11.2"] if rules.leading_group_required(state.highest, policy) else [])
    used += sorted({c.rule for c in checks})
    context = {
        "project": _facts(app),
        "estimated_investment": docgen.yuan(from_fen(app.estimated_fen)),
        "materials": "、".join(
            MATERIAL_ZH.get(m.kind) or label(m.kind) for m in await repo.materials(session, app.project_id)
        )
        or "—",
        "checks": [
            {
                "rule": c.rule,
                "article": docgen.article_of(c.rule),
                "result": RESULT_ZH.get(c.result, c.result),
                "message": c.message,
            }
            for c in checks
        ],
        "reviews": reviews,
        "opinion": opinion,
    }
    return await docgen.generate_and_store(
        session,
        store,
        project_id=app.project_id,
        kind="technical_opinion",
        document_no=document_no,
        issuer="盐城市大数据管理局",
        rules=used,
        context=context,
        actor=principal,
    )


async def approval_draft(session: AsyncSession, store, principal: Principal, project_id: str, body) -> dict:
    """项目批复（草稿）(R-10.1): after bdb's technical opinion and, at or above the threshold, finance's
    estimate review (R-25.1) — whose amount is the investment approved."""
    app = await applications.load(session, principal, project_id, for_update=False)
    _reviewable(app)
    policy = applications.policy_of(app)
    state = await applications.review_state(session, app)
    problems = rules.approval_prerequisites(state, policy)
    if app.technical_opinion_no is None:
        problems.insert(0, docgen_violation("R-10.1", "市大数据管理局尚未出具技术审核意见，不能拟办批复（第十条）"))
    if problems:
        raise Problem(409, problems[0]["message"], rule=problems[0]["rule"], violations=problems)
    reviewed = from_fen(app.reviewed_fen) if app.reviewed_fen is not None else None
    approved: Decimal = (
        from_fen(app.approved_fen)
        if app.approved_fen is not None
        else reviewed
        if reviewed is not None
        else from_fen(app.estimated_fen)
    )
    months = body.construction_months or app.construction_months
    leading = rules.leading_group_required(state.highest, policy)
    used = (
        ["R-10.1", "R-11.1"]
        + (["R-11.2"] if leading else [])
        + (["R-25.1"] if reviewed is not None else [])
        + ["R-13.1", "R-21.5", "R-22.1"]
    )
    context = {
        "project": _facts(app),
        "technical_opinion_no": app.technical_opinion_no,
        "estimate_clause": f"和市财政局概算评审报告（{app.estimate_report_no}）" if reviewed is not None else "",
        "approved_investment": docgen.yuan(approved),
        "approved_investment_words": docgen.yuan_words(approved),
        "construction_months": months if months else "（待定）",
        "estimated_investment": docgen.yuan(from_fen(app.estimated_fen)),
        "reviewed_amount": docgen.yuan(reviewed),
        "leading_group": ("已审定" if state.leading_group_decision == "approve" else "—")
        if leading
        else "不适用（200万元以下）",
    }
    document_no = (
        body.document_no
        or app.approval_document_no
        or f"盐行审批〔{clock.today().year}〕{app.declaration_no}号（代拟稿）"
    )
    return await docgen.generate_and_store(
        session,
        store,
        project_id=app.project_id,
        kind="approval_draft",
        document_no=document_no,
        issuer="盐城市行政审批局",
        rules=used,
        context=context,
        actor=principal,
    )


def docgen_violation(rule: str, message: str) -> dict:
    from govkit.rules import violation

    return violation(rule, message)
