"""The versioned policy (RULES.md, last section): parameters as data with effective_from and
jurisdiction. Code reads thresholds and periods only through `policy_for`.

The built-in versions below are the default. Versions added through the API (R-31.1: a county's own
measure, or a later city version; the reserve service owns the store, `POST /api/v1/policies`)
reach every service as `PolicyVersionAdded` and are kept in its local `policy_versions` table
(`govkit.policy_store`); `install`/`add` put them here, so every service judges by the same policy."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal, InvalidOperation

CITY = "city"  # 市本级; counties use their administrative code


@dataclass(frozen=True)
class Policy:
    code: str
    jurisdiction: str
    effective_from: date
    leading_group_threshold: Decimal
    estimate_review_threshold: Decimal  # R-26.1 (inclusive)
    self_adjustment_limit: Decimal  # share of the approved total
    warranty_min_years: int
    self_evaluation_from_months: int
    self_evaluation_to_months: int
    progress_report_period_months: int
    progress_report_due_days: int  # days after quarter end
    supplement_period_months: int
    annual_window_quarter: int  # quarter of the year before the library year
    splitting_thresholds: tuple[Decimal, ...]
    self_evaluation_reminder_days: int = 30
    deadline_reminder_days: int = 7  # a clock is pushed this many days before it runs out


YANCHENG_2023_25 = Policy(
    code="盐政办发〔2023〕25号",
    jurisdiction=CITY,
    effective_from=date(2023, 7, 1),
    leading_group_threshold=Decimal("2000000.00"),
    estimate_review_threshold=Decimal("500000.00"),
    self_adjustment_limit=Decimal("0.15"),
    warranty_min_years=2,
    self_evaluation_from_months=12,
    self_evaluation_to_months=24,
    progress_report_period_months=3,
    progress_report_due_days=15,
    supplement_period_months=6,
    annual_window_quarter=4,
    splitting_thresholds=(Decimal("2000000.00"), Decimal("500000.00")),
)

# Never edited in place: a new version is a new entry with a later effective_from.
POLICIES: tuple[Policy, ...] = (YANCHENG_2023_25,)

# Versions added through the API, as this process knows them (jurisdiction, effective_from) → Policy.
_ADDED: dict[tuple[str, date], Policy] = {}
_ALL: list[tuple[Policy, ...]] = [POLICIES]


def _rebuild() -> None:
    builtin = {(b.jurisdiction, b.effective_from) for b in POLICIES}
    _ALL[0] = POLICIES + tuple(p for k, p in _ADDED.items() if k not in builtin)


def install(policies: Iterable[Policy]) -> None:
    """Replace the added versions with `policies` (a service's local table, loaded)."""
    _ADDED.clear()
    for p in policies:
        _ADDED[(p.jurisdiction, p.effective_from)] = p
    _rebuild()


def add(*policies: Policy) -> None:
    """Add versions to what `policy_for` consults; versions are never edited or removed (R-33.1)."""
    for p in policies:
        _ADDED[(p.jurisdiction, p.effective_from)] = p
    _rebuild()


def all_policies() -> tuple[Policy, ...]:
    """The built-in versions and those added (a built-in one is never replaced: R-33.1)."""
    return _ALL[0]


# -- jurisdictions (R-31.1) -------------------------------------------------------------------------
# 市本级 is "city"; a county (县、市、区) is its 6-digit administrative code under Yancheng (3209xx).
CITY_CODE = "320900"
_COUNTY = re.compile(r"^3209(?!00)\d{2}$")
# What the API documents as a jurisdiction: "city" (市本级, also 320900) or a county code 3209xx.
JURISDICTION_PATTERN = r"^(city|3209[0-9]{2})$"


def normalise_jurisdiction(value: str | None) -> str | None:
    """'city' / None / '' / '320900' → 'city'; a county code → itself; anything else → None (invalid)."""
    if value is None or value in ("", CITY, CITY_CODE):
        return CITY
    value = str(value).strip()
    return value if _COUNTY.match(value) else None


# -- parameters as data (the API and the PolicyVersionAdded event) ----------------------------------
_IDENTITY = ("code", "jurisdiction", "effective_from")
MONEY_PARAMETERS = ("leading_group_threshold", "estimate_review_threshold")
PARAMETERS = tuple(f.name for f in fields(Policy) if f.name not in _IDENTITY)


def parameters_of(policy: Policy) -> dict:
    """JSON-safe parameters (Decimals as strings)."""
    out: dict = {}
    for name in PARAMETERS:
        v = getattr(policy, name)
        if isinstance(v, Decimal):
            v = str(v)
        elif isinstance(v, tuple):
            v = [str(x) for x in v]
        out[name] = v
    return out


# name → (kind, low, high): money in yuan, a share, or an integer, each with its admissible range.
_BOUNDS: dict[str, tuple[str, object, object]] = {
    "leading_group_threshold": ("money", Decimal("0.01"), Decimal("100000000000.00")),
    "estimate_review_threshold": ("money", Decimal("0.01"), Decimal("100000000000.00")),
    "self_adjustment_limit": ("share", Decimal("0"), Decimal("1")),
    "warranty_min_years": ("int", 1, 10),
    "self_evaluation_from_months": ("int", 1, 120),
    "self_evaluation_to_months": ("int", 1, 120),
    "progress_report_period_months": ("int", 1, 12),
    "progress_report_due_days": ("int", 0, 90),
    "supplement_period_months": ("int", 1, 12),
    "annual_window_quarter": ("int", 1, 4),
    "self_evaluation_reminder_days": ("int", 1, 365),
}


def build(
    code: str, jurisdiction: str, effective_from: date, parameters: dict, base: Policy
) -> tuple[Policy | None, list[dict]]:
    """A complete version from `parameters` (those not given are the `base` version's): the new
    Policy, or None and every violation ({field, message}) found."""
    violations: list[dict] = []
    unknown = sorted(set(parameters) - set(PARAMETERS))
    for name in unknown:
        violations.append({"field": f"parameters.{name}", "message": f"未知的政策参数：{name}"})
    values: dict = {}
    for name, (kind, low, high) in _BOUNDS.items():
        if name not in parameters:
            continue
        raw = parameters[name]
        field_ = f"parameters.{name}"
        if kind == "int":
            if isinstance(raw, bool) or not isinstance(raw, int):
                violations.append({"field": field_, "message": f"{name} 须为整数"})
                continue
            if not low <= raw <= high:
                violations.append({"field": field_, "message": f"{name} 须在 {low} 至 {high} 之间"})
                continue
            values[name] = raw
        else:
            if isinstance(raw, (float, bool)) or not isinstance(raw, (str, int)):
                violations.append({"field": field_, "message": f"{name} 须为十进制字符串（不接受浮点数）"})
                continue
            try:
                dec = Decimal(str(raw))
            except InvalidOperation:
                violations.append({"field": field_, "message": f"{name} 不是有效的数值"})
                continue
            if not dec.is_finite() or (kind == "money" and dec != dec.quantize(Decimal("0.01"))):
                violations.append({"field": field_, "message": f"{name} 金额最多两位小数"})
                continue
            ok = low <= dec <= high if kind == "money" else low < dec < high
            if not ok:
                violations.append({"field": field_, "message": f"{name} 须在 {low} 至 {high} 之间"})
                continue
            values[name] = dec.quantize(Decimal("0.01")) if kind == "money" else dec
    if "splitting_thresholds" in parameters:
        violations.append(
            {
                "field": "parameters.splitting_thresholds",
                "message": "splitting_thresholds 由两项金额门槛确定，不单独设置（X-11.1）",
            }
        )
    if violations:
        return None, violations
    policy = replace(base, code=code, jurisdiction=jurisdiction, effective_from=effective_from, **values)
    policy = replace(
        policy,
        splitting_thresholds=tuple(
            sorted({policy.leading_group_threshold, policy.estimate_review_threshold}, reverse=True)
        ),
    )
    if policy.estimate_review_threshold > policy.leading_group_threshold:
        violations.append(
            {"field": "parameters.estimate_review_threshold", "message": "概算评审门槛不得高于领导小组审定门槛"}
        )
    if policy.self_evaluation_from_months >= policy.self_evaluation_to_months:
        violations.append({"field": "parameters.self_evaluation_to_months", "message": "自评价期限的终点须晚于起点"})
    if 12 % policy.progress_report_period_months or 12 % policy.supplement_period_months:
        violations.append(
            {
                "field": "parameters.progress_report_period_months"
                if 12 % policy.progress_report_period_months
                else "parameters.supplement_period_months",
                "message": "周期须能整除十二个月（1、2、3、4、6、12）",
            }
        )
    return (None, violations) if violations else (policy, [])


def from_parameters(code: str, jurisdiction: str, effective_from: date, parameters: dict) -> Policy:
    """A stored/evented complete version back into a Policy (it was validated when added)."""
    values: dict = {}
    for name in PARAMETERS:
        if name not in parameters:
            continue
        v = parameters[name]
        if name == "splitting_thresholds":
            values[name] = tuple(Decimal(str(x)) for x in v)
        elif name in MONEY_PARAMETERS or name == "self_adjustment_limit":
            values[name] = Decimal(str(v))
        else:
            values[name] = int(v)
    return replace(YANCHENG_2023_25, code=code, jurisdiction=jurisdiction, effective_from=effective_from, **values)


class NoPolicyInForce(LookupError):
    """No version of the measures was in force on that date (R-33.1: in force from 2023-07-01).
    A domain error: `govkit.errors` renders it as 422 problem+json citing R-33.1."""

    rule = "R-33.1"

    def __init__(self, on: date, jurisdiction: str = CITY):
        self.on, self.jurisdiction = on, jurisdiction
        self.message = f"{on.isoformat()} 无有效的管理办法版本（本办法自2023年7月1日起施行）"
        super().__init__(self.message)


def policy_for(on: date, jurisdiction: str = CITY, policies: tuple[Policy, ...] | None = None) -> Policy:
    """The policy in force on `on` in `jurisdiction` (a county without its own falls back to the city).
    `policies` defaults to the built-in versions and those added through the API (R-31.1)."""
    if policies is None:
        policies = all_policies()
    jurisdiction = jurisdiction or CITY
    for juris in (jurisdiction, CITY) if jurisdiction != CITY else (CITY,):
        candidates = [p for p in policies if p.jurisdiction == juris and p.effective_from <= on]
        if candidates:
            return max(candidates, key=lambda p: p.effective_from)
    raise NoPolicyInForce(on, jurisdiction)
