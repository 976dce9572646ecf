"""The real exam's scoring rules (invariant 7) and the scaled-score mapping (docs/scoring.md).

Pure functions: no database, no clock.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal


def is_answer_correct(selected: set[int], correct: set[int]) -> bool:
    """Right only when the selected set equals the correct set: all or nothing, blank is wrong."""
    return bool(selected) and selected == correct


def is_placement_correct(placements: list[tuple[int | None, int | None]]) -> bool:
    """Ordering and matching: right only when every step or prompt is placed where its key
    says, (key, answer) pairs; one misplaced or unplaced pair makes the question wrong."""
    return bool(placements) and all(
        answer is not None and answer == key for key, answer in placements
    )


SCORING_FIELDS = ("item_id", "position", "is_correct", "selected", "key", "answer")


def right_items(
    rows: Iterable[tuple[int, int, bool, bool, int | None, int | None]],
) -> set[int]:
    """Ids of the items answered right, from (item_id, position, is_correct, selected, key,
    answer) rows (`SCORING_FIELDS`): a row with a key is an ordering step or a matching
    prompt, the others are options ticked or not. Each item is scored on its own, a case
    study's questions too."""
    selected: dict[int, set[int]] = defaultdict(set)
    correct: dict[int, set[int]] = defaultdict(set)
    placements: dict[int, list[tuple[int | None, int | None]]] = defaultdict(list)
    for item_id, position, is_correct, is_selected, key, answer in rows:
        if key is not None:
            placements[item_id].append((key, answer))
            continue
        if is_correct:
            correct[item_id].add(position)
        if is_selected:
            selected[item_id].add(position)
    right = {item for item in correct if is_answer_correct(selected[item], correct[item])}
    return right | {item for item, pairs in placements.items() if is_placement_correct(pairs)}


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
