"""R-9.2 (pure): a special addition enters the library only when bdb, finance and approval_bureau
have all agreed (会商同意); any one refusal refuses it; each bureau decides once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from govkit.rules import Decision

BUREAUS: tuple[str, ...] = ("bdb", "finance", "approval_bureau")
BUREAU_ZH = {"bdb": "市大数据管理局", "finance": "市财政局", "approval_bureau": "市行政审批局"}


@dataclass(frozen=True)
class Vote:
    bureau: str
    decision: str  # agree | refuse


def outcome(votes: Iterable[Vote]) -> str:
    """pending | admitted | refused."""
    votes = list(votes)
    if any(v.decision == "refuse" for v in votes):
        return "refused"
    agreed = {v.bureau for v in votes if v.decision == "agree"}
    return "admitted" if agreed >= set(BUREAUS) else "pending"


def awaiting(votes: Iterable[Vote]) -> list[str]:
    decided = {v.bureau for v in votes}
    return [b for b in BUREAUS if b not in decided]


def check_vote(bureau: str, votes: Sequence[Vote]) -> Decision:
    if bureau not in BUREAUS:
        return Decision("R-9.2", "fail", "专项增补由市大数据管理局、市财政局、市行政审批局会商（第九条）")
    if any(v.bureau == bureau for v in votes):
        return Decision(
            "R-9.2", "fail", f"{BUREAU_ZH[bureau]}已对该专项增补作出意见，不能重复决定（第九条）", {"bureau": bureau}
        )
    return Decision("R-9.2", "pass", f"{BUREAU_ZH[bureau]}会商意见")


def bureau_of(roles: Iterable[str], requested: str | None) -> str | None:
    """The bureau a principal decides for: the one of the three it holds, or the one it names."""
    held = [b for b in BUREAUS if b in set(roles)]
    if requested is not None:
        return requested if requested in held else None
    return held[0] if len(held) == 1 else None


def consultation_due(requested_on: date, days: int) -> date:
    """R-9.2 consultation answered within `days` days of the request (our practice, X-30.1)."""
    return requested_on + timedelta(days=days)
