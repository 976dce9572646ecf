"""The bank that `make setup` loads meets the targets of the bank issue (docs/bank-coverage.md)."""

from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command

from questions import references as reference_rules
from questions.models import Question, Topic
from questions.reports import bank_report
from tests.questions.item_writing import assert_meets_item_writing_targets

pytestmark = pytest.mark.django_db

BANK = settings.BASE_DIR / "fixtures" / "bank"


@pytest.fixture
def shipped_bank(mls_blueprint):
    call_command("import_questions", BANK)
    return mls_blueprint


def test_shipped_bank_imports_with_no_problems(shipped_bank):
    report = bank_report(shipped_bank)
    assert report["problems"] == []


def test_shipped_bank_fills_five_mocks_with_the_required_domain_sizes(shipped_bank):
    report = bank_report(shipped_bank)
    assert report["published"] >= 330
    assert report["full_mocks_without_repeat"] >= 5
    minimum = {"1": 65, "2": 80, "3": 115, "4": 65}
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


@pytest.mark.parametrize("scope", ["overall", "1", "2", "3", "4"])
def test_shipped_bank_meets_every_item_writing_target(shipped_bank, scope):
    writing = bank_report(shipped_bank)["item_writing"]
    measured = writing["overall"] if scope == "overall" else writing["by_domain"][scope]
    assert_meets_item_writing_targets(measured)


def test_every_question_has_topics_and_every_reference_a_url(shipped_bank):
    report = bank_report(shipped_bank)
    assert report["questions_without_topics"] == 0
    assert report["references_without_url"] == 0
    for question in Question.objects.all():
        for reference in reference_rules.parse(question.references):
            assert reference.url.startswith("https://docs.aws.amazon.com/"), question.key


def test_every_wrong_choice_says_whether_it_is_ruled_out_or_a_close_call(shipped_bank):
    for question in Question.objects.prefetch_related("choices"):
        for choice in question.choices.all():
            expected = {""} if choice.is_correct else {"rule_out", "close_call"}
            assert choice.role in expected, f"{question.key} {choice.order}"


@pytest.mark.parametrize("service", ["Amazon Lex", "Amazon Polly", "Amazon Transcribe"])
def test_speech_and_chat_services_have_at_least_two_questions(shipped_bank, service):
    assert Question.objects.published().filter(services__name=service).count() >= 2
