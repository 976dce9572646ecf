"""Readiness: the predicted next mock and its 80% range, by hand and on simulated candidates."""

import random
from decimal import Decimal

import pytest

from attempts.readiness import DomainCount, predict
from attempts.scoring import scaled_score

CUT = Decimal("0.72")


def test_with_no_answers_the_prediction_is_the_prior_with_a_wide_range():
    result = predict([], {1: 5, 2: 5}, cut=CUT)
    # p = 0.6 in both domains; variance = 2 * 0.5^2 * (0.24/5 + 0.24/11) + 1^2 * 0.24/11
    # = 0.0567273; spread = 1.2816 * 0.238175 = 0.305245.
    assert result.share == pytest.approx(0.6)
    assert result.low_share == pytest.approx(0.294755, abs=1e-6)
    assert result.high_share == pytest.approx(0.905245, abs=1e-6)
    # 100 + 650 * 0.6 / 0.72 = 641.7; 100 + 650 * 0.294755 / 0.72 = 366.1;
    # 750 + 250 * (0.905245 - 0.72) / 0.28 = 915.4
    assert (result.score, result.low, result.high) == (642, 366, 915)


def test_recent_attempts_count_more_and_little_data_is_shrunk_toward_the_prior():
    counts = [DomainCount(0, 1, 10, 10), DomainCount(3, 1, 10, 0)]
    result = predict(counts, {1: 10}, cut=CUT)
    # Weights 1 and 0.5 (three attempts older): n = 15, r = 10.
    # Prior m = (10 + 10 * 0.6) / (15 + 10) = 0.64; p = (10 + 10 * 0.64) / 25 = 0.656.
    assert result.domains[0].weighted_answers == pytest.approx(15)
    assert result.share == pytest.approx(0.656)
    assert result.answers == 20


def test_what_would_move_it_most_is_the_heavy_weak_domain():
    counts = [DomainCount(0, 1, 20, 18), DomainCount(0, 2, 36, 18)]
    result = predict(counts, {1: 20, 2: 36}, cut=CUT)
    assert result.mover_domain_id == 2
    assert result.mover_points > 0


def simulate(rng, history_mocks):
    seats = {1: 13, 2: 16, 3: 23, 4: 13}
    level = rng.uniform(0.4, 0.9)
    ability = {d: min(0.98, max(0.05, level + rng.gauss(0, 0.08))) for d in seats}

    def sit(domain, n):
        return sum(rng.random() < ability[domain] for _ in range(n))

    counts = [
        DomainCount(age, d, n, sit(d, n)) for age in range(history_mocks) for d, n in seats.items()
    ]
    prediction = predict(counts, seats, cut=CUT)
    next_score = scaled_score(sum(sit(d, n) for d, n in seats.items()), 65, cut=CUT)
    return prediction.low <= next_score <= prediction.high


@pytest.mark.parametrize("history_mocks", [0, 1, 3])
def test_the_80_percent_range_holds_the_next_score_about_80_percent_of_the_time(history_mocks):
    rng = random.Random(2026 + history_mocks)
    hits = sum(simulate(rng, history_mocks) for _ in range(800))
    assert 0.74 <= hits / 800 <= 0.86
