"""The bank that `make setup` loads meets the targets of the bank issue (docs/bank-coverage.md)."""

from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command

from questions.models import Question, Topic
from questions.reports import bank_report

pytestmark = pytest.mark.django_db

BANK = settings.BASE_DIR / "fixtures" / "bank"


@pytest.fixture
def shipped_bank(mls_blueprint):
    call_command("import_questions", BANK)
    return mls_blueprint


def test_shipped_bank_imports_with_no_problems(shipped_bank):
    report = bank_report(shipped_bank)
    assert report["problems"] == []


def test_shipped_bank_fills_four_mocks_with_the_required_domain_sizes(shipped_bank):
    report = bank_report(shipped_bank)
    assert report["published"] >= 260
    assert report["full_mocks_without_repeat"] >= 4
    minimum = {"1": 52, "2": 64, "3": 92, "4": 52}
    for domain, count in report["by_domain"].items():
        assert count >= minimum[domain], f"domain {domain}"
    assert min(report["by_task_statement"].values()) >= 8
    assert report["services"] >= 30


def test_at_least_a_fifth_is_multiple_response_with_five_or_six_choices(shipped_bank):
    report = bank_report(shipped_bank)
    assert report["by_kind"]["multiple"] >= 0.2 * report["published"]
    for question in Question.objects.filter(kind="multiple").prefetch_related("choices"):
        assert question.choices.count() in (5, 6), question.key
        assert question.choose_label.rstrip(".") in question.stem, question.key


def test_every_syllabus_topic_has_two_questions(shipped_bank):
    counts = Counter(Question.topics.through.objects.values_list("topic__code", flat=True))
    for topic in Topic.objects.filter(exam=shipped_bank):
        assert counts[topic.code] >= 2, topic.code


def test_every_question_teaches_how_to_rule_out_each_wrong_choice(shipped_bank):
    for question in Question.objects.prefetch_related("choices"):
        assert len(question.explanation) >= 80, question.key
        assert question.references.strip(), question.key
        for choice in question.choices.all():
            assert len(choice.rationale) >= 40, f"{question.key} {choice.order}"


def test_reimporting_the_shipped_bank_changes_nothing(shipped_bank, capsys):
    capsys.readouterr()
    call_command("import_questions", BANK)
    assert f"0 created, 0 updated, {Question.objects.count()} unchanged" in capsys.readouterr().out
