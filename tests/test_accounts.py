import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_visitor_signs_up_and_is_logged_in(client):
    response = client.post(
        reverse("signup"),
        {"username": "newbie", "password1": "Str0ng-passphrase", "password2": "Str0ng-passphrase"},
        follow=True,
    )
    assert response.context["user"].username == "newbie"
    assert "Your account is ready" in response.content.decode()


def test_signup_with_mismatched_passwords_explains_and_keeps_the_username(client):
    response = client.post(
        reverse("signup"),
        {"username": "newbie", "password1": "Str0ng-passphrase", "password2": "other-pass-99"},
    )
    assert response.status_code == 200
    assert "didn’t match" in response.content.decode()
    assert 'value="newbie"' in response.content.decode()
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_login_logout_and_password_change(client, candidate):
    assert (
        client.post(reverse("login"), {"username": "cand", "password": "pass-word-123"}).status_code
        == 302
    )
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pass-word-123",
            "new_password1": "An0ther-passphrase",
            "new_password2": "An0ther-passphrase",
        },
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.check_password("An0ther-passphrase")
    client.post(reverse("logout"))
    assert client.get(reverse("password_change")).status_code == 302


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get(reverse("home")).headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_healthz_answers(client):
    assert client.get(reverse("healthz")).content == b"ok"
