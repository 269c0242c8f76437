"""X-11.1 threshold splitting (pure): several declarations of one unit in one library year, alike
in title and content, each under a threshold but together reaching it, are flagged.

Decisions made here (see the report): "together over it" is read as reaching the threshold
(sum ≥ threshold), the level at which the whole would have needed the leading group (R-11.2) or
finance's estimate review (R-25.1, inclusive); "alike" is a character-bigram Jaccard similarity of
the titles (stop words such as 项目/建设/一期 removed) ≥ 0.5, or of title+description ≥ 0.6."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from govkit.money import fmt
from govkit.rules import Decision

TITLE_SIMILAR = 0.5
CONTENT_SIMILAR = 0.6
_STOP = re.compile(
    r"项目|建设|工程|系统|平台|一期|二期|三期|四期|五期|第.期|（.*?期）|\(.*?phase.*?\)|"
    r"\bphase\s*\w+\b|\bproject\b|\bsystem\b|\bplatform\b|[0-9０-９一二三四五六七八九十]+期|"
    r"[\s\W_]+",
    re.IGNORECASE,
)
COUNTED = {"submitted", "awaiting_consultation", "admitted", "emergency"}


@dataclass(frozen=True)
class DeclRef:
    project_id: str
    declaration_no: str
    org: str
    library_year: int
    title: str
    description: str
    amount: Decimal
    status: str


def _grams(text: str) -> set[str]:
    text = _STOP.sub(" ", text.lower())
    grams: set[str] = set()
    for token in text.split():
        if token.isascii():
            grams.add(token)
        else:
            grams |= {token[i : i + 2] for i in range(len(token) - 1)} or {token}
    return grams


def similarity(a: str, b: str) -> float:
    ga, gb = _grams(a), _grams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / len(ga | gb)


def alike(a: DeclRef, b: DeclRef) -> bool:
    return (
        similarity(a.title, b.title) >= TITLE_SIMILAR
        or similarity(f"{a.title} {a.description}", f"{b.title} {b.description}") >= CONTENT_SIMILAR
    )


def splitting_groups(decls: Sequence[DeclRef], thresholds: Sequence[Decimal]) -> list[Decision]:
    """One flag per (group, threshold) found; each flag lists its members."""
    flags: list[Decision] = []
    by_key: dict[tuple[str, int], list[DeclRef]] = {}
    for d in decls:
        if d.status in COUNTED:
            by_key.setdefault((d.org, d.library_year), []).append(d)
    for (org, year), members in sorted(by_key.items()):
        for threshold in sorted(thresholds, reverse=True):
            under = [d for d in members if d.amount < threshold]
            for group in _components(under):
                total = sum((d.amount for d in group), Decimal("0"))
                if len(group) >= 2 and total >= threshold:
                    nos = sorted(d.declaration_no for d in group)
                    flags.append(
                        Decision(
                            "X-11.1",
                            "flag",
                            f"疑似拆分项目：{org} 在{year}年度申报的 {len(group)} 个相似项目（{'、'.join(nos)}）"
                            f"各自低于 {fmt(threshold)} 元，合计 {fmt(total)} 元（第十一条，实践把握）",
                            {
                                "org": org,
                                "library_year": year,
                                "threshold": fmt(threshold),
                                "total": fmt(total),
                                "declaration_nos": nos,
                                "project_ids": sorted(d.project_id for d in group),
                            },
                        )
                    )
    return flags


def _components(decls: list[DeclRef]) -> list[list[DeclRef]]:
    seen: set[str] = set()
    groups = []
    for d in decls:
        if d.project_id in seen:
            continue
        stack, group = [d], []
        seen.add(d.project_id)
        while stack:
            cur = stack.pop()
            group.append(cur)
            for other in decls:
                if other.project_id not in seen and alike(cur, other):
                    seen.add(other.project_id)
                    stack.append(other)
        groups.append(group)
    return groups


def flags_for(project_id: str, flags: Sequence[Decision]) -> list[Decision]:
    return [f for f in flags if project_id in f.details.get("project_ids", [])]
