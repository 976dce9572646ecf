"""The save form shares its field definitions between requests (no per-request deep copy);
each form still reads and judges only its own post."""

from attempts.forms import AnswerForm
from attempts.services.saving import Go


def test_answer_forms_share_their_fields_instead_of_copying_them():
    first, second = AnswerForm({"version": "1"}), AnswerForm({"version": "2"})
    assert first.fields["choice"] is second.fields["choice"]
    assert first.fields is not second.fields  # each form keeps its own mapping


def test_a_shared_field_judges_each_post_alone():
    bad = AnswerForm({"version": "-1", "choice": ["9"], "place_1": "0"})
    good = AnswerForm({"version": "3", "choice": ["1", "2"], "go": "next", "place_2": "4"})
    assert not bad.is_valid()
    assert set(bad.errors) == {"version", "choice", "place_1"}
    assert good.is_valid(), good.errors
    submission = good.submission()
    assert submission.selected == {1, 2} and submission.version == 3
    assert submission.go == Go.NEXT and submission.placements == {(2, 4)}
    assert not bad.is_valid() and set(bad.errors) == {"version", "choice", "place_1"}
