"""统计 (GET /stats): counts and amounts by stage, RAG status, year and unit, computed by the
database; the same visibility as the project list. Fixed today: 2027-11-20."""

import uuid
from collections import Counter
from datetime import date
from decimal import Decimal

from govkit.dev.testing import auth
from govkit.events.reserve import ProjectAdmittedToReserve


async def admit(harness, org: str, year: int, investment: str) -> uuid.UUID:
    pid = uuid.uuid4()
    await harness.deliver(
        ProjectAdmittedToReserve(
            project_id=pid,
            declaration_no=f"SB-{year}-{pid.hex[:4]}",
            title="储备项目",
            category="business_application",
            org=org,
            library_year=year,
            estimated_investment=Decimal(investment),
            declared_on=date(year - 1, 10, 15),
            route="window",
            admitted_on=date(year - 1, 12, 1),
        )
    )
    return pid


async def listed(client, headers) -> list[dict]:
    out, cursor = [], None
    while True:
        params = {"limit": 200} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/projects", params=params, headers=headers)).json()
        out += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return out


async def test_stats_aggregate_what_the_list_shows(client, approve, harness):
    await approve("ORG-A", investment="400000.00", library_year=2027)  # approved in February, no report: red
    await approve("ORG-A", investment="100000.50", library_year=2027, approved_on=date(2027, 10, 30))
    await approve("ORG-B", investment="250000.00", library_year=2026, participants=["ORG-A"])
    await admit(harness, "ORG-B", 2028, "90000.00")
    await admit(harness, "ORG-C", 2028, "10000.25")
    bdb = auth("bdb", "BDB")
    r = await client.get("/stats", headers=bdb)
    assert r.status_code == 200, r.text
    stats = r.json()
    assert stats["as_of"] == "2027-11-20"
    assert stats["total"] == {
        "projects": 5,
        "estimated_investment": "850000.75",
        "approved_investment": "750000.50",
        "investment": "850000.75",
        "paid_total": "0.00",
    }
    items = await listed(client, bdb)
    assert {s["status"]: s["projects"] for s in stats["by_stage"]} == dict(Counter(p["status"] for p in items))
    ratings = Counter(p["rating"] for p in items)
    assert {r["rating"]: r["projects"] for r in stats["by_rating"]} == {
        k: ratings[k] for k in ("green", "amber", "red")
    }
    assert ratings["red"] >= 1 and ratings["green"] >= 2  # both kinds are present, so the comparison means something
    assert [(y["library_year"], y["projects"], y["approved_investment"]) for y in stats["by_year"]] == [
        (2026, 1, "250000.00"),
        (2027, 2, "500000.50"),
        (2028, 2, "0.00"),
    ]
    assert {(u["org"], u["projects"], u["investment"]) for u in stats["by_unit"]} == {
        ("ORG-A", 2, "500000.50"),
        ("ORG-B", 2, "340000.00"),
        ("ORG-C", 1, "10000.25"),
    }
    assert {(u["org"], u["library_year"], u["projects"]) for u in stats["by_unit_year"]} == {
        ("ORG-A", 2027, 2),
        ("ORG-B", 2026, 1),
        ("ORG-B", 2028, 1),
        ("ORG-C", 2028, 1),
    }
    only = (await client.get("/stats", params={"library_year": 2028}, headers=bdb)).json()
    assert only["total"]["projects"] == 2 and {u["org"] for u in only["by_unit"]} == {"ORG-B", "ORG-C"}


async def test_a_unit_counts_only_what_it_may_see(client, approve, harness):
    await approve("ORG-A", investment="400000.00")
    await approve("ORG-B", investment="250000.00", participants=["ORG-A"])  # ORG-A takes part
    await approve("ORG-B", investment="70000.00")
    await admit(harness, "ORG-C", 2028, "10000.00")
    a = (await client.get("/stats", headers=auth("unit", "ORG-A"))).json()
    assert a["total"]["projects"] == 2 and a["total"]["approved_investment"] == "650000.00"
    assert {u["org"] for u in a["by_unit"]} == {"ORG-A", "ORG-B"}
    assert sum(r["projects"] for r in a["by_rating"]) == 2
    c = (await client.get("/stats", headers=auth("unit", "ORG-C"))).json()
    assert c["total"]["projects"] == 1 and c["by_rating"] == [
        {"rating": "green", "projects": 1},
        {"rating": "amber", "projects": 0},
        {"rating": "red", "projects": 0},
    ]
    nobody = (await client.get("/stats", headers=auth("unit", "ORG-Z"))).json()
    assert nobody["total"]["projects"] == 0 and nobody["by_stage"] == [] and nobody["total"]["investment"] == "0.00"
    assert (await client.get("/stats")).status_code == 401
