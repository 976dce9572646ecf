"""What `make setup` runs: loading fixtures and demo accounts, idempotently."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.demo import DEMO_ACCOUNTS
from questions.models import Domain, Exam, Service, TaskStatement, Topic

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Exam, Domain, TaskStatement, Service, Topic)]


def test_blueprints_load_mls_c01_and_a_second_exam_with_no_code(capsys):
    call_command("load_blueprint")
    mls = Exam.objects.get(code="MLS-C01")
    assert (mls.question_count, mls.duration_minutes, mls.scaled_pass) == (65, 180, 750)
    assert [d.weight_percent for d in mls.domains.all()] == [20, 24, 36, 20]
    assert TaskStatement.objects.filter(domain__exam=mls).count() == 15
    assert Topic.objects.filter(exam=mls).count() == 34
    mla = Exam.objects.get(code="MLA-C01")
    assert (mla.duration_minutes, mla.scaled_pass) == (130, 720)
    assert sum(d.weight_percent for d in mla.domains.all()) == 100
    assert Service.objects.count() >= 30


def test_loading_twice_changes_nothing():
    call_command("load_blueprint")
    before = counts()
    call_command("load_blueprint")
    assert counts() == before


def test_demo_accounts_are_created_once_and_printed(capsys):
    call_command("create_demo_accounts")
    out = capsys.readouterr().out
    for account in DEMO_ACCOUNTS:
        assert f"password {account['password']}" in out
        user = get_user_model().objects.get(username=account["username"])
        assert user.check_password(account["password"])
    instructor = get_user_model().objects.get(username="instructor")
    assert instructor.is_staff and instructor.groups.filter(name="Instructors").exists()
    instructor.set_password("changed-by-me-123")
    instructor.save()
    call_command("create_demo_accounts")
    assert "already there" in capsys.readouterr().out
    instructor.refresh_from_db()
    assert instructor.check_password("changed-by-me-123")
