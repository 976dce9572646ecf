"""Readiness: a predicted scaled score for the next mock with an 80% range (docs/analytics.md).

Pure functions: no database, no clock. The inputs are a candidate's answers already counted
per attempt and domain, most recent attempt first.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from attempts.scoring import scale_share

# An attempt `HALF_LIFE` attempts older than the newest counts half as much: recent work says
# more about the next mock than the first week of study did.
HALF_LIFE = 3
# How many answers the prior is worth: with fewer real answers in a domain than this, the
# estimate leans on the prior more than on the candidate's own record there.
PRIOR_STRENGTH = 10
# Where a candidate with no answers at all is assumed to stand (a typical first mock).
POPULATION_PRIOR = 0.6
# Two-sided 80%: the 10th and 90th percentiles of the normal distribution.
Z80 = 1.2816
# "What would move it most": the scaled points gained by ten more points of share in a domain.
LIFT = 0.10


@dataclass(frozen=True)
class DomainCount:
    """Answers in one domain of one attempt; `age` 0 is the candidate's newest attempt."""

    age: int
    domain_id: int
    answered: int
    right: int


@dataclass(frozen=True)
class DomainEstimate:
    domain_id: int
    seats: int  # questions this domain gets in a mock (the blueprint's apportionment)
    weighted_answers: float
    share: float  # shrunk, recency-weighted share right


@dataclass(frozen=True)
class Readiness:
    share: float
    low_share: float
    high_share: float
    score: int
    low: int
    high: int
    answers: int
    domains: list[DomainEstimate]
    mover_domain_id: int | None
    mover_points: int


def recency_weight(age: int) -> float:
    return 0.5 ** (age / HALF_LIFE)


def predict(
    counts: Iterable[DomainCount],
    seats: dict[int, int],
    *,
    cut: Decimal,
    scaled_min: int = 100,
    scaled_pass: int = 750,
    scaled_max: int = 1000,
) -> Readiness:
    """The next mock's expected share right, domain by domain, and its 80% range.

    Per domain d: n_d and r_d are the recency-weighted answers and right answers; the share is
    (r_d + k m) / (n_d + k), with m the candidate's own overall weighted share, itself shrunk
    toward POPULATION_PRIOR. The variance of the next mock's share adds, per domain, the
    binomial spread of its seats and the uncertainty of the estimate: p(1-p)/seats +
    p(1-p)/(n_d + k + 1), each weighted by (seats / questions)^2, and the uncertainty of the
    shared prior m.
    """
    counts = list(counts)
    weighted_n: dict[int, float] = dict.fromkeys(seats, 0.0)
    weighted_r: dict[int, float] = dict.fromkeys(seats, 0.0)
    for row in counts:
        if row.domain_id not in seats:
            continue
        weight = recency_weight(row.age)
        weighted_n[row.domain_id] += weight * row.answered
        weighted_r[row.domain_id] += weight * row.right
    total_n, total_r = sum(weighted_n.values()), sum(weighted_r.values())
    prior = (total_r + PRIOR_STRENGTH * POPULATION_PRIOR) / (total_n + PRIOR_STRENGTH)
    questions = sum(seats.values())
    estimates, share, variance = [], 0.0, 0.0
    for domain_id, seat in seats.items():
        n, r = weighted_n[domain_id], weighted_r[domain_id]
        p = (r + PRIOR_STRENGTH * prior) / (n + PRIOR_STRENGTH)
        estimates.append(DomainEstimate(domain_id, seat, n, p))
        if not seat:
            continue
        blueprint = seat / questions
        share += blueprint * p
        variance += blueprint**2 * (p * (1 - p) / seat + p * (1 - p) / (n + PRIOR_STRENGTH + 1))
    # Every domain leans on the same prior, so its uncertainty moves them together: one shared
    # term, not one per domain (without it a candidate with no answers gets a far too narrow range).
    leaning = sum(
        e.seats / questions * PRIOR_STRENGTH / (e.weighted_answers + PRIOR_STRENGTH)
        for e in estimates
    )
    variance += leaning**2 * prior * (1 - prior) / (total_n + PRIOR_STRENGTH + 1)
    spread = Z80 * math.sqrt(variance)
    low_share, high_share = max(0.0, share - spread), min(1.0, share + spread)

    def scale(value: float) -> int:
        return scale_share(
            Decimal(str(round(value, 6))), cut=cut, scaled_min=scaled_min,
            scaled_pass=scaled_pass, scaled_max=scaled_max,
        )  # fmt: skip

    score = scale(share)
    mover, mover_points = None, 0
    for estimate in estimates:
        if not estimate.seats:
            continue
        gain = estimate.seats / questions * min(LIFT, 1 - estimate.share)
        points = scale(min(1.0, share + gain)) - score
        if points > mover_points:
            mover, mover_points = estimate.domain_id, points
    return Readiness(
        share=share,
        low_share=low_share,
        high_share=high_share,
        score=score,
        low=scale(low_share),
        high=scale(high_share),
        answers=sum(row.answered for row in counts),
        domains=estimates,
        mover_domain_id=mover,
        mover_points=mover_points,
    )
