"""The MLA-C01 bank that `make setup` loads meets the targets of the MLA-C01 issue
(docs/mla-c01-syllabus.md)."""

from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command

from questions import references as reference_rules
from questions.models import CaseStudy, Exam, Question, Topic
from questions.reports import bank_report
from tests.questions.item_writing import assert_meets_item_writing_targets

pytestmark = pytest.mark.django_db

BANK = settings.BASE_DIR / "fixtures" / "bank-mla"


@pytest.fixture
def mla(mls_blueprint):
    call_command("import_questions", BANK)
    return Exam.objects.get(code="MLA-C01")


def test_mla_bank_is_active_and_imports_with_no_problems(mla):
    assert mla.is_active
    assert bank_report(mla)["problems"] == []


def test_mla_bank_fills_three_mocks_weighted_28_26_22_24(mla):
    report = bank_report(mla)
    assert report["published"] >= 200
    assert report["full_mocks_without_repeat"] >= 3
    # Three mocks of 18/17/14/16 questions, and the bank in the blueprint's proportions.
    minimum = {"1": 54, "2": 51, "3": 42, "4": 48}
    for domain, count in report["by_domain"].items():
        assert count >= minimum[domain], f"domain {domain}"
        weight = {"1": 28, "2": 26, "3": 22, "4": 24}[domain]
        assert abs(100 * count / report["published"] - weight) <= 3, f"domain {domain}"
    assert len(report["by_task_statement"]) == 12
    assert min(report["by_task_statement"].values()) >= 8


def test_mla_bank_mixes_the_exam_s_question_kinds(mla):
    kinds = bank_report(mla)["by_kind"]
    published = sum(kinds.values())
    assert kinds["ordering"] >= 1 and kinds["matching"] >= 1
    assert kinds["ordering"] + kinds["matching"] >= 0.10 * published
    assert kinds["multiple"] >= 0.20 * published
    studies = CaseStudy.objects.filter(exam=mla)
    assert studies.count() >= 2
    for study in studies:
        assert study.questions.published().count() >= 3, study.key


def test_every_mla_syllabus_topic_has_two_questions(mla):
    counts = Counter(
        Question.topics.through.objects.filter(question__exam=mla).values_list(
            "topic__code", flat=True
        )
    )
    topics = Topic.objects.filter(exam=mla)
    assert topics.count() >= 30
    for topic in topics:
        assert counts[topic.code] >= 2, topic.code
    syllabus = (settings.BASE_DIR / "docs" / "mla-c01-syllabus.md").read_text()
    for topic in topics:
        assert f"`{topic.code}`" in syllabus, topic.code


@pytest.mark.parametrize("scope", ["overall", "1", "2", "3", "4"])
def test_mla_bank_meets_every_item_writing_target(mla, scope):
    writing = bank_report(mla)["item_writing"]
    measured = writing["overall"] if scope == "overall" else writing["by_domain"][scope]
    assert_meets_item_writing_targets(measured)


def test_every_mla_question_has_a_rationale_per_option_and_linked_references(mla):
    report = bank_report(mla)
    assert report["questions_without_topics"] == 0
    assert report["references_without_url"] == 0
    for question in Question.objects.filter(exam=mla).prefetch_related("choices"):
        assert len(question.explanation) >= 80, question.key
        for reference in reference_rules.parse(question.references):
            assert reference.url.startswith("https://"), question.key
            assert "aws.amazon.com/" in reference.url, question.key
        for choice in question.choices.all():
            assert len(choice.rationale) >= 40, f"{question.key} {choice.order}"


def test_reimporting_the_mla_bank_changes_nothing(mla, capsys):
    capsys.readouterr()
    call_command("import_questions", BANK)
    count = Question.objects.filter(exam=mla).count()
    assert f"0 created, 0 updated, {count} unchanged" in capsys.readouterr().out
