"""资金台账 as Excel: one project's ledger (?format=xlsx) and the citywide ledger (/ledger.xlsx), each
payment with its year-to-date and cumulative sums."""

import io
from datetime import date

from python_calamine import CalamineWorkbook

from govkit.dev.testing import auth

from .helpers import FIN, UNIT, approved, contract, fund, new_id, pay, review_started

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheets(r) -> dict[str, list[list]]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX
    wb = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}


async def paid_project(
    harness, client, org="ORG-A", amounts=(("100.00", "2025-03-01"), ("200.00", "2025-11-01"), ("50.50", "2026-01-05"))
) -> str:
    pid = new_id()
    await review_started(harness, pid, "1000.00", org=org)
    await approved(harness, pid, "1000.00", org=org, approved_on=date(2025, 1, 10))
    c = await contract(client, pid, "1000.00", signed_on=date(2025, 2, 1), headers=auth("unit", org))
    assert c.status_code == 201
    for amount, on in amounts:
        # each payment through its year's plan line and a confirmed request
        await fund(client, pid, amount, c.json()["id"], year=int(on[:4]), plan="500.00", headers=auth("unit", org))
        r = await pay(client, pid, amount, paid_on=on)
        assert r.status_code == 201, r.text
    return pid


async def test_project_ledger_xlsx_has_every_payment_and_the_annual_sums(harness, client):
    pid = await paid_project(harness, client)
    book = sheets(await client.get(f"/projects/{pid}/ledger", params={"format": "xlsx", "limit": 1}, headers=UNIT))
    entries, annual = book["支付明细"], book["年度汇总"]
    assert "批复投资 1000.00 元" in entries[0][0] and "余额 649.50 元" in entries[0][0]
    header = entries[2]
    rows = [dict(zip(header, r, strict=False)) for r in entries[3:]]
    assert [(r["支付金额（元）"], r["本年累计（元）"], r["累计支付（元）"]) for r in rows] == [
        (100.0, 100.0, 100.0),
        (200.0, 300.0, 300.0),
        (50.5, 50.5, 350.5),
    ]
    assert rows[0]["支付日期"] == date(2025, 3, 1) and rows[0]["支付方式"] == "国库集中支付"
    assert [r[:3] for r in annual[3:]] == [[2025, 300.0, 300.0], [2026, 50.5, 350.5]]
    other = await client.get(f"/projects/{pid}/ledger", params={"format": "xlsx"}, headers=auth("unit", "ORG-B"))
    assert other.status_code == 404


async def test_citywide_ledger_counts_earlier_years_in_the_cumulative_sum(harness, client):
    a = await paid_project(harness, client, "ORG-A")
    await paid_project(harness, client, "ORG-B", amounts=(("10.00", "2026-02-01"),))
    book = sheets(await client.get("/ledger.xlsx", params={"year": 2026}, headers=FIN))
    rows = book["资金台账"]
    assert rows[0][0] == "政务信息化项目资金台账（2026年度，国库集中支付）"
    data = [dict(zip(rows[2], r, strict=False)) for r in rows[3:]]
    assert sorted((d["建设单位"], d["支付金额（元）"], d["本年累计（元）"], d["累计支付（元）"]) for d in data) == [
        ("ORG-A", 50.5, 50.5, 350.5),
        ("ORG-B", 10.0, 10.0, 10.0),
    ]
    everything = sheets(await client.get("/ledger.xlsx", headers=FIN))["资金台账"]
    assert len(everything) - 3 == 4
    mine = sheets(await client.get("/ledger.xlsx", headers=auth("unit", "ORG-A")))["资金台账"]
    assert {r[2] for r in mine[3:]} == {"ORG-A"} and len(mine) - 3 == 3
    assert a
    assert (await client.get("/ledger.xlsx", params={"year": 1999}, headers=FIN)).status_code == 422


async def test_funding_plan_exports_the_current_version_with_a_total_r4_2(harness, client):
    from govkit import clock

    year = clock.today().year
    ids = []
    for org, amount in (("ORG-A", "1000.00"), ("ORG-B", "2000.00")):
        pid = new_id()
        await review_started(harness, pid, amount, org=org)
        await approved(harness, pid, amount, org=org)
        ids.append(pid)
    r = await client.put(
        f"/funding-plans/{year}",
        headers=auth("bdb", "BDB"),
        json={"lines": [{"project_id": ids[0], "amount": "600.00"}, {"project_id": ids[1], "amount": "1500.50"}]},
    )
    assert r.status_code == 200, r.text
    rows = sheets(await client.get(f"/funding-plans/{year}", params={"format": "xlsx"}, headers=FIN))["资金计划"]
    assert rows[0][0] == f"{year}年度市级政务信息化项目资金计划（第 1 版，第四条）"
    data = [dict(zip(rows[2], r, strict=False)) for r in rows[3:]]
    assert sorted(d["本年度计划拨付（元）"] for d in data[:-1]) == [600.0, 1500.5]
    assert data[-1]["项目名称"] == "合计（2 个项目）" and data[-1]["本年度计划拨付（元）"] == 2100.5
    mine = sheets(await client.get(f"/funding-plans/{year}", params={"format": "xlsx"}, headers=UNIT))["资金计划"]
    assert [r[2] for r in mine[3:-1]] == ["ORG-A"]
    assert (await client.get(f"/funding-plans/{year + 1}", params={"format": "xlsx"}, headers=FIN)).status_code == 404
