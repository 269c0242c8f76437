import uuid
from datetime import date
from decimal import Decimal

import pytest

from approval.config import Settings
from approval.main import create_app
from govkit.dev.testing import auth, service_harness
from govkit.events.reserve import CrossDepartment, EmergencyProjectRegistered, ProjectAdmittedToReserve

UNIT_ORG = "ORG-UNIT-A"
MATERIALS = ("proposal", "feasibility_study", "preliminary_design", "security_statement")
COMPLIANCE = {
    "uses_shared_infrastructure": True,
    "entrances": ["susufuban"],
    "serves_public": True,
    "functions": [{"name": "网上办事", "audience": "public"}],
    "data_items": [{"name": "企业名称"}],
    "county_extension": True,
}


@pytest.fixture(scope="session")
async def harness():
    async with service_harness(create_app, Settings, "approval") as h:
        yield h


@pytest.fixture(autouse=True)
async def _clean(harness):
    await harness.reset()
    yield


@pytest.fixture
def client(harness):
    return harness.client


class Flow:
    """Drives an application through the API as the right principals."""

    def __init__(self, harness):
        self.h, self.c = harness, harness.client

    async def admit(
        self,
        amount="1000000.00",
        org=UNIT_ORG,
        *,
        emergency=False,
        title="智慧城管综合平台",
        cross=None,
        pid: uuid.UUID | None = None,
        **facts,
    ) -> str:
        pid = pid or uuid.uuid4()
        base = dict(
            project_id=pid,
            declaration_no=f"SB-2027-{pid.hex[:4]}",
            title=title,
            category="business_application",
            org=org,
            library_year=2027,
            estimated_investment=Decimal(amount),
            declared_on=date(2026, 10, 15),
            cross_department=CrossDepartment(**cross) if cross else None,
            **facts,
        )
        if emergency:
            payload = EmergencyProjectRegistered(
                route="emergency", emergency_type="public_health", emergency_grounds="疫情处置", **base
            )
        else:
            payload = ProjectAdmittedToReserve(route="window", admitted_on=date(2026, 12, 20), **base)
        assert await self.h.deliver(payload)
        return str(pid)

    async def prepare(self, pid, org=UNIT_ORG, materials=MATERIALS, compliance=None):
        for kind in materials:
            r = await self.c.post(
                f"/applications/{pid}/materials", json={"kind": kind, "title": kind}, headers=auth("unit", org)
            )
            assert r.status_code == 201, r.text
        r = await self.c.put(
            f"/applications/{pid}/compliance", json=compliance or COMPLIANCE, headers=auth("unit", org)
        )
        assert r.status_code == 200, r.text

    async def submit(self, pid, org=UNIT_ORG):
        return await self.c.post(f"/applications/{pid}/submit", headers=auth("unit", org))

    async def reviews(self, pid):
        r = await self.c.post(
            f"/applications/{pid}/expert-reviews",
            json={"expert": "张工", "score": 85, "opinion": "可行"},
            headers=auth("expert"),
        )
        assert r.status_code == 201, r.text
        r = await self.c.post(
            f"/applications/{pid}/joint-review",
            json={"decision": "approve", "opinion": "同意"},
            headers=auth("bdb", "BDB"),
        )
        assert r.status_code == 200, r.text

    async def under_review(self, amount="1000000.00", **kw) -> str:
        pid = await self.admit(amount, **kw)
        org = kw.get("org", UNIT_ORG)
        await self.prepare(pid, org=org)
        r = await self.submit(pid, org=org)
        assert r.status_code == 200, r.text
        return pid

    async def estimate(self, pid, amount, report_no="CZ-PS-1"):
        from govkit.events.budget import EstimateReviewed

        assert await self.h.deliver(
            EstimateReviewed(project_id=uuid.UUID(pid), report_no=report_no, reviewed_amount=Decimal(amount))
        )

    async def tech(self, pid, no="DSJ-JS-1"):
        return await self.c.post(
            f"/applications/{pid}/technical-opinion", json={"document_no": no}, headers=auth("bdb", "BDB")
        )

    async def doc(self, pid, no="XZSP-1", **kw):
        body = {"document_no": no, "construction_months": 12, **kw}
        return await self.c.post(
            f"/applications/{pid}/approval-document", json=body, headers=auth("approval_bureau", "XZSP")
        )

    async def approved(self, amount="1000000.00", reviewed=None, **kw) -> str:
        pid = await self.under_review(amount, **kw)
        await self.reviews(pid)
        if Decimal(amount) >= Decimal("2000000.00"):
            r = await self.c.post(
                f"/applications/{pid}/leading-group-decision",
                json={"decision": "approve", "opinion": "同意"},
                headers=auth("leading_group", "LG"),
            )
            assert r.status_code == 200, r.text
        if Decimal(amount) >= Decimal("500000.00"):
            await self.estimate(pid, reviewed or amount)
        assert (await self.tech(pid)).status_code == 200
        r = await self.doc(pid)
        assert r.status_code == 200 and r.json()["status"] == "approved", r.text
        return pid


@pytest.fixture
def flow(harness):
    return Flow(harness)
