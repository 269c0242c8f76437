"""The policy store (R-31.1, R-33.1): versions per jurisdiction with effective_from, added by admin,
never edited; each published as `PolicyVersionAdded` so every service judges by the same policy."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from govkit import clock, policy, policy_store
from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.reserve import PolicyVersionAdded
from govkit.outbox import emit
from govkit.rules import Decision

from . import rules
from .schemas import BaseRef, PolicyVersionCreate, PolicyVersionList, PolicyVersionRead


def _violation(d: Decision) -> dict:
    data = d.as_dict()
    return {**data, "field": d.details.get("field"), "basis": d.details.get("basis", data["basis"])}


def _read_builtin(p: policy.Policy) -> PolicyVersionRead:
    return PolicyVersionRead(
        id=None,
        jurisdiction=p.jurisdiction,
        code=p.code,
        title="盐城市市级政务信息化项目建设管理办法",
        effective_from=p.effective_from,
        parameters=policy.parameters_of(p),
        source="builtin",
    )


def _read_row(row: policy_store.PolicyVersion) -> PolicyVersionRead:
    base = row.parameters.get("_inherits") if isinstance(row.parameters, dict) else None
    params = {k: v for k, v in row.parameters.items() if not k.startswith("_")}
    return PolicyVersionRead(
        id=row.id,
        jurisdiction=row.jurisdiction,
        code=row.code,
        title=row.title,
        effective_from=row.effective_from,
        parameters=params,
        source="api",
        inherits_from=BaseRef(**base) if base else None,
        note=row.note,
        added_by=row.added_by,
        added_at=row.added_at,
    )


async def add_version(session: AsyncSession, principal: Principal, data: PolicyVersionCreate) -> PolicyVersionRead:
    jurisdiction = policy.normalise_jurisdiction(data.jurisdiction)
    check = rules.check_jurisdiction(data.jurisdiction)
    if jurisdiction is None or not check.ok:
        raise Problem(422, check.message, rule="R-31.1", violations=[_violation(check)])
    when = rules.check_effective_from(data.effective_from, clock.today())
    if not when.ok:
        raise Problem(409, when.message, rule="R-33.1", violations=[_violation(when)])
    existing = await policy_store.find(session, jurisdiction, data.effective_from)
    builtin = next(
        (p for p in policy.POLICIES if (p.jurisdiction, p.effective_from) == (jurisdiction, data.effective_from)), None
    )
    fresh = rules.check_new_version(
        existing.code if existing else (builtin.code if builtin else None), jurisdiction, data.effective_from
    )
    if not fresh.ok:
        raise Problem(409, fresh.message, rule="R-33.1", violations=[_violation(fresh)])
    base = policy.policy_for(data.effective_from, jurisdiction)
    built, problems = policy.build(data.code, jurisdiction, data.effective_from, data.parameters, base)
    if built is None:
        raise Problem(
            422,
            "政策参数无效：" + "；".join(p["message"] for p in problems) + "（第三十一条）",
            rule="R-31.1",
            violations=[{"rule": "R-31.1", "article": "第三十一条", **p} for p in problems],
        )
    params = policy.parameters_of(built)
    row = await policy_store.store(
        session,
        policy_store.PolicyVersion(
            id=str(uuid.uuid4()),
            jurisdiction=jurisdiction,
            effective_from=data.effective_from,
            code=data.code,
            title=data.title,
            note=data.note,
            added_by=principal.sub,
            parameters={
                **params,
                "_inherits": {
                    "code": base.code,
                    "jurisdiction": base.jurisdiction,
                    "effective_from": base.effective_from.isoformat(),
                },
            },
        ),
    )
    await emit(
        session,
        PolicyVersionAdded(
            policy_id=row.id,
            jurisdiction=jurisdiction,
            code=data.code,
            title=data.title,
            effective_from=data.effective_from,
            parameters=params,
            added_on=clock.today(),
        ),
        actor=principal,
        rule="R-31.1",
    )
    return _read_row(row)


async def list_versions(session: AsyncSession, jurisdiction: str | None) -> PolicyVersionList:
    juris = None
    if jurisdiction is not None:
        juris = policy.normalise_jurisdiction(jurisdiction)
        if juris is None:
            check = rules.check_jurisdiction(jurisdiction)
            raise Problem(422, check.message, rule="R-31.1", violations=[_violation(check)])
    items = [_read_builtin(p) for p in policy.POLICIES]
    items += [_read_row(r) for r in await policy_store.rows(session)]
    if juris is not None:
        items = [i for i in items if i.jurisdiction == juris]
    items.sort(key=lambda i: (i.jurisdiction != policy.CITY, i.jurisdiction, i.effective_from))
    return PolicyVersionList(items=items)


async def in_force(session: AsyncSession, jurisdiction: str, on: date) -> PolicyVersionRead:
    """The version that judges a project of `jurisdiction` declared on `on` (R-33.1)."""
    juris = policy.normalise_jurisdiction(jurisdiction)
    if juris is None:
        check = rules.check_jurisdiction(jurisdiction)
        raise Problem(422, check.message, rule="R-31.1", violations=[_violation(check)])
    stored = await policy_store.rows(session)
    try:
        p = policy.policy_for(on, juris, policy.POLICIES + tuple(policy_store.to_policy(r) for r in stored))
    except policy.NoPolicyInForce as exc:  # nothing to show for that date: not found
        raise Problem(404, exc.message, rule=exc.rule) from None
    for r in stored:
        if (r.jurisdiction, r.effective_from) == (p.jurisdiction, p.effective_from):
            return _read_row(r)
    return _read_builtin(p)
