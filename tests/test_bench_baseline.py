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
