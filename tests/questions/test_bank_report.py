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
        "full_mocks_without_repeat", "problems",
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


def test_a_healthy_bank_reports_no_problems(small_exam):
    assert bank_report(small_exam)["problems"] == []


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
