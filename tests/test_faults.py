"""Faults: the database down, slow or restarted; the answers a browser then gets."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import OperationalError

from tests.factories import QuestionFactory  # noqa: F401  (registers the factories' models)

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as it does when PostgreSQL is down or the pool times out."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused (simulated)")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)
    monkeypatch.setattr("django.db.backends.utils.CursorDebugWrapper.execute", refuse)


def test_database_down_answers_503_with_retry_after_and_a_readable_page(client, database_down):
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "briefly unavailable" in response.content.decode()


def test_database_down_gives_htmx_a_short_text_the_room_can_show(client, database_down):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert "Not saved" in response.content.decode()


def test_healthz_answers_503_when_the_database_is_down(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503


def test_a_database_fault_outside_a_view_still_answers_503(rf):
    from examprep.views import server_error

    try:
        raise OperationalError("down")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503


def test_static_files_are_served_before_any_middleware_that_touches_the_database():
    middleware = settings.MIDDLEWARE
    whitenoise = middleware.index("whitenoise.middleware.WhiteNoiseMiddleware")
    for touches_db in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ):
        assert whitenoise < middleware.index(touches_db)


def test_an_unreachable_postgres_answers_503_within_about_three_seconds_and_static_still_serves():
    """A real process with DATABASE_URL pointing at a closed port: the pool gives up after its
    timeout, the page is a 503, and static files never wait for it."""
    script = (
        "import time, django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='localhost')\n"
        "t = time.monotonic(); r = c.get('/healthz'); elapsed = time.monotonic() - t\n"
        "s = c.get('/static/css/app.css')\n"
        "print(r.status_code, r.get('Retry-After'), round(elapsed, 1), s.status_code)\n"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "examprep.settings",
        "DJANGO_DEBUG": "1",  # static files from the finders: no collectstatic in tests
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
    }
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    status, retry_after, elapsed, static_status = result.stdout.split()
    assert (status, static_status) == ("503", "200")
    assert retry_after.isdigit()
    assert float(elapsed) < 5
    assert time.monotonic() - started < 30


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a database restart needs PostgreSQL: run with DATABASE_URL=postgres://...",
)
def test_after_the_database_drops_every_pooled_connection_the_next_request_succeeds():
    """What a restart does to the pool: every server connection is terminated under it. The
    pooled connections are checked before use, so the next request gets a fresh one."""
    script = (
        "import time, django, psycopg; django.setup()\n"
        "from django.conf import settings\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "def get():\n"
        "    status = Client(HTTP_HOST='localhost').get('/healthz').status_code\n"
        "    connection.close()  # back to the pool, as request_finished does under gunicorn\n"
        "    return status\n"
        "first = get()\n"
        "db = settings.DATABASES['default']\n"
        "ours = \"FROM pg_stat_activity WHERE application_name = 'examprep-restart-test'\"\n"
        "with psycopg.connect(dbname=db['NAME'], user=db['USER'], host=db['HOST'],\n"
        "                     port=db['PORT'] or 5432, password=db['PASSWORD'] or None,\n"
        "                     autocommit=True) as admin:\n"
        "    kill = f'SELECT count(pg_terminate_backend(pid)) {ours}'\n"
        "    killed = admin.execute(kill).fetchone()[0]\n"
        "    # Termination is asynchronous: wait until the server has really dropped them.\n"
        "    for _ in range(500):\n"
        "        if not admin.execute(f'SELECT count(*) {ours}').fetchone()[0]: break\n"
        "        time.sleep(0.01)\n"
        "print(first, killed, get(), get())\n"
    )
    from django.db import connection

    # The test database (the configured one may not exist): same server, its test name.
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    separator = "&" if "?" in url else "?"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "examprep.settings",
        "DJANGO_DEBUG": "1",
        # A query option of the URL, kept beside the pool options, names our connections.
        "DATABASE_URL": f"{url}{separator}application_name=examprep-restart-test",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    first, killed, after, again = result.stdout.split()
    assert first == "200" and int(killed) >= 1
    assert (after, again) == ("200", "200")
