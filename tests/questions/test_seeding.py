"""Seeding (`make setup`, a container start) never undoes what an instructor did in the admin."""

import re
import shlex

import pytest
from django.conf import settings
from django.core.management import call_command

from questions.models import Domain, Exam, Question, Topic
from questions.services import question_refresh_revision

pytestmark = pytest.mark.django_db


def setup_commands() -> list[list[str]]:
    """The management commands `make setup` (and so `make run`) runs, read from the Makefile."""
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    recipe = makefile.split("\nsetup:", 1)[1].split("\n\n", 1)[0]
    commands = [shlex.split(line) for line in re.findall(r"\t\$\(MANAGE\) (.+)", recipe)]
    return [command for command in commands if command[0] != "migrate"]  # the test db is migrated


def run_setup():
    for command in setup_commands():
        call_command(*command, verbosity=0)


def edit_in_admin(instructor_client, question: Question):
    """Retire with the admin's action, then reword the stem as the admin's save does."""
    response = instructor_client.post(
        "/admin/questions/question/",
        {"action": "retire_selected", "_selected_action": [question.pk]},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    question.stem = "Reworded by an instructor: " + question.stem
    question.save()
    question_refresh_revision(question=question)


def test_setup_twice_keeps_questions_retired_and_edited_in_the_admin(instructor_client):
    run_setup()
    question = Question.objects.published().order_by("key").first()
    edit_in_admin(instructor_client, question)
    run_setup()
    question.refresh_from_db()
    assert question.status == Question.Status.RETIRED
    assert question.stem.startswith("Reworded by an instructor: ")


def test_setup_recreates_a_deleted_question(instructor_client):
    run_setup()
    total = Question.objects.count()
    Question.objects.order_by("key").first().delete()
    run_setup()
    assert Question.objects.count() == total


def test_the_import_report_names_what_it_kept(instructor_client, capsys):
    run_setup()
    question = Question.objects.published().order_by("key").first()
    edit_in_admin(instructor_client, question)
    call_command("import_questions", "fixtures/bank")
    out = capsys.readouterr().out
    assert "1 kept as edited in the admin" in out
    assert question.key in out


def test_force_overwrites_what_an_instructor_changed(instructor_client):
    run_setup()
    question = Question.objects.published().order_by("key").first()
    edit_in_admin(instructor_client, question)
    call_command("import_questions", "fixtures/bank", "--force", verbosity=0)
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED
    assert not question.stem.startswith("Reworded by an instructor: ")


def test_an_unedited_question_still_takes_the_files_update():
    run_setup()
    question = Question.objects.order_by("key").first()
    assert not question.changed_since_import
    # A file edit arrives: the stored question was not touched in the admin, so it follows.
    Question.objects.filter(pk=question.pk).update(stem="An older wording")
    question.refresh_from_db()
    question_refresh_revision(question=question)
    Question.objects.filter(pk=question.pk).update(
        imported_hash=question.content_hash, imported_status=question.status
    )
    call_command("import_questions", "fixtures/bank", verbosity=0)
    question.refresh_from_db()
    assert question.stem != "An older wording"


def test_the_container_start_does_not_import_the_bank():
    dockerfile = (settings.BASE_DIR / "Dockerfile").read_text()
    start = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    assert "import_questions" not in start
    assert "ENV" in dockerfile and "DJANGO_DEBUG=0" in dockerfile


def test_setup_keeps_blueprint_figures_an_instructor_changed_unless_forced():
    run_setup()
    domain = Domain.objects.get(exam__code="MLS-C01", number=3)
    domain.title = "Modeling (renamed by an instructor)"
    domain.save()
    Exam.objects.filter(code="MLS-C01").update(duration_minutes=170)
    Topic.objects.filter(exam__code="MLS-C01", code="D3-metrics").delete()
    run_setup()
    domain.refresh_from_db()
    assert domain.title == "Modeling (renamed by an instructor)"
    assert Exam.objects.get(code="MLS-C01").duration_minutes == 170
    assert Topic.objects.filter(exam__code="MLS-C01", code="D3-metrics").exists()  # recreated
    call_command("load_blueprint", "--force", verbosity=0)
    domain.refresh_from_db()
    assert domain.title == "Modeling"
    assert Exam.objects.get(code="MLS-C01").duration_minutes == 180
