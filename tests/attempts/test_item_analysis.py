"""Item analysis worked out by hand: facility, discrimination, pick rates by thirds, median
time, flags, revisions; and the admin pages that show them."""

import pytest
from django.urls import reverse

from attempts import item_analysis
from attempts.models import ItemAnalysis, QuestionReport
from tests.attempts.analytics_data import finished
from tests.factories import DomainFactory, ExamFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

# (attempt total right, choice picked, seconds): A (order 0) is the key. Totals are set by hand
# so the rest-of-attempt score y = total - mark is known: y = 8, 7, 6, 4, 3, 2.
SITTINGS = [(9, 0, 30), (8, 0, 40), (6, 1, 50), (5, 0, 60), (3, 2, 70), (2, 1, 80)]


@pytest.fixture
def question():
    exam = ExamFactory(code="ITEM-01")
    return QuestionFactory(domain=DomainFactory(exam=exam, number=1, weight_percent=100), key="q1")


def sit_all(question, sittings=SITTINGS):
    for day, (total, picked, seconds) in enumerate(sittings):
        finished(UserFactory(), question.exam, [(question, [picked], seconds)], day=day,
                 correct_count=total, scaled_score=100 * total)  # fmt: skip


def stats_of(question, revision=1):
    return item_analysis.item_stats([question.pk])[question.pk, revision]


def test_facility_is_the_share_right_over_finished_mocks(question):
    sit_all(question)
    finished(UserFactory(), question.exam, [(question, [1], 5)], mode="drill")  # not counted
    stats = stats_of(question)
    assert (stats.served, stats.right, stats.facility) == (6, 3, 0.5)


def test_discrimination_is_the_correlation_with_the_rest_of_the_attempt_times_100(question):
    sit_all(question)
    # x = 1,1,0,1,0,0; y = 8,7,6,4,3,2. n=6, sx=3, sy=30, sxy=19, syy=178.
    # r = (6*19 - 3*30) / sqrt((6*3 - 9) * (6*178 - 900)) = 24 / sqrt(9 * 168) = 0.61721
    assert stats_of(question).discrimination == pytest.approx(61.721, abs=0.001)


def test_discrimination_is_unknown_when_everyone_gets_it_right(question):
    sit_all(question, [(9, 0, 10), (5, 0, 10), (2, 0, 10)])
    assert stats_of(question).discrimination is None


def test_pick_rates_split_by_upper_and_lower_thirds(question):
    sit_all(question)
    # Thirds of six attempts by scaled score: upper 900, 800; lower 300, 200.
    rates = {
        c.letter: (
            c.picked,
            c.served,
            c.upper_picked,
            c.upper_served,
            c.lower_picked,
            c.lower_served,
        )
        for c in stats_of(question).choices
    }
    assert rates == {
        "A": (3, 6, 2, 2, 0, 2),
        "B": (2, 6, 0, 2, 1, 2),
        "C": (1, 6, 0, 2, 1, 2),
        "D": (0, 6, 0, 2, 0, 2),
    }
    assert [c.is_correct for c in stats_of(question).choices] == [True, False, False, False]


def test_median_time_is_the_middle_of_the_seconds_spent(question):
    sit_all(question)
    assert stats_of(question).median_seconds == 55  # (50 + 60) / 2


def test_flags_wait_for_the_minimum_number_of_responses(question, monkeypatch):
    sit_all(question)
    assert stats_of(question).flags == []  # six responses, fewer than MIN_RESPONSES
    monkeypatch.setattr(item_analysis, "MIN_RESPONSES", 5)
    assert stats_of(question).flags == ["unused_distractor"]  # D: nobody picked it


def test_too_easy_too_hard_and_weak_discrimination_are_flagged(question, monkeypatch):
    monkeypatch.setattr(item_analysis, "MIN_RESPONSES", 3)
    sit_all(question, [(9, 0, 10), (5, 0, 10), (2, 0, 10), (1, 0, 10)])
    assert set(stats_of(question).flags) >= {"too_easy", "weak_discrimination"}
    other = QuestionFactory(domain=question.domain, key="q2")
    sit_all(other, [(9, 1, 10), (5, 2, 10), (2, 3, 10), (1, 1, 10)])
    assert "too_hard" in stats_of(other).flags


def test_an_open_problem_report_is_flagged_at_once(question):
    sit_all(question, SITTINGS[:1])
    QuestionReport.objects.create(question=question, question_key="q1", question_revision=1,
                                  kind="unclear", text="Which region?")  # fmt: skip
    assert stats_of(question).flags == ["open_reports"]


