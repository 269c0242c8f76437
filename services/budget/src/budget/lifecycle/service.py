"""A project's life as the other services report it, where budget must act on it: the estimate
review opened when the amount reaches the threshold (R-25.1), the approval's documents (R-26.1),
the books settled on termination or final acceptance (R-27.1). Never commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from govkit import clock
from govkit.events.acceptance import FinalAccepted
from govkit.events.approval import AdjustmentFiled, ProjectApproved, ReviewStarted
from govkit.money import from_fen, to_fen
from govkit.policy import policy_for

from ..estimate_reviews import repository as reviews_repo
from ..estimate_reviews import service as reviews_service
from ..estimate_reviews.rules import estimate_review_required, highest_amount
from ..projects import service as projects
from ..projects.models import BudgetProject
from ..surplus import service as surplus_service


async def record_review_started(session: AsyncSession, data: ReviewStarted, opened_on: date) -> BudgetProject:
    """R-25.1: review started in approval → an estimate review for finance when ≥ the threshold."""
    p = await projects.ensure_project(session, str(data.project_id))
    await projects.set_identity(
        session, p, data.org, data.participant_orgs, data.title, data.declared_on, data.jurisdiction
    )
    p.estimated_investment_fen = to_fen(data.estimated_investment)
    policy = policy_for(data.declared_on, data.jurisdiction)
    required = estimate_review_required(data.estimated_investment, policy).result == "flag"
    if not p.approved:
        p.estimate_review_required = required
    if required:
        await reviews_service.open_review(session, p, data.estimated_investment, opened_on, policy)
    return p


async def record_approval(session: AsyncSession, data: ProjectApproved) -> BudgetProject:
    """R-26.1: the technical opinion, the approval document, the estimate review report and the
    approved investment, as approval decided them."""
    p = await projects.ensure_project(session, str(data.project_id))
    await projects.set_identity(
        session, p, data.org, data.participant_orgs, data.title, data.declared_on, data.jurisdiction
    )
    policy = policy_for(data.declared_on, data.jurisdiction)
    amount = max(data.approved_investment, from_fen(p.estimated_investment_fen or 0))
    required_by_rule = estimate_review_required(amount, policy).result == "flag"
    review = await reviews_repo.get_by_project(session, p.project_id)
    p.approved = True
    p.approved_on = data.approved_on
    p.technical_opinion_no = data.technical_opinion_no
    p.approval_document_no = data.approval_document_no
    p.estimate_review_required = bool(data.estimate_review_required or required_by_rule)
    p.estimate_review_report_no = (
        data.estimate_review_report_no
        or (review.report_no if review and review.status == "completed" else None)
        or p.estimate_review_report_no
    )
    p.approved_investment_fen = to_fen(data.approved_investment)
    if p.original_approved_fen is None:
        p.original_approved_fen = p.approved_investment_fen
    await ensure_review_when_required(session, p, data.approved_on)
    # Acceptance or termination may have been heard of first (events from other topics).
    if p.terminated:
        await surplus_service.settle(session, p, "terminated", data.approved_on)
    elif p.final_accepted_on:
        await surplus_service.settle(session, p, "final_accepted", p.final_accepted_on)
    return p


async def record_adjustment(session: AsyncSession, data: AdjustmentFiled) -> BudgetProject:
    """R-20.1 adjustments change the approved investment that payments are held to."""
    p = await projects.ensure_project(session, str(data.project_id))
    p.approved_investment_fen = to_fen(data.approved_total)
    if p.approved:
        await ensure_review_when_required(session, p, p.approved_on or p.declared_on)
    return p


async def ensure_review_when_required(session: AsyncSession, p: BudgetProject, on: date | None) -> None:
    """R-25.1 on the highest amount the project carries: when an approval or adjustment takes the
    project to the threshold and finance has no review task yet, one is opened — budget never holds
    a project whose missing report nobody can file."""
    review = await reviews_repo.get_by_project(session, p.project_id)
    reviewed = from_fen(review.reviewed_fen) if review and review.reviewed_fen is not None else None
    amount, _ = highest_amount(
        from_fen(p.estimated_investment_fen) if p.estimated_investment_fen is not None else None,
        reviewed,
        from_fen(p.approved_investment_fen) if p.approved_investment_fen is not None else None,
    )
    if amount is None:
        return
    policy = policy_for(p.declared_on or on or clock.today(), p.jurisdiction or "city")
    if estimate_review_required(amount, policy).result != "flag":
        return
    p.estimate_review_required = True
    if review is None and not p.estimate_review_report_no:
        await reviews_service.open_review(session, p, amount, on or p.declared_on or clock.today(), policy)


async def record_termination(session: AsyncSession, project_id: str, reason: str, on: date) -> None:
    """R-30.2 termination ends payments; R-27.1 the unspent balance is returned."""
    p = await projects.ensure_project(session, project_id)
    p.terminated, p.terminated_reason = True, reason
    await surplus_service.settle(session, p, "terminated", on)


async def record_final_acceptance(session: AsyncSession, data: FinalAccepted) -> None:
    """R-27.1: on final acceptance the surplus — what no contract commits — is returned; the
    contracts' unpaid sums (warranty retention) stay payable until paid or the warranty ends."""
    p = await projects.ensure_project(session, str(data.project_id))
    p.final_accepted_on = data.accepted_on
    p.warranty_ends_on = data.warranty_ends_on
    await surplus_service.settle(session, p, "final_accepted", data.accepted_on)
