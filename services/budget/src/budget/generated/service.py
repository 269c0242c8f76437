"""Generated document of budget: finance's 概算评审意见 (R-25.1), stored as DOCX and PDF."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from govkit import docgen
from govkit.auth import Principal
from govkit.errors import Problem
from govkit.money import from_fen

from ..estimate_reviews import repository as reviews
from ..projects.service import visible_project


async def estimate_review(session: AsyncSession, store, principal: Principal, project_id: str, body) -> dict:
    """概算评审意见: only for a completed review (R-25.1); the reviewed amount is the approved investment."""
    p = await visible_project(session, project_id, principal)
    review = await reviews.get_by_project(session, project_id)
    if review is None or review.status != "completed" or review.reviewed_fen is None:
        raise Problem(409, "该项目尚未完成投资概算评审，不能生成评审意见（第二十五条）", rule="R-25.1")
    estimated, reviewed = from_fen(review.estimated_fen), from_fen(review.reviewed_fen)
    reduction = estimated - reviewed
    rate = (reduction / estimated * 100).quantize(Decimal("0.01"), ROUND_HALF_UP) if estimated else Decimal(0)
    remarks = body.opinion or (
        f"经评审，项目投资概算核定为 {docgen.yuan(reviewed)} 元"
        + (f"，较申报概算核减 {docgen.yuan(reduction)} 元（核减率 {rate}%）" if reduction > 0 else "")
        + "。评审核定金额作为项目批复投资；资金拨付须具备技术审核意见、批复文件、本评审报告及合规的政府采购合同。"
    )
    context = {
        "project": docgen.project_facts(title=p.title, declaration_no=None, project_code=p.project_code, org=p.org),
        "report_no": review.report_no,
        "reviewed_on": docgen.date_zh(review.reviewed_on),
        "estimated_investment": docgen.yuan(estimated),
        "reviewed_amount": docgen.yuan(reviewed),
        "reviewed_amount_words": docgen.yuan_words(reviewed),
        "reduction": docgen.yuan(reduction),
        "reduction_rate": f"{rate}%",
        "remarks": remarks,
    }
    return await docgen.generate_and_store(
        session,
        store,
        project_id=project_id,
        kind="estimate_review",
        document_no=body.document_no or review.report_no,
        issuer="盐城市财政局",
        rules=["R-25.1", "R-26.1"],
        context=context,
        actor=principal,
        issued_on=review.reviewed_on,
    )
