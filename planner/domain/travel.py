"""Direction of travel: how an action's RAG rating moved from one progress update to the
next. The details panel and the dashboard both judge it with this one rule."""

from __future__ import annotations

# RAG ratings from worst to best.
RAG_ORDER: tuple[str, ...] = ("R", "A", "G", "B")
IMPROVED, SAME, WORSE = "improved", "same", "worse"


def direction_of_travel(previous: str | None, current: str | None) -> str | None:
    """'improved', 'same' or 'worse' from one RAG rating to the next (R < A < G < B);
    None when either is unrated or not one of the four."""
    if previous not in RAG_ORDER or current not in RAG_ORDER:
        return None
    assert previous is not None and current is not None
    before, after = RAG_ORDER.index(previous), RAG_ORDER.index(current)
    if after > before:
        return IMPROVED
    if after < before:
        return WORSE
    return SAME
