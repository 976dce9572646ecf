"""Abuse: log-ins (site and admin) throttled per username and per address, sign-ups per
address (counted in the database, shared by every worker), clients told apart behind our own
proxies."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def fail_logins(client, url, username, times, address="10.0.0.1"):
    response = None
    for _ in range(times):
        response = client.post(
            url, {"username": username, "password": "wrong-guess"}, REMOTE_ADDR=address
        )
    return response


def test_repeated_failed_logins_for_one_username_get_429_with_a_clear_message(client, candidate):
    limit = settings.AXES_FAILURE_LIMIT
    # From different addresses: the username alone is enough to stop it.
    for number in range(limit):
        fail_logins(client, reverse("login"), "cand", 1, address=f"10.0.1.{number}")
    response = client.post(
        reverse("login"), {"username": "cand", "password": "pass-word-123"}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def test_one_address_trying_many_usernames_is_stopped(client, candidate):
    for number in range(settings.AXES_FAILURE_LIMIT):
        fail_logins(client, reverse("login"), f"guess{number}", 1, address="10.0.2.1")
    response = client.post(
        reverse("login"), {"username": "cand", "password": "pass-word-123"}, REMOTE_ADDR="10.0.2.1"
    )
    assert response.status_code == 429


def test_the_admin_login_is_throttled_too(client, instructor):
    url = reverse("admin:login")
    response = fail_logins(client, url, "teacher", settings.AXES_FAILURE_LIMIT + 1)
    assert response.status_code == 429


def test_a_successful_login_below_the_limit_still_works(client, candidate):
    fail_logins(client, reverse("login"), "cand", settings.AXES_FAILURE_LIMIT - 1)
    response = client.post(
        reverse("login"), {"username": "cand", "password": "pass-word-123"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302


def test_signups_are_throttled_per_address(client, settings):
    settings.SIGNUP_LIMIT_PER_HOUR = 2
    for number in range(2):
        client.post(
            reverse("signup"),
            {"username": f"new{number}", "password1": "Str0ng-passphrase",
             "password2": "Str0ng-passphrase"},
            REMOTE_ADDR="10.0.3.1",
        )  # fmt: skip
        client.logout()
    response = client.post(
        reverse("signup"),
        {"username": "new9", "password1": "Str0ng-passphrase", "password2": "Str0ng-passphrase"},
        REMOTE_ADDR="10.0.3.1",
    )
    assert response.status_code == 429
    assert "Too many sign-ups" in response.content.decode()
    assert not get_user_model().objects.filter(username="new9").exists()
    other = client.post(
        reverse("signup"),
        {"username": "new8", "password1": "Str0ng-passphrase", "password2": "Str0ng-passphrase"},
        REMOTE_ADDR="10.0.3.2",
    )
    assert other.status_code == 302


def test_sign_up_counts_live_in_the_database_and_a_new_window_starts_afresh():
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import ActionCount
    from accounts.throttle import throttle_hit

    now = timezone.now()
    hits = [throttle_hit(scope="signup", key="10.0.4.1", limit=2, window_seconds=3600, now=now)]
    hits += [throttle_hit(scope="signup", key="10.0.4.1", limit=2, window_seconds=3600, now=now)]
    hits += [throttle_hit(scope="signup", key="10.0.4.1", limit=2, window_seconds=3600, now=now)]
    assert hits == [False, False, True]
    # Any worker reading the table sees the same count.
    assert ActionCount.objects.get(scope="signup", key="10.0.4.1").count == 3
    later = now + timedelta(hours=2)
    assert not throttle_hit(scope="signup", key="10.0.4.1", limit=2, window_seconds=3600, now=later)
    assert ActionCount.objects.filter(scope="signup").count() == 1  # the old window is gone


def test_behind_our_proxy_each_client_is_counted_not_the_proxy(client, candidate, settings):
    settings.TRUSTED_PROXIES = 1
    proxy = "10.0.5.1"
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        client.post(
            reverse("login"),
            {"username": f"nobody{_}", "password": "wrong-guess"},
            REMOTE_ADDR=proxy,
            # A forged entry at the left is ignored; the proxy appended the real client.
            HTTP_X_FORWARDED_FOR=f"1.2.3.{_}, 203.0.113.7",
        )
    blocked = client.post(
        reverse("login"),
        {"username": "cand", "password": "pass-word-123"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert blocked.status_code == 429
    other_client = client.post(
        reverse("login"),
        {"username": "cand", "password": "pass-word-123"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert other_client.status_code == 302
