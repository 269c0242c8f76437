"""The R-26.1 payment gate's view of a project: its documents, contracts (with what was paid on
each), estimate review, plan line and requests — what the gate decides on and what the project view
shows. Never commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from govkit import clock
from govkit.auth import Principal
from govkit.money import from_fen
from govkit.policy import policy_for

from ..contracts import repository as contracts_repo
from ..contracts.models import Contract
from ..contracts.rules import contract_compliance
from ..disbursement_records import repository as ledger_repo
from ..estimate_reviews import repository as reviews_repo
from ..estimate_reviews.rules import estimate_review_required, highest_amount
from ..funding_plans import repository as plans_repo
from ..funding_request_records import repository as requests_repo
from ..funding_request_records.models import FundingRequest
from ..projects import repository as projects_repo
from ..projects import service as projects
from ..projects.models import BudgetProject
from .rules import GateFacts, missing_documents, missing_funding, payment_state


@dataclass
class ContractPosition:
    """A contract with its compliance and what was paid on it (R-26.1, R-27.1)."""

    contract: Contract
    compliant: bool
    reason: str
    paid_fen: int

    @property
    def owed_fen(self) -> int:
        return max(self.contract.amount_fen - self.paid_fen, 0) if self.compliant else 0


@dataclass
class ProjectView:
    project: BudgetProject | None
    facts: GateFacts
    contracts_total_fen: int
    contracts_count: int
    compliant_contracts: int
    review: object | None
    contracts: list[ContractPosition] = field(default_factory=list)
    requests: list[FundingRequest] = field(default_factory=list)

    @property
    def owed_fen(self) -> int:
        return sum(c.owed_fen for c in self.contracts)


async def contract_positions(session: AsyncSession, p: BudgetProject) -> list[ContractPosition]:
    """Each contract with what was paid on it. Payments recorded before they named a contract are
    allocated to the compliant contracts in the order they were signed."""
    contracts = await contracts_repo.list_for_project(session, p.project_id)
    paid = await ledger_repo.paid_by_contract(session, p.project_id)
    unattributed = paid.get(None, 0)
    out = []
    for c in contracts:
        d = contract_compliance(c.procurement_method, c.signed_on, p.approved_on)
        fen = paid.get(c.id, 0)
        if d.ok and unattributed > 0:
            take = min(unattributed, max(c.amount_fen - fen, 0))
            fen, unattributed = fen + take, unattributed - take
        out.append(ContractPosition(c, d.ok, d.message, fen))
    return out


async def gate_facts(session: AsyncSession, p: BudgetProject | None, year: int | None = None) -> ProjectView:
    """What the payment gate knows of `p`; with `year`, also the R-4.2 plan line and R-5.1 requests."""
    if p is None:
        return ProjectView(None, GateFacts(known=False), 0, 0, 0, None)
    positions = await contract_positions(session, p)
    compliant = sum(1 for c in positions if c.compliant)
    review = await reviews_repo.get_by_project(session, p.project_id)
    report_no = p.estimate_review_report_no or (review.report_no if review and review.status == "completed" else None)
    known_amount = p.approved or p.estimated_investment_fen is not None
    reviewed = from_fen(review.reviewed_fen) if review and review.reviewed_fen is not None else None
    amount, basis = highest_amount(
        from_fen(p.estimated_investment_fen) if p.estimated_investment_fen is not None else None,
        reviewed,
        from_fen(p.approved_investment_fen) if p.approved_investment_fen is not None else None,
    )
    threshold = None
    required = p.estimate_review_required if known_amount else None
    if amount is not None:
        policy = policy_for(p.declared_on or p.approved_on or clock.today(), p.jurisdiction or "city")
        threshold = policy.estimate_review_threshold
        required = bool(required) or estimate_review_required(amount, policy).result == "flag"
    requests = await requests_repo.for_project(session, p.project_id)
    funding: dict = {}
    if year is not None:
        line = await plans_repo.line(session, year, p.project_id)
        paid_year = await ledger_repo.sum_paid(
            session, p.project_id, from_date=date(year, 1, 1), to_date=date(year, 12, 31)
        )
        funding = {
            "year": year,
            "plan_line": from_fen(line.amount_fen) if line else None,
            "paid_in_year": from_fen(paid_year),
            "confirmed_available": from_fen(
                sum(r.amount_fen - r.consumed_fen for r in requests if r.status == "confirmed")
            ),
            "submitted_requests": sum(1 for r in requests if r.status == "submitted"),
        }
    facts = GateFacts(
        known=True,
        technical_opinion_no=p.technical_opinion_no,
        approval_document_no=p.approval_document_no,
        estimate_review_required=required,
        estimate_review_report_no=report_no,
        compliant_contracts=compliant,
        suspended=p.suspended,
        terminated=p.terminated,
        settled=p.settled,
        review_amount=amount,
        review_amount_basis=basis,
        review_threshold=threshold,
        noncompliant_contracts=tuple((c.contract.contract_no, c.reason) for c in positions if not c.compliant),
        **funding,
    )
    return ProjectView(
        p, facts, sum(c.contract.amount_fen for c in positions), len(positions), compliant, review, positions, requests
    )


def project_read(view: ProjectView) -> dict:
    p = view.project
    assert p is not None
    blocked = payment_state(view.facts)
    missing = missing_documents(view.facts) + ([] if blocked else missing_funding(view.facts))
    review = view.review
    return {
        "project_id": p.project_id,
        "project_code": p.project_code,
        "org": p.org,
        "participant_orgs": p.participant_orgs or [],
        "title": p.title,
        "status": projects.status_of(p),
        "estimated_investment": from_fen(p.estimated_investment_fen)
        if p.estimated_investment_fen is not None
        else None,
        "approved_investment": from_fen(p.approved_investment_fen) if p.approved_investment_fen is not None else None,
        "original_approved_investment": (
            from_fen(p.original_approved_fen) if p.original_approved_fen is not None else None
        ),
        "approved_on": p.approved_on,
        "paid_total": from_fen(p.paid_total_fen),
        "returned_total": from_fen(p.returned_total_fen),
        "balance": from_fen(projects.balance_fen(p)),
        "contracts_total": from_fen(view.contracts_total_fen),
        "contracts_count": view.contracts_count,
        "contracts_over_approved": p.approved_investment_fen is not None
        and view.contracts_total_fen > p.approved_investment_fen,
        "documents": {
            "technical_opinion_no": p.technical_opinion_no,
            "approval_document_no": p.approval_document_no,
            "estimate_review_required": p.estimate_review_required,
            "estimate_review_report_no": view.facts.estimate_review_report_no,
            "compliant_contracts": view.compliant_contracts,
        },
        "estimate_review": None
        if review is None
        else {
            "status": review.status,
            "due_on": review.due_on,
            "report_no": review.report_no,
            "reviewed_amount": from_fen(review.reviewed_fen) if review.reviewed_fen is not None else None,
        },
        "missing": missing,
        "blocked_by": blocked,
        "payable": not missing and not blocked and projects.balance_fen(p) > 0,
        "suspended": p.suspended,
        "terminated": p.terminated,
        "settled": p.settled,
        "final_accepted_on": p.final_accepted_on,
        "warranty_ends_on": p.warranty_ends_on,
        "settled_on": p.settled_on,
        "contracts_owed": from_fen(view.owed_fen),
        "funding": None
        if view.facts.year is None
        else {
            "year": view.facts.year,
            "plan_line": view.facts.plan_line,
            "paid_in_year": view.facts.paid_in_year,
            "plan_available": (
                view.facts.plan_line - view.facts.paid_in_year if view.facts.plan_line is not None else None
            ),
            "confirmed_available": view.facts.confirmed_available,
            "submitted_requests": view.facts.submitted_requests,
            "rules": ["R-4.2", "R-5.1"],
        },
        "version": p.version,
    }


async def get_project(session: AsyncSession, project_id: str, principal: Principal, as_of: date) -> dict:
    """`missing` as of `as_of`'s year: the R-26.1 documents, the R-4.2 plan line, the R-5.1 request."""
    p = await projects.visible_project(session, project_id, principal)
    return project_read(await gate_facts(session, p, as_of.year))


async def list_projects(
    session: AsyncSession, principal: Principal, status: str | None, after: str | None, limit: int, as_of: date
) -> list[dict]:
    org = None if principal.citywide else principal.org
    rows = await projects_repo.list_projects(session, org=org, status=status, after=after, limit=limit)
    return [project_read(await gate_facts(session, p, as_of.year)) for p in rows]
