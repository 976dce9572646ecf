import pytest

from questions.blueprint import apportion


def test_mls_c01_apportions_65_questions_as_13_16_23_13():
    assert apportion(65, [20, 24, 36, 20]) == [13, 16, 23, 13]


def test_successor_exam_apportionments_sum_to_the_question_count():
    assert sum(apportion(65, [28, 26, 22, 24])) == 65
    assert apportion(65, [20, 24, 28, 14, 14]) == [13, 16, 18, 9, 9]


def test_leftover_seat_goes_to_the_largest_remainder_and_ties_to_the_earlier_domain():
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert apportion(7, [50, 30, 20]) == [4, 2, 1]


@pytest.mark.parametrize("total", [0, 1, 13, 50, 65, 100, 260])
def test_apportionment_always_hands_out_exactly_the_total(total):
    shares = apportion(total, [20, 24, 36, 20])
    assert sum(shares) == total
    # Hamilton's method never strays more than one seat from the exact quota.
    for share, weight in zip(shares, [20, 24, 36, 20], strict=True):
        assert abs(share - total * weight / 100) < 1


def test_apportionment_refuses_weights_that_cannot_be_split():
    with pytest.raises(ValueError):
        apportion(10, [0, 0])
    with pytest.raises(ValueError):
        apportion(-1, [1])
