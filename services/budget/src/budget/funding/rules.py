"""R-28.1: evaluation ratings are the main basis of next year's O&M funding; a system rated
inefficient gets, as a rule, none. Post-evaluation (third party / bdb) outweighs self-evaluation."""

from __future__ import annotations

from datetime import date

from govkit.rules import Decision

RATING_ZH = {"excellent": "优秀", "good": "良好", "fair": "一般", "inefficient": "运行低效"}
DECISION_ZH = {"funded": "安排运维经费", "reduced": "核减运维经费", "none": "原则上不安排运维经费"}
SOURCE_ZH = {"self_evaluation": "自评价", "post_evaluation": "后评价"}
SOURCE_WEIGHT = {"self_evaluation": 1, "post_evaluation": 2}
DECISION_OF = {"excellent": "funded", "good": "funded", "fair": "reduced", "inefficient": "none"}


def funding_year(evaluated_on: date) -> int:
    """The decision is for the year after the evaluation."""
    return evaluated_on.year + 1


def funding_decision(rating: str, source: str, evaluated_on: date) -> Decision:
    decision = DECISION_OF[rating]
    year = funding_year(evaluated_on)
    message = (
        f"{evaluated_on.isoformat()} {SOURCE_ZH[source]}结果为“{RATING_ZH[rating]}”，"
        f"{year} 年度{DECISION_ZH[decision]}（第二十八条）"
    )
    return Decision(
        "R-28.1",
        "fail" if decision == "none" else ("flag" if decision == "reduced" else "pass"),
        message,
        {"decision": decision, "year": year, "rating": rating, "source": source},
    )


def overrides(existing_source: str | None, new_source: str) -> bool:
    """A post-evaluation overrides a self-evaluation of the same year; a self-evaluation never
    overrides a post-evaluation; the same kind replaces the earlier one."""
    if existing_source is None:
        return True
    return SOURCE_WEIGHT[new_source] >= SOURCE_WEIGHT[existing_source]
