import json

import pytest
from django.core.management import CommandError, call_command

from questions.models import Question
from questions.reports import bank_report
from tests.factories import DomainFactory, ExamFactory, QuestionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_json_report_prints_exactly_one_object_with_the_documented_fields(small_exam, capsys):
    call_command("bank_report", "--exam", small_exam.code, "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {
        "exam", "published", "by_domain", "by_task_statement", "by_kind", "services",
        "full_mocks_without_repeat", "questions_without_topics", "references_without_url",
        "item_writing", "problems",
    }  # fmt: skip
    assert report["exam"] == "SMALL-01"
    assert report["published"] == 20
    assert report["by_domain"] == {"1": 4, "2": 6, "3": 6, "4": 4}
    assert report["by_kind"]["multiple"] + report["by_kind"]["single"] == 20


def test_full_mocks_counts_how_many_mocks_the_scarcest_domain_can_fill(small_exam):
    # 10 questions at 20/30/30/20 need 2/3/3/2 per mock; 4/6/6/4 published fill exactly 2.
    assert bank_report(small_exam)["full_mocks_without_repeat"] == 2
    Question.objects.filter(domain__number=1).first().delete()
    report = bank_report(small_exam)
    assert report["full_mocks_without_repeat"] == 1


def test_only_published_questions_count(small_exam):
    Question.objects.filter(domain__number=4).update(status="retired")
    report = bank_report(small_exam)
    assert report["by_domain"]["4"] == 0
    assert report["full_mocks_without_repeat"] == 0
    assert "Domain 4 has 0 published questions; one mock needs 2." in report["problems"]


def test_problems_name_what_an_instructor_must_fix(small_exam):
    first, second = Question.objects.order_by("key")[:2]
    second.stem = "  " + first.stem.upper() + " "
    second.save()
    first.choices.filter(order=1).update(rationale="")
    small_exam.domains.filter(number=4).update(weight_percent=10)
    TopicFactory(exam=small_exam, code="T-lonely")
    problems = bank_report(small_exam)["problems"]
    assert f"Question {first.key}: Choice B has no rationale" in " ".join(problems)
    assert f"Duplicate stem shared by questions {first.key}, {second.key}." in problems
    assert "The domain weights of an exam must sum to 100; these sum to 90." in problems
    assert any("Topic T-lonely has 0 published" in p for p in problems)


def test_a_well_formed_bank_reports_only_its_writing_and_tagging_gaps(small_exam):
    # The factory's questions are valid but short and untagged: only those figures are flagged.
    report = bank_report(small_exam)
    assert report["questions_without_topics"] == 20
    assert [p for p in report["problems"] if not p.startswith(("Bank:", "Domain "))] == [
        "20 published question(s) have no topic, so topic drills never serve them."
    ]


def test_item_writing_figures_match_a_bank_counted_by_hand():
    exam = ExamFactory(question_count=2)
    first = DomainFactory(exam=exam, number=1, weight_percent=50)
    second = DomainFactory(exam=exam, number=2, weight_percent=50)
    topic = TopicFactory(exam=exam)
    questions = [
        # Key strictly longest by characters; a close call; 7 stem words with a qualifier.
        QuestionFactory(
            domain=first,
            stem="Which option is the MOST cost-effective choice?",
            choices=[("one two three four", True, ""), ("one two", False, "rule_out"),
                     ("one", False, "rule_out"), ("one two three", False, "close_call")],
            references="- [Guide](https://docs.aws.amazon.com/guide.html)\n- A bare title",
        ),
        # Key second-longest, no close call, no qualifier.
        QuestionFactory(
            domain=first,
            stem="Pick one.",
            choices=[("ab cd", True, ""), ("abcdefgh", False, "rule_out"),
                     ("abc", False, "rule_out"), ("a", False, "rule_out")],
        ),
        # Key third by length ("other").
        QuestionFactory(
            domain=second,
            stem="What is the LEAST effort path here now?",
            choices=[("xx", True, ""), ("zzz zz", False, "close_call"),
                     ("qqqq", False, "rule_out"), ("w", False, "rule_out")],
        ),
        # Multiple response: counts for stems, options and qualifiers, not for key length.
        QuestionFactory(
            domain=second,
            kind="multiple",
            stem="Choose TWO of these options please now.",
            choices=[("a b", True, ""), ("c d", True, ""), ("e", False, "rule_out"),
                     ("f", False, "rule_out"), ("g h i", False, "close_call")],
        ),
    ]  # fmt: skip
    for question in questions[1:]:
        question.topics.add(topic)
    report = bank_report(exam)
    assert report["item_writing"]["overall"] == {
        "questions": 4, "single_answer": 3,
        "key_longest_share": 0.333, "key_second_longest_share": 0.333,
        "median_stem_words": 7.0,  # of 7, 2, 8, 7
        "median_option_words": 1,  # of 17 options, nine have one word
        "qualifier_share": 0.5, "close_call_share": 0.667,
    }  # fmt: skip
    assert report["item_writing"]["by_domain"] == {
        "1": {
            "questions": 2, "single_answer": 2,
            "key_longest_share": 0.5, "key_second_longest_share": 0.5,
            "median_stem_words": 4.5, "median_option_words": 1.5,
            "qualifier_share": 0.5, "close_call_share": 0.5,
        },
        "2": {
            "questions": 2, "single_answer": 1,
            "key_longest_share": 0.0, "key_second_longest_share": 0.0,
            "median_stem_words": 7.5, "median_option_words": 1,
            "qualifier_share": 0.5, "close_call_share": 1.0,
        },
    }  # fmt: skip
    assert report["questions_without_topics"] == 1
    assert report["references_without_url"] == 1
    problems = report["problems"]
    assert "1 published question(s) have no topic, so topic drills never serve them." in problems
    assert any(p.startswith("1 reference(s) name a page without its URL") for p in problems)
    assert (
        "Bank: the key is the strictly longest option in 33% of single-answer questions "
        "(keep it between 20% and 30%)."
    ) in problems
    assert (
        "Domain 1: the key is the second-longest option in 50% of single-answer questions "
        "(at most 35%)." in problems
    )
    assert "Domain 2: the median stem has 7.5 words (at least 70)." in problems
    assert (
        "Domain 1: 50% of single-answer questions have a close-call option (at least 60%)."
        in problems
    )


def test_text_report_and_unknown_exam(small_exam, capsys):
    call_command("bank_report", "--exam", small_exam.code)
    assert "full mocks without a repeat: 2" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no exam"):
        call_command("bank_report", "--exam", "NOPE")


def test_report_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    exam = ExamFactory(question_count=4)
    domain = DomainFactory(exam=exam, number=1, weight_percent=100)
    for _ in range(3):
        QuestionFactory(domain=domain)
    with django_assert_max_num_queries(12) as small:
        bank_report(exam)
    for _ in range(40):
        QuestionFactory(domain=domain)
    with django_assert_max_num_queries(len(small.captured_queries)):
        bank_report(exam)


def test_by_kind_counts_the_new_kinds_and_the_writing_figures_stay_over_single_and_multiple():
    from tests.mla_bank import mla_mini_exam

    exam = mla_mini_exam()
    report = bank_report(exam)
    assert report["by_kind"] == {"single": 2, "multiple": 1, "ordering": 2, "matching": 1}
    assert report["item_writing"]["overall"]["questions"] == 3
    assert not [p for p in report["problems"] if "m-order" in p or "m-match" in p]
