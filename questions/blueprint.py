"""Pure rules about an exam blueprint (no database)."""

from collections.abc import Sequence
from fractions import Fraction


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` seats across `weights` by the largest remainder (Hamilton) method.

    Each part gets the floor of its exact quota; the seats left over go to the largest
    remainders, ties broken by the earlier position so the result is deterministic.
    MLS-C01: apportion(65, [20, 24, 36, 20]) == [13, 16, 23, 13].
    """
    if total < 0:
        raise ValueError("total must not be negative")
    weight_sum = sum(weights)
    if weight_sum <= 0 or any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative and not all zero")
    # Exact fractions: floating point would misorder remainders such as 0.6 and 0.4 * 1.5.
    quotas = [Fraction(total * w, weight_sum) for w in weights]
    seats = [int(q) for q in quotas]
    left = total - sum(seats)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - seats[i]), i))
    for i in by_remainder[:left]:
        seats[i] += 1
    return seats


def weights_problem(weights: Sequence[int]) -> str | None:
    """Why an exam's domain weights are unusable, or None: they must sum to exactly 100."""
    total = sum(weights)
    if total != 100:
        return f"The domain weights of an exam must sum to 100; these sum to {total}."
    return None
