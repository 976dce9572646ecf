"""Invariant 7 and the scaled-score mapping of BLUEPRINT.md, as pure functions."""

from decimal import Decimal

import pytest

from attempts.scoring import has_passed, is_answer_correct, meets_competencies, scaled_score

CUT = Decimal("0.72")


def test_single_answer_is_right_only_when_it_is_the_key():
    assert is_answer_correct({2}, {2})
    assert not is_answer_correct({1}, {2})


def test_invariant_7_multiple_response_is_all_or_nothing():
    assert is_answer_correct({1, 4}, {1, 4})
    assert not is_answer_correct({1}, {1, 4})
    assert not is_answer_correct({1, 2}, {1, 4})
    assert not is_answer_correct({1, 2, 4}, {1, 4})


def test_invariant_7_unanswered_is_wrong():
    assert not is_answer_correct(set(), {3})


@pytest.mark.parametrize(
    ("correct", "total", "expected"),
    [
        (0, 65, 100),
        (65, 65, 1000),
        (18, 25, 750),  # exactly the cut: 0.72
        (36, 50, 750),
        (47, 65, 753),  # 0.72308: 750 + 250 * 0.00308 / 0.28 = 752.75
        (46, 65, 739),  # 0.70769: 100 + 650 * 0.70769 / 0.72 = 738.89
    ],
)
def test_scaled_score_maps_the_cut_to_the_pass_mark(correct, total, expected):
    assert scaled_score(correct, total, cut=CUT) == expected


def test_scaled_score_rounds_half_up():
    # 1 of 8 right with cut 0.5: 100 + 650 * 0.125 / 0.5 = 262.5 -> 263.
    assert scaled_score(1, 8, cut=Decimal("0.5")) == 263


def test_scaled_score_grows_with_every_extra_right_answer():
    scores = [scaled_score(n, 65, cut=CUT) for n in range(66)]
    assert scores == sorted(scores)
    assert scores[0] == 100 and scores[-1] == 1000
    first_pass = next(n for n, s in enumerate(scores) if has_passed(s))
    assert first_pass / 65 >= 0.72 - 1 / 65


def test_scaled_score_uses_the_exams_own_scale():
    assert scaled_score(7, 10, cut=Decimal("0.7"), scaled_pass=720) == 720


def test_domain_meets_competencies_at_the_cut():
    assert meets_competencies(18, 25, CUT)
    assert not meets_competencies(17, 25, CUT)
    assert not meets_competencies(0, 0, CUT)


def test_impossible_inputs_are_refused():
    with pytest.raises(ValueError):
        scaled_score(0, 0, cut=CUT)
    with pytest.raises(ValueError):
        scaled_score(5, 4, cut=CUT)
    with pytest.raises(ValueError):
        scaled_score(1, 4, cut=Decimal(1))


# Ordering and matching: rows (item, position, is_correct, selected, key, answer) -------------


def test_ordering_is_right_only_when_every_step_is_in_its_place():
    from attempts.scoring import right_items

    # Item 7: steps shown at positions 1-4 whose right places are 3, 1, 4, 2.
    right = [(7, 1, False, False, 3, 3), (7, 2, False, False, 1, 1),
             (7, 3, False, False, 4, 4), (7, 4, False, False, 2, 2)]  # fmt: skip
    swapped = [(8, 1, False, False, 3, 1), (8, 2, False, False, 1, 3),
               (8, 3, False, False, 4, 4), (8, 4, False, False, 2, 2)]  # fmt: skip
    partial = [(9, 1, False, False, 3, 3), (9, 2, False, False, 1, None),
               (9, 3, False, False, 4, 4), (9, 4, False, False, 2, 2)]  # fmt: skip
    blank = [(10, 1, False, False, 1, None), (10, 2, False, False, 2, None),
             (10, 3, False, False, 3, None)]  # fmt: skip
    assert right_items(right + swapped + partial + blank) == {7}


def test_matching_is_right_only_when_every_pair_is_right_and_items_score_alone():
    from attempts.scoring import right_items

    # Item 1 matching: three prompts whose responses are 4, 2, 2 (a response used twice).
    matching = [(1, 1, False, False, 4, 4), (1, 2, False, False, 2, 2),
                (1, 3, False, False, 2, 2)]  # fmt: skip
    one_pair_wrong = [(2, 1, False, False, 4, 4), (2, 2, False, False, 2, 1),
                      (2, 3, False, False, 2, 2)]  # fmt: skip
    # Items 3 and 4 of one case study: a single answered right and a multiple half right.
    single = [(3, 1, True, True, None, None), (3, 2, False, False, None, None)]
    multiple = [(4, 1, True, True, None, None), (4, 2, True, False, None, None),
                (4, 3, False, False, None, None)]  # fmt: skip
    assert right_items(matching + one_pair_wrong + single + multiple) == {1, 3}
