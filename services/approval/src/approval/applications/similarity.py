"""Text overlap for duplicate-construction checks (X-10.3, R-10.5, R-12.1): character bigrams
(Chinese has no spaces) plus word tokens, compared with Jaccard. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Iterable

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize(text: str) -> str:
    return _NON_WORD.sub("", (text or "").lower())


def bigrams(text: str) -> set[str]:
    s = normalize(text)
    if len(s) < 2:
        return {s} if s else set()
    return {s[i : i + 2] for i in range(len(s) - 1)}


def profile(parts: Iterable[str]) -> set[str]:
    """The token set of a title + functions + data items: bigrams of each part, plus whole words."""
    out: set[str] = set()
    for part in parts:
        out |= bigrams(part)
        out |= {f"w:{w}" for w in re.findall(r"[a-z0-9]{3,}", (part or "").lower())}
    return out


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similar(a: str, b: str) -> float:
    """1.0 for the same name (ignoring spaces and punctuation), else bigram Jaccard."""
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    return jaccard(bigrams(na), bigrams(nb))
