"""Steps shared by the API tests: record what final acceptance needs, walk the stages."""

from __future__ import annotations

from acceptance.archives.rules import MANDATORY
from govkit.documents import testing as files

from ..support import ARCHIVES, BDB, SECRECY, UNIT


async def ok(resp, status=200):
    assert resp.status_code == status, resp.text
    return resp.json()


async def archive_documents(client, pid, kinds=None) -> dict[str, str]:
    """Upload one document of each mandatory kind (R-22.2) in the acceptance service: kind → doc id."""
    out = {}
    for kind in kinds or [k for k, _ in MANDATORY]:
        doc = await ok(
            await client.post(
                f"/projects/{pid}/documents",
                headers=UNIT,
                **files.form(kind, files.pdf(f"{pid} {kind}"), f"{kind}.pdf"),
            ),
            201,
        )
        out[kind] = doc["id"]
    return out


async def prerequisites(client, pid, *, archives=True, security=("mlps", "risk"), crypto=None, uses_cryptography=False):
    if archives:
        await archive_documents(client, pid)
    if archives is not None:
        await ok(
            await client.post(
                f"/projects/{pid}/archives-acceptance",
                headers=ARCHIVES,
                json={"report_no": "DA-1", "passed": archives, "accepted_on": "2024-04-20"},
            ),
            201,
        )
    for kind in security or ():  # the network security test and the risk assessment
        await ok(
            await client.post(
                f"/projects/{pid}/security-assessments",
                headers=UNIT,
                json={"kind": kind, "report_no": f"CP-{kind}", "passed": True, "assessed_on": "2024-04-21"},
            ),
            201,
        )
    if crypto is not None:
        await ok(
            await client.post(
                f"/projects/{pid}/security-assessments",
                headers=UNIT,
                json={"kind": "crypto", "report_no": "MP-1", "passed": crypto},
            ),
            201,
        )
    if uses_cryptography is not None:
        await ok(
            await client.put(f"/projects/{pid}/profile", headers=UNIT, json={"uses_cryptography": uses_cryptography})
        )


async def secrecy_review(client, pid, passed=True, operator="信息中心运维科"):
    return await ok(
        await client.post(
            f"/projects/{pid}/secrecy-review",
            headers=SECRECY,
            json={"passed": passed, "operator": operator, "reviewed_on": "2024-02-20"},
        ),
        201,
    )


async def preliminary(client, pid, headers=UNIT, on="2024-03-01"):
    return await client.post(
        f"/projects/{pid}/preliminary", headers=headers, json={"opinion": "初验合格", "accepted_on": on}
    )


async def trial(client, pid, headers=UNIT, starts="2024-03-05", ends="2024-04-05"):
    return await client.post(
        f"/projects/{pid}/trial-operation", headers=headers, json={"starts_on": starts, "ends_on": ends}
    )


async def apply_final(client, pid, headers=UNIT, planned="2024-05-10", applied="2024-04-25"):
    return await client.post(
        f"/projects/{pid}/final-application", headers=headers, json={"planned_on": planned, "applied_on": applied}
    )


async def final(client, pid, headers=BDB, on="2024-05-10", **extra):
    return await client.post(
        f"/projects/{pid}/final", headers=headers, json={"opinion": "同意通过竣工验收", "accepted_on": on, **extra}
    )


async def standard_to_final(client, pid):
    """A standard project walked to final acceptance (everything present)."""
    await prerequisites(client, pid)
    await ok(await preliminary(client, pid))
    await ok(await trial(client, pid))
    await ok(await apply_final(client, pid))
    return await ok(await final(client, pid))