def test_a_new_revision_starts_its_own_statistics(question):
    sit_all(question)
    question.revision = 2
    question.save()
    sit_all(question, SITTINGS[:2])
    stats = item_analysis.item_stats([question.pk])
    assert (stats[question.pk, 1].served, stats[question.pk, 2].served) == (6, 2)
    assert item_analysis.current(stats, question).revision == 2


def test_item_analysis_changelist_filters_on_a_flag(instructor_client, question, monkeypatch):
    monkeypatch.setattr(item_analysis, "MIN_RESPONSES", 5)
    sit_all(question)
    QuestionFactory(domain=question.domain, key="unflagged")
    url = reverse("admin:attempts_itemanalysis_changelist")
    page = instructor_client.get(url).content.decode()
    assert "unflagged" in page and "0.50" in page and "62" in page
    flagged = instructor_client.get(url + "?flag=unused_distractor").content.decode()
    assert "q1" in flagged and "unflagged" not in flagged


def test_item_analysis_page_shows_every_revision(instructor_client, question):
    sit_all(question)
    page = instructor_client.get(reverse("admin:attempts_itemanalysis_change", args=[question.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Revision 1 (current)" in body and "50% (3 of 6)" in body


def test_bank_health_page_and_csv_export(instructor_client, question, monkeypatch):
    monkeypatch.setattr(item_analysis, "MIN_RESPONSES", 5)
    sit_all(question)
    health = instructor_client.get(reverse("admin:attempts_itemanalysis_health") + "?exam=ITEM-01")
    assert health.status_code == 200
    assert "A distractor nobody picks" in health.content.decode()
    # The item-writing figures of bank_report are on the page, bank-wide and per domain.
    assert 'data-testid="item-writing"' in health.content.decode()
    assert "Key strictly longest" in health.content.decode()
    csv = instructor_client.get(reverse("admin:attempts_itemanalysis_csv") + "?exam=ITEM-01")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("question,revision,current_revision,served,facility")
    assert lines[1].startswith(
        "q1,1,1,6,0.500,61.7,55.0,unused_distractor,A=0.50 B=0.33 C=0.17 D=0.00,0"
    )


def test_candidates_cannot_open_item_analysis(candidate_client):
    response = candidate_client.get(reverse("admin:attempts_itemanalysis_changelist"))
    assert response.status_code == 302


def test_item_analysis_changelist_queries_do_not_grow_with_history(
    instructor_client, question, django_assert_max_num_queries
):
    url = reverse("admin:attempts_itemanalysis_changelist")
    sit_all(question, SITTINGS[:1])
    with django_assert_max_num_queries(30) as small:
        instructor_client.get(url + "?flag=too_easy")
    sit_all(question, SITTINGS * 30)
    with django_assert_max_num_queries(30) as large:
        instructor_client.get(url + "?flag=too_easy")
    assert len(small.captured_queries) == len(large.captured_queries)
    print(f"item analysis changelist: {len(small.captured_queries)} queries at 1 and 181 mocks")
    assert ItemAnalysis.objects.count() == 1


def test_precomputed_statistics_equal_the_live_ones_and_the_page_says_when(
    instructor_client, question
):
    from io import StringIO

    from django.core.management import call_command

    sit_all(question)
    live = stats_of(question)
    call_command("precompute_item_stats", "--exam", "ITEM-01", stdout=StringIO())
    sit_all(question, SITTINGS[:1])  # after the snapshot: only a fresh computation sees it
    stored, _ = item_analysis.exam_stats(question.exam, now=None)
    assert stored[question.pk, 1] == live
    url = reverse("admin:attempts_itemanalysis_csv") + "?exam=ITEM-01"
    assert "q1,1,1,6,0.500,61.7," in instructor_client.get(url).content.decode()
    assert "q1,1,1,7," in instructor_client.get(url + "&fresh=1").content.decode()
    health = instructor_client.get(reverse("admin:attempts_itemanalysis_health") + "?exam=ITEM-01")
    assert "compute them now" in health.content.decode()


def test_a_deleted_choice_keeps_its_counts_under_a_question_mark_after_the_others(question):
    sit_all(question)
    question.choices.get(order=1).delete()  # B: picked twice, by the lower third once
    choices = stats_of(question).choices
    assert [(c.letter, c.text, c.picked) for c in choices][-1] == ("?", "(choice deleted)", 2)
    assert [c.letter for c in choices] == ["A", "C", "D", "?"]
