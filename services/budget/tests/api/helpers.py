"""Events as the other services publish them, fed through the inbox."""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from govkit import clock
from govkit.events.acceptance import FinalAccepted, PostEvaluationCompleted, SelfEvaluationSubmitted
from govkit.events.approval import AdjustmentFiled, ProjectApproved, ProjectCodeAssigned, ReviewStarted
from govkit.events.oversight import ProgressReported, ProjectResumed, ProjectSuspended, ProjectTerminated
from govkit.testing import auth

ORG = "ORG-A"
OTHER = "ORG-B"
FIN = auth("finance", "CZJ")
UNIT = auth("unit", ORG)


def new_id() -> str:
    return str(uuid.uuid4())


async def review_started(h, pid: str, amount: str, *, org: str = ORG, participants=(), declared_on=None):
    await h.deliver(ReviewStarted(project_id=pid, org=org, participant_orgs=list(participants), title="智慧城管平台",
                                  estimated_investment=Decimal(amount),
                                  declared_on=declared_on or date(2026, 3, 1)))


async def approved(h, pid: str, amount: str, *, org: str = ORG, participants=(), review_required=None,
                   report_no="CZPS-2026-001", approved_on=None, technical="DSJ-JS-001", document="SPJ-PF-001"):
    required = Decimal(amount) >= Decimal("500000") if review_required is None else review_required
    await h.deliver(ProjectApproved(
        project_id=pid, org=org, participant_orgs=list(participants), title="智慧城管平台",
        approved_investment=Decimal(amount), technical_opinion_no=technical, approval_document_no=document,
        estimate_review_required=required, estimate_review_report_no=report_no if required else None,
        approved_on=approved_on or clock.today(), declared_on=date(2026, 3, 1)))


async def contract(client, pid: str, amount="100.00", *, no="HT-001", signed_on=None, headers=UNIT, method="open_tender"):
    return await client.post(f"/projects/{pid}/contracts", headers=headers, json={
        "contract_no": no, "supplier": "盐城某科技有限公司", "amount": amount, "procurement_method": method,
        "signed_on": (signed_on or clock.today()).isoformat()})


async def pay(client, pid: str, amount: str, **kw):
    return await client.post(f"/projects/{pid}/disbursements", headers=FIN,
                             json={"amount": amount, "purpose": "合同进度款", **kw})


async def ready_project(h, amount="1000.00", **kw) -> str:
    """Approved, with a compliant contract: payable."""
    pid = new_id()
    await review_started(h, pid, amount)
    await approved(h, pid, amount, **kw)
    r = await contract(h.client, pid, amount)
    assert r.status_code == 201, r.text
    return pid


__all__ = ["AdjustmentFiled", "FinalAccepted", "PostEvaluationCompleted", "ProgressReported", "ProjectCodeAssigned",
           "ProjectResumed", "ProjectSuspended", "ProjectTerminated", "SelfEvaluationSubmitted"]
