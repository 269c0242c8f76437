"""Rule ids → articles. Every decision the system returns cites its rule and article."""

from __future__ import annotations

from dataclasses import dataclass, field

_NUMERALS = "零一二三四五六七八九"


def article_zh(n: int) -> str:
    """1 → 第一条, 26 → 第二十六条."""
    if n < 10:
        body = _NUMERALS[n]
    elif n < 20:
        body = "十" + (_NUMERALS[n % 10] if n % 10 else "")
    else:
        body = _NUMERALS[n // 10] + "十" + (_NUMERALS[n % 10] if n % 10 else "")
    return f"第{body}条"


def article_of(rule: str) -> str:
    """'R-26.1' → '第二十六条'; 'X-20.1' → '第二十条' (our reading of that article)."""
    try:
        number = int(rule.split("-", 1)[1].split(".", 1)[0])
    except (IndexError, ValueError) as exc:
        raise ValueError(f"not a rule id: {rule!r}") from exc
    return article_zh(number)


def basis_of(rule: str) -> str:
    """'text' for the measures' own rules, 'practice' for our readings (X-…)."""
    return "practice" if rule.startswith("X-") else "text"


@dataclass(frozen=True)
class Decision:
    """The outcome of one rule applied to one case."""

    rule: str
    result: str  # pass | flag | fail
    message: str
    details: dict = field(default_factory=dict)

    @property
    def article(self) -> str:
        return article_of(self.rule)

    @property
    def ok(self) -> bool:
        return self.result != "fail"

    def as_dict(self) -> dict:
        out = {
            "rule": self.rule,
            "article": self.article,
            "result": self.result,
            "message": self.message,
            "basis": basis_of(self.rule),
        }
        if self.details:
            out["details"] = self.details
        return out


def violation(rule: str, message: str, **extra) -> dict:
    """One unmet condition, as listed in a problem's `violations`."""
    return {"rule": rule, "article": article_of(rule), "message": message, "basis": basis_of(rule), **extra}
