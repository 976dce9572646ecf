"""The real exam's scoring rules (invariant 7) and the scaled-score mapping (docs/scoring.md).

Pure functions: no database, no clock.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal


def is_answer_correct(selected: set[int], correct: set[int]) -> bool:
    """Right only when the selected set equals the correct set: all or nothing, blank is wrong."""
    return bool(selected) and selected == correct


def right_items(rows: Iterable[tuple[int, int, bool, bool]]) -> set[int]:
    """Ids of the items answered right, from (item_id, position, is_correct, selected) rows."""
    selected: dict[int, set[int]] = defaultdict(set)
    correct: dict[int, set[int]] = defaultdict(set)
    for item_id, position, is_correct, is_selected in rows:
        if is_correct:
            correct[item_id].add(position)
        if is_selected:
            selected[item_id].add(position)
    return {item for item in correct if is_answer_correct(selected[item], correct[item])}


def scaled_score(
    correct: int,
    total: int,
    *,
    cut: Decimal,
    scaled_min: int = 100,
    scaled_pass: int = 750,
    scaled_max: int = 1000,
) -> int:
    """Map a raw score onto the scaled range, piecewise linearly around the cut.

    A raw share r in [0, cut] maps onto [scaled_min, scaled_pass] and r in [cut, 1] onto
    [scaled_pass, scaled_max]; the result is rounded half up, so r == cut gives scaled_pass.
    """
    if total <= 0:
        raise ValueError("an attempt with no questions has no score")
    if not 0 <= correct <= total:
        raise ValueError("correct must be between 0 and total")
    cut = Decimal(cut)
    if not Decimal(0) < cut < Decimal(1):
        raise ValueError("cut must be strictly between 0 and 1")
    return scale_share(
        Decimal(correct) / Decimal(total),
        cut=cut,
        scaled_min=scaled_min,
        scaled_pass=scaled_pass,
        scaled_max=scaled_max,
    )


def scale_share(
    share: Decimal,
    *,
    cut: Decimal,
    scaled_min: int = 100,
    scaled_pass: int = 750,
    scaled_max: int = 1000,
) -> int:
    """The scaled-score mapping of a share right in [0, 1] (also a predicted share)."""
    share, cut = Decimal(share), Decimal(cut)
    if share <= cut:
        value = scaled_min + (scaled_pass - scaled_min) * share / cut
    else:
        value = scaled_pass + (scaled_max - scaled_pass) * (share - cut) / (1 - cut)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def has_passed(score: int, scaled_pass: int = 750) -> bool:
    return score >= scaled_pass


def meets_competencies(correct: int, total: int, cut: Decimal) -> bool:
    """A domain "meets competencies" when its share right is at least the cut."""
    return total > 0 and Decimal(correct) / Decimal(total) >= Decimal(cut)
