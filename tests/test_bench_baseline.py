"""The benchmark's one-INSERT baseline exists only under its own settings."""

import pytest
from django.urls import NoReverseMatch, reverse


def test_the_baseline_view_is_not_part_of_the_app():
    with pytest.raises(NoReverseMatch):
        reverse("bench_insert")


@pytest.mark.django_db
def test_the_baseline_view_asks_for_a_login_like_a_save(client, settings):
    settings.ROOT_URLCONF = "tests.bench.urls"
    response = client.post("/bench/insert/", {"choice": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 401


@pytest.mark.django_db
def test_the_raw_sql_floor_does_a_versioned_save_of_the_candidate_s_own_question(
    candidate_client, candidate, small_exam, settings
):
    from tests.attempts.helpers import start_mock
    from tests.factories import UserFactory

    settings.ROOT_URLCONF = "tests.bench.urls"
    attempt = start_mock(candidate, small_exam)
    url = f"/bench/floor/{attempt.pk}/2/"
    assert candidate_client.post(url, {"choice": "3", "version": "0"}).status_code == 200
    item = attempt.items.get(position=2)
    assert (item.version, item.selected_count) == (1, 1)
    assert [c.position for c in item.choices.filter(selected=True)] == [3]
    # The same rules a save keeps: an outdated version and another candidate's attempt.
    assert candidate_client.post(url, {"choice": "1", "version": "0"}).status_code == 409
    candidate_client.force_login(UserFactory())
    assert candidate_client.post(url, {"choice": "1", "version": "1"}).status_code == 404


def build_small_bench_dataset(tmp_path, monkeypatch):
    from django.core.management import call_command
    from django.db import connection

    # The command refuses any database whose name lacks "bench"; this one is the test's own.
    monkeypatch.setitem(connection.settings_dict, "NAME", "examprep_bench_test")
    sessions = tmp_path / "sessions.json"
    call_command(
        "build_bench_dataset", "--questions", "100", "--others", "3", "--history", "6",
        "--sitting", "2", "--veteran", "4", "--timed-starts", "1",
        "--sessions-file", str(sessions),
    )  # fmt: skip
    return sessions


@pytest.mark.django_db
def test_the_bench_dataset_holds_the_bank_history_veteran_instructor_and_candidates_sitting(
    mls_bank, tmp_path, monkeypatch
):
    import json

    from attempts.models import Attempt, ItemStatisticsSnapshot
    from questions.models import Question

    sessions = build_small_bench_dataset(tmp_path, monkeypatch)
    assert Question.objects.for_exam(mls_bank).count() == 100
    finished = Attempt.objects.filter(status=Attempt.Status.FINISHED)
    assert finished.filter(user__username__startswith="other").count() == 6
    veteran_mocks = finished.filter(user__username="veteran0")
    assert veteran_mocks.count() == 4
    for mock in veteran_mocks:
        numbers = set(mock.items.values_list("domain_number", flat=True))
        assert mock.items.count() == 65 and numbers <= {1, 2, 3, 4}
    assert len(json.loads(sessions.read_text())) == 2
    veteran = json.loads((tmp_path / "sessions-veteran.json").read_text())
    assert veteran["exam"] == "MLS-C01" and veteran["mocks"] == 4
    instructor = json.loads((tmp_path / "sessions-instructor.json").read_text())
    assert (instructor["exam"], instructor["exam_id"]) == ("MLS-C01", mls_bank.pk)
    assert Question.objects.for_exam(mls_bank).filter(pk=instructor["question"]).exists()
    # The item statistics were precomputed (and timed) over the history.
    assert ItemStatisticsSnapshot.objects.filter(exam=mls_bank).exists()


@pytest.mark.django_db
def test_the_bench_history_has_choices_marked_as_its_items_are_scored(
    mls_bank, tmp_path, monkeypatch
):
    from django.db.models import Count, Q, Sum

    from attempts.models import Attempt, AttemptChoice, AttemptQuestion
    from attempts.scoring import SCORING_FIELDS, has_passed, right_items, scaled_score
    from questions.models import Question
    from tests.factories import ServiceFactory

    service = ServiceFactory(name="A service of the history test", slug="history-test")
    for question in Question.objects.for_exam(mls_bank):  # copies into the grown bank
        question.services.add(service)
    build_small_bench_dataset(tmp_path, monkeypatch)
    history = Attempt.objects.filter(status=Attempt.Status.FINISHED)
    items = AttemptQuestion.objects.filter(attempt__in=history)
    assert history.count() == 10 and items.count() == 650
    # Every item holds each of its question's choices once, in authored order.
    for item in items.annotate(rows=Count("choices")).select_related("question"):
        authored = list(item.question.choices.order_by("order", "id").values_list("pk", flat=True))
        assert item.rows == len(authored)
        assert list(item.choices.order_by("position").values_list("choice_id", flat=True)) == (
            authored
        )
    # Each item is linked to its question's services, as a mock's snapshot links them.
    for item in items.prefetch_related("services", "question__services"):
        assert set(item.services.all()) == set(item.question.services.all())
    assert items.filter(services__isnull=False).exists()
    # The marks agree with is_correct by the app's own scoring rule, and each item has as many
    # choices selected as its question asks for.
    marks = AttemptChoice.objects.filter(item__in=items).values_list(*SCORING_FIELDS)
    assert right_items(marks) == set(items.filter(is_correct=True).values_list("pk", flat=True))
    selected = dict(
        items.annotate(n=Count("choices", filter=Q(choices__selected=True))).values_list("pk", "n")
    )
    assert selected == dict(items.values_list("pk", "select_count"))
    # Scores are the real count of right items, scaled and passed as finishing a mock does,
    # and the per-domain counts add up to them.
    for mock in history.annotate(domain_right=Sum("domain_results__right")):
        right = mock.items.filter(is_correct=True).count()
        assert mock.correct_count == right == mock.domain_right
        expected = scaled_score(
            right, 65, cut=mock.pass_share, scaled_min=mock.scaled_min,
            scaled_pass=mock.scaled_pass, scaled_max=mock.scaled_max,
        )  # fmt: skip
        assert (mock.scaled_score, mock.passed) == (
            expected,
            has_passed(expected, mock.scaled_pass),
        )
    # Right and wrong answers, and raw scores that differ, so item analysis has a spread.
    assert items.filter(is_correct=True).exists() and items.filter(is_correct=False).exists()
    assert len(set(history.values_list("correct_count", flat=True))) > 1


@pytest.mark.django_db
def test_the_bench_dataset_refuses_a_database_that_is_not_a_bench_one():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="benchmark database"):
        call_command("build_bench_dataset", "--questions", "1")


@pytest.mark.django_db
def test_the_bench_history_refuses_an_exam_whose_questions_it_cannot_answer(
    mls_bank, tmp_path, monkeypatch
):
    from django.core.management import CommandError

    from questions.models import Question

    # An ordering question among those the history draws from: its keys hang on a shuffle the
    # history does not make, so the command says so rather than write items it cannot score.
    Question.objects.filter(pk=Question.objects.for_exam(mls_bank).first().pk).update(
        kind=Question.Kind.ORDERING
    )
    with pytest.raises(CommandError, match="ordering or matching"):
        build_small_bench_dataset(tmp_path, monkeypatch)
