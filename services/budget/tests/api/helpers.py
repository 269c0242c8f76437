"""Events as the other services publish them, fed through the inbox."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from govkit import clock
from govkit.dev.testing import auth
from govkit.events.acceptance import FinalAccepted, PostEvaluationCompleted, SelfEvaluationSubmitted
from govkit.events.approval import AdjustmentFiled, ProjectApproved, ProjectCodeAssigned, ReviewStarted
from govkit.events.oversight import ProgressReported, ProjectResumed, ProjectSuspended, ProjectTerminated

ORG = "ORG-A"
OTHER = "ORG-B"
FIN = auth("finance", "CZJ")
UNIT = auth("unit", ORG)
BDB = auth("bdb", "DSJ")
# The confirmed funding request (R-5.1) `ready_project` files for each project: `pay` settles it.
FUNDED: dict[str, str] = {}


def new_id() -> str:
    return str(uuid.uuid4())


async def review_started(h, pid: str, amount: str, *, org: str = ORG, participants=(), declared_on=None):
    await h.deliver(
        ReviewStarted(
            project_id=pid,
            org=org,
            participant_orgs=list(participants),
            title="智慧城管平台",
            estimated_investment=Decimal(amount),
            declared_on=declared_on or date(2026, 3, 1),
        )
    )


async def approved(
    h,
    pid: str,
    amount: str,
    *,
    org: str = ORG,
    participants=(),
    review_required=None,
    report_no="CZPS-2026-001",
    approved_on=None,
    technical="DSJ-JS-001",
    document="SPJ-PF-001",
):
    required = Decimal(amount) >= Decimal("500000") if review_required is None else review_required
    await h.deliver(
        ProjectApproved(
            project_id=pid,
            org=org,
            participant_orgs=list(participants),
            title="智慧城管平台",
            approved_investment=Decimal(amount),
            technical_opinion_no=technical,
            approval_document_no=document,
            estimate_review_required=required,
            estimate_review_report_no=report_no if required else None,
            approved_on=approved_on or clock.today(),
            declared_on=date(2026, 3, 1),
        )
    )


async def contract(
    client, pid: str, amount="100.00", *, no="HT-001", signed_on=None, headers=UNIT, method="open_tender"
):
    return await client.post(
        f"/projects/{pid}/contracts",
        headers=headers,
        json={
            "contract_no": no,
            "supplier": "盐城某科技有限公司",
            "amount": amount,
            "procurement_method": method,
            "signed_on": (signed_on or clock.today()).isoformat(),
        },
    )


async def pay(client, pid: str, amount: str, **kw):
    """finance pays, naming the project's confirmed request (`request_id=None` names none)."""
    body = {"amount": amount, "purpose": "合同进度款", **kw}
    if "request_id" not in kw and pid in FUNDED:
        body["request_id"] = FUNDED[pid]
    body = {k: v for k, v in body.items() if v is not None}
    return await client.post(f"/projects/{pid}/disbursements", headers=FIN, json=body)


async def plan_line(client, pid: str, amount: str, year: int | None = None, headers=BDB):
    """Sets the project's line in the year's funding plan (R-4.2), the other lines kept."""
    return await client.put(
        f"/funding-plans/{year or clock.today().year}/lines/{pid}",
        headers=headers,
        json={"amount": amount, "reason": "按项目进度安排"},
    )


async def request_funds(client, pid: str, amount: str, contract_id: str, *, year: int | None = None, headers=UNIT):
    body = {
        "amount": amount,
        "purpose": "合同进度款",
        "contract_id": contract_id,
        "evidence": [{"kind": "invoice", "ref": "FP-0001"}],
    }
    if year is not None:
        body["year"] = year
    return await client.post(f"/projects/{pid}/funding-requests", headers=headers, json=body)


async def decide(client, rid: str, decision="confirm", opinion="符合资金计划", headers=BDB):
    return await client.post(
        f"/funding-requests/{rid}/decision", headers=headers, json={"decision": decision, "opinion": opinion}
    )


async def fund(
    client, pid: str, amount: str, contract_id: str, *, year: int | None = None, plan: str | None = None, headers=UNIT
) -> str:
    """A plan line (`plan`, default `amount`) and a confirmed request of `amount` on the contract;
    returns the request's id and makes it the one `pay` names."""
    r = await plan_line(client, pid, plan or amount, year)
    assert r.status_code == 200, r.text
    r = await request_funds(client, pid, amount, contract_id, year=year, headers=headers)
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    r = await decide(client, rid)
    assert r.status_code == 200 and r.json()["status"] == "confirmed", r.text
    FUNDED[pid] = rid
    return rid


async def ready_project(h, amount="1000.00", **kw) -> str:
    """Approved, with a compliant contract of `amount`, in this year's funding plan, and a confirmed
    request of `amount` (R-4.2, R-5.1): payable."""
    pid = new_id()
    await review_started(h, pid, amount)
    await approved(h, pid, amount, **kw)
    r = await contract(h.client, pid, amount)
    assert r.status_code == 201, r.text
    await fund(h.client, pid, amount, r.json()["id"])
    return pid


__all__ = [
    "AdjustmentFiled",
    "FinalAccepted",
    "PostEvaluationCompleted",
    "ProgressReported",
    "ProjectCodeAssigned",
    "ProjectResumed",
    "ProjectSuspended",
    "ProjectTerminated",
    "SelfEvaluationSubmitted",
]
