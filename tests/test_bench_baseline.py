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
