import uuid
from datetime import date
from decimal import Decimal

import pytest

from govkit import clock
from govkit.dev.testing import service_harness
from govkit.events.approval import ProjectApproved
from govkit.events.reserve import ProjectAdmittedToReserve
from oversight.config import Settings
from oversight.main import create_app

TODAY = date(2027, 11, 20)  # tests run on a fixed "today" (Asia/Shanghai)


@pytest.fixture(scope="session")
async def harness():
    async with service_harness(create_app, Settings, "oversight") as h:
        yield h


@pytest.fixture(autouse=True)
async def _clean(harness):
    await harness.reset()
    yield


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def client(harness):
    return harness.client


@pytest.fixture
def approve(harness):
    """Deliver the reserve admission and ProjectApproved of a new project; returns its id."""

    async def make(
        org: str = "ORG-A",
        *,
        approved_on: date = date(2027, 2, 10),
        investment: str = "400000.00",
        participants: list[str] | None = None,
        library_year: int = 2027,
        title: str = "智慧应急平台",
        project_id: uuid.UUID | None = None,
        reserve: bool = True,
    ) -> uuid.UUID:
        pid = project_id or uuid.uuid4()
        if reserve:
            await harness.deliver(
                ProjectAdmittedToReserve(
                    project_id=pid,
                    declaration_no=f"SB-{library_year}-{pid.hex[:4]}",
                    title=title,
                    category="business_application",
                    org=org,
                    library_year=library_year,
                    estimated_investment=Decimal(investment),
                    declared_on=date(library_year - 1, 10, 15),
                    route="window",
                    admitted_on=date(library_year - 1, 12, 1),
                )
            )
        await harness.deliver(
            ProjectApproved(
                project_id=pid,
                org=org,
                participant_orgs=participants or [],
                title=title,
                approved_investment=Decimal(investment),
                technical_opinion_no="JS-1",
                approval_document_no="SP-1",
                estimate_review_required=False,
                approved_on=approved_on,
                declared_on=date(library_year - 1, 10, 15),
            )
        )
        return pid

    return make


@pytest.fixture
def cause(client):
    """A rectification order that opens the sanctions ladder (R-30.2) without moving the clock:
    ordered by bdb, answered by the unit, verified as still non-compliant. Returns its id."""
    from govkit.dev.testing import auth

    async def make(pid: uuid.UUID, org: str = "ORG-A", *, escalate_to: str | None = None) -> str:
        body = {"finding": "数据未按要求共享", "deadline": TODAY.isoformat(), "area": "resource_sharing"}
        if escalate_to:
            body |= {"escalate_to": escalate_to, "escalation_basis": "严重违反批复要求（第三十条）"}
        r = await client.post(f"/projects/{pid}/rectifications", json=body, headers=auth("bdb"))
        assert r.status_code == 201, r.text
        rid = r.json()["id"]
        assert (
            await client.post(f"/rectifications/{rid}/close", json={"evidence": "整改报告"}, headers=auth("unit", org))
        ).status_code == 200
        assert (
            await client.post(
                f"/rectifications/{rid}/verification",
                json={"result": "non_compliant", "opinion": "仍不符合要求"},
                headers=auth("bdb"),
            )
        ).status_code == 200
        return rid

    return make
