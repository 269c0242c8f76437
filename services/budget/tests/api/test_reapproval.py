"""R-20.2: a failed R-20.1 keeps payments at the old approval until the adjusted plan is re-approved;
ReapprovalApproved sets the investment payments are held to."""

from datetime import date
from decimal import Decimal

from govkit.events.approval import AdjustmentFiled, ReapprovalApproved

from .helpers import FIN, approved, new_id, review_started


async def test_r20_2_reapproval_sets_the_payment_cap(harness, client):
    pid = new_id()
    await review_started(harness, pid, "1000000.00")
    await approved(harness, pid, "1000000.00")
    await harness.deliver(
        AdjustmentFiled(
            project_id=pid,
            outcome="reapproval_required",
            reason_kind="other",
            amount_moved="300000.00",
            new_total="1300000.00",
            approved_total="1000000.00",
            reapproval_id="R-1",
        )
    )
    view = (await client.get(f"/projects/{pid}", headers=FIN)).json()
    assert view["approved_investment"] == "1000000.00"  # nothing beyond the old approval until re-approved
    await harness.deliver(
        ReapprovalApproved(
            project_id=pid,
            reapproval_id="R-1",
            adjustment_id="A-1",
            approved_investment=Decimal("1250000.00"),
            previous_approved_investment=Decimal("1000000.00"),
            adjusted_total=Decimal("1300000.00"),
            technical_opinion_no="DSJ-TZ-1",
            approval_document_no="XZSP-TZ-1",
            approved_on=date(2027, 3, 1),
        )
    )
    view = (await client.get(f"/projects/{pid}", headers=FIN)).json()
    assert view["approved_investment"] == "1250000.00" and view["original_approved_investment"] == "1000000.00"
