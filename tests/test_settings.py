"""Settings read from the environment fail loudly, and production settings pass check --deploy."""

import os
import subprocess
import sys

from django.conf import settings


def run_manage(*args, **env):
    environment = {**os.environ, **env}
    environment.pop("DATABASE_URL", None)
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if "DJANGO_DEBUG" not in env:
        environment.pop("DJANGO_DEBUG", None)  # production, the default
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_off_without_secret_key_refuses_to_serve():
    environment = {**os.environ, "DJANGO_DEBUG": "0", "SECRET_KEY": ""}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", "import examprep.wsgi"],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_debug_off_without_secret_key_fails_the_deploy_check():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="0", SECRET_KEY=""
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_malformed_boolean_is_named():
    result = run_manage("check", DJANGO_DEBUG="maybe")
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        SECRET_KEY="a-long-random-production-key-" + "x7Kp2" * 10,
        ALLOWED_HOSTS="exam.example.com",
        SECURE_SSL_REDIRECT="1",
    )
    assert result.returncode == 0, result.stderr


PRODUCTION_KEY = "a-long-random-production-key-" + "x7Kp2" * 10


def settings_value(expression: str, **env) -> str:
    """Evaluate `expression` against settings loaded in a fresh process with `env`."""
    environment = {**os.environ, **env}
    for name in ("DJANGO_DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        if name not in env:
            environment.pop(name, None)
    code = f"import examprep.settings as s; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_unless_asked_for():
    assert settings_value("s.DEBUG") == "False"
    assert settings_value("s.DEBUG", DJANGO_DEBUG="1") == "True"


def test_the_development_key_needs_debug_asked_for():
    assert settings_value("repr(s.SECRET_KEY)") == "''"
    assert settings_value("bool(s.SECRET_KEY)", DJANGO_DEBUG="1") == "True"


def test_https_redirect_is_on_in_production_and_hsts_extras_are_opt_in():
    assert settings_value("s.SECURE_SSL_REDIRECT") == "True"
    assert settings_value("(s.SECURE_HSTS_PRELOAD, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)") == (
        "(False, False)"
    )
    opted_in = settings_value(
        "(s.SECURE_HSTS_PRELOAD, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)",
        SECURE_HSTS_PRELOAD="1",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
    )
    assert opted_in == "(True, True)"


def test_database_url_is_not_kept_as_a_setting():
    url = "postgres://app:s3cret-pw@db.example.com:5432/exams"
    assert settings_value("hasattr(s, 'DATABASE_URL')", DATABASE_URL=url) == "False"


def test_database_url_is_masked_in_error_reports(rf):
    from examprep.errors import ExceptionReporterFilter

    request = rf.get("/", DATABASE_URL="postgres://app:s3cret-pw@db/exams")
    meta = ExceptionReporterFilter().get_safe_request_meta(request)
    assert "s3cret-pw" not in str(meta)
    assert "s3cret-pw" not in str(ExceptionReporterFilter().get_safe_settings())


def test_database_url_options_survive_the_pool_settings():
    from examprep.settings import database_from_url

    database = database_from_url("postgres://app:pw@db.example.com/exams?sslmode=require")
    assert database["OPTIONS"]["sslmode"] == "require"
    assert database["OPTIONS"]["pool"]["timeout"] <= 3
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["ENGINE"] == "examprep.postgresql"  # sets check_pooled_connection


def test_debug_with_a_public_host_fails_the_system_check():
    result = run_manage("check", DJANGO_DEBUG="1", ALLOWED_HOSTS="exam.example.com")
    assert result.returncode != 0
    assert "examprep.E001" in result.stderr


def test_debug_on_local_hosts_passes_the_system_check():
    result = run_manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_production_variables_alone_pass_the_deploy_check_without_w008():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="exam.example.com",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "W008" not in result.stderr


def test_sqlite_keeps_connections_and_its_options():
    from examprep.settings import database_from_url

    database = database_from_url("sqlite:////tmp/example.sqlite3")
    assert database["CONN_MAX_AGE"] == 600  # one connection per worker thread, not per request
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_postgresql_keeps_conn_max_age_at_zero_beside_the_pool():
    from examprep.settings import database_from_url

    database = database_from_url("postgres://u:p@db:5432/examprep_perf")
    assert database["CONN_MAX_AGE"] == 0
    assert database["OPTIONS"]["pool"]
