"""Authoring in Django admin, exercised through the admin's own forms."""

import io
import json

import pytest
from django.urls import reverse

from questions.models import Question
from tests.factories import DomainFactory, ExamFactory, QuestionFactory, TaskStatementFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:questions_question_add")


def question_post(domain, *, kind="single", select_count=1, choices=None, task=None, **extra):
    """The POST body of the admin's question form with its choice inline."""
    if choices is None:
        choices = [("Right answer", True), ("Wrong one", False), ("Wrong two", False),
                   ("Wrong three", False)]  # fmt: skip
    data = {
        "exam": domain.exam_id,
        "key": extra.pop("key", "admin-q-1"),
        "status": "draft",
        "domain": domain.pk,
        "task_statement": task.pk if task else "",
        "stem": "A team needs a solution under a tight budget. Which one fits?",
        "kind": kind,
        "select_count": select_count,
        "explanation": "The budget rules out the others.",
        "references": "",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for index, choice in enumerate(choices):
        text, correct = choice[0], choice[1]
        rationale = choice[2] if len(choice) > 2 else f"Because of the budget ({text})."
        data[f"choices-{index}-order"] = index
        data[f"choices-{index}-text"] = text
        data[f"choices-{index}-rationale"] = rationale
        data[f"choices-{index}-role"] = choice[3] if len(choice) > 3 else ""
        if correct:
            data[f"choices-{index}-is_correct"] = "on"
    data.update(extra)
    return data


def errors_of(response) -> str:
    assert response.status_code == 200, "the form was expected to be refused"
    return " ".join(
        str(error)
        for formset in response.context["inline_admin_formsets"]
        for error in formset.formset.non_form_errors()
    ) + str(response.context["adminform"].form.errors)


def test_instructor_adds_a_valid_question_and_becomes_its_author(instructor_client, instructor):
    domain = DomainFactory()
    response = instructor_client.post(ADD_URL, question_post(domain))
    assert response.status_code == 302
    question = Question.objects.get(key="admin-q-1")
    assert question.author == instructor
    assert question.choices.count() == 4
    assert question.revision == 1


def test_multiple_choice_with_two_correct_is_refused_with_what_to_fix(instructor_client):
    choices = [("A", True), ("B", True), ("C", False), ("D", False)]
    response = instructor_client.post(ADD_URL, question_post(DomainFactory(), choices=choices))
    assert "needs exactly one correct choice; 2 are marked correct" in errors_of(response)
    assert not Question.objects.exists()


def test_multiple_choice_with_three_options_is_refused(instructor_client):
    choices = [("A", True), ("B", False), ("C", False)]
    response = instructor_client.post(ADD_URL, question_post(DomainFactory(), choices=choices))
    assert "at least 4 choices; it has 3" in errors_of(response)


def test_multiple_response_needs_the_stated_number_correct_of_five(instructor_client):
    four = [("A", True), ("B", True), ("C", False), ("D", False)]
    response = instructor_client.post(
        ADD_URL, question_post(DomainFactory(), kind="multiple", select_count=2, choices=four)
    )
    assert "at least 5 choices; it has 4" in errors_of(response)
    three_right = [("A", True), ("B", True), ("C", True), ("D", False), ("E", False)]
    response = instructor_client.post(
        ADD_URL,
        question_post(DomainFactory(), kind="multiple", select_count=2, choices=three_right),
    )
    assert "exactly 2 choices must be marked correct; 3 are" in errors_of(response)


def test_choice_without_rationale_is_refused_naming_the_choice(instructor_client):
    choices = [("A", True, "Right."), ("B", False, ""), ("C", False, "x"), ("D", False, "y")]
    response = instructor_client.post(ADD_URL, question_post(DomainFactory(), choices=choices))
    # An empty required field is caught by the inline form itself.
    assert response.status_code == 200
    assert not Question.objects.exists()


def test_wrong_choice_of_a_published_question_without_a_role_is_refused(instructor_client):
    choices = [
        ("A", True, "Right.", ""),
        ("B", False, "Ruled out.", "rule_out"),
        ("C", False, "Loses on cost.", "close_call"),
        ("D", False, "No role yet.", ""),
    ]
    data = question_post(DomainFactory(), choices=choices, status="published")
    errors = errors_of(instructor_client.post(ADD_URL, data))
    assert "Choice D is wrong but has no role: set 'rule_out' if a fact or constraint" in errors
    assert "Choice B" not in errors and "Choice C" not in errors
    # A draft may be saved before its roles are written.
    data = question_post(DomainFactory(), choices=choices, status="draft")
    assert instructor_client.post(ADD_URL, data).status_code == 302


def test_correct_choice_with_a_role_is_refused(instructor_client):
    choices = [
        ("A", True, "Right.", "close_call"),
        ("B", False, "Ruled out.", "rule_out"),
        ("C", False, "Ruled out.", "rule_out"),
        ("D", False, "Loses on cost.", "close_call"),
    ]
    response = instructor_client.post(ADD_URL, question_post(DomainFactory(), choices=choices))
    assert "Choice A is correct, so it takes no role; clear its role 'close_call'" in errors_of(
        response
    )


def test_admin_saves_the_role_of_each_choice(instructor_client):
    choices = [
        ("A", True, "Right.", ""),
        ("B", False, "Ruled out.", "rule_out"),
        ("C", False, "Ruled out.", "rule_out"),
        ("D", False, "Loses on cost.", "close_call"),
    ]
    data = question_post(DomainFactory(), choices=choices, status="published")
    assert instructor_client.post(ADD_URL, data).status_code == 302
    roles = Question.objects.get().choices.values_list("role", flat=True)
    assert list(roles) == ["", "rule_out", "rule_out", "close_call"]


def test_domain_from_another_exam_is_refused(instructor_client):
    domain = DomainFactory()
    other_exam = ExamFactory()
    data = question_post(domain, exam=other_exam.pk)
    response = instructor_client.post(ADD_URL, data)
    assert f"belongs to {domain.exam.code}, not {other_exam.code}" in errors_of(response)


def test_task_statement_from_another_domain_is_refused(instructor_client):
    domain = DomainFactory()
    task = TaskStatementFactory(domain=DomainFactory(exam=domain.exam))
    response = instructor_client.post(ADD_URL, question_post(domain, task=task))
    assert f"Task statement {task.code} belongs to domain" in errors_of(response)


def test_substantive_edit_bumps_revision_and_a_no_op_save_does_not(instructor_client):
    question = QuestionFactory(status="draft")
    from questions.services import question_refresh_revision

    question_refresh_revision(question=question)
    url = reverse("admin:questions_question_change", args=[question.pk])
    choices = list(question.choices.all())
    data = question_post(
        question.domain,
        key=question.key,
        choices=[(c.text, c.is_correct, c.rationale, c.role) for c in choices],
        stem=question.stem,
        explanation=question.explanation,
        status=question.status,
    )
    data["choices-INITIAL_FORMS"] = len(choices)
    for index, choice in enumerate(choices):
        data[f"choices-{index}-id"] = choice.pk
        data[f"choices-{index}-question"] = question.pk
    assert instructor_client.post(url, data).status_code == 302
    question.refresh_from_db()
    assert question.revision == 1
    data["choices-0-rationale"] = "A reworded rationale."
    assert instructor_client.post(url, data).status_code == 302
    question.refresh_from_db()
    assert question.revision == 2
    # Re-labelling a wrong choice changes what review teaches, so it is a new revision too.
    assert data["choices-1-role"] == "rule_out"
    data["choices-1-role"] = "close_call"
    assert instructor_client.post(url, data).status_code == 302
    question.refresh_from_db()
    assert question.revision == 3


def test_exam_domain_weights_must_sum_to_100(instructor_client):
    exam = ExamFactory()
    first = DomainFactory(exam=exam, number=1, weight_percent=50)
    second = DomainFactory(exam=exam, number=2, weight_percent=50)
    url = reverse("admin:questions_exam_change", args=[exam.pk])
    data = {
        "code": exam.code, "title": exam.title, "question_count": 10, "duration_minutes": 30,
        "accommodation_minutes": 30, "pass_share": "0.72", "scaled_min": 100,
        "scaled_pass": 750, "scaled_max": 1000, "is_active": "on", "notes": "",
        "domains-TOTAL_FORMS": 2, "domains-INITIAL_FORMS": 2, "domains-MIN_NUM_FORMS": 0,
        "domains-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    for index, domain in enumerate([first, second]):
        data |= {
            f"domains-{index}-id": domain.pk, f"domains-{index}-exam": exam.pk,
            f"domains-{index}-number": domain.number, f"domains-{index}-title": domain.title,
            f"domains-{index}-weight_percent": 50,
        }  # fmt: skip
    data["domains-1-weight_percent"] = 40
    response = instructor_client.post(url, data)
    assert response.status_code == 200
    assert "must sum to 100; these sum to 90" in response.content.decode()
    data["domains-1-weight_percent"] = 50
    assert instructor_client.post(url, data).status_code == 302


def test_publish_and_retire_actions_change_status(instructor_client):
    drafts = [QuestionFactory(status="draft") for _ in range(2)]
    url = reverse("admin:questions_question_changelist")
    ids = [q.pk for q in drafts]
    instructor_client.post(url, {"action": "publish_selected", "_selected_action": ids})
    assert set(Question.objects.values_list("status", flat=True)) == {"published"}
    instructor_client.post(url, {"action": "retire_selected", "_selected_action": ids[:1]})
    assert Question.objects.get(pk=ids[0]).status == "retired"


def test_changelist_filters_and_search_work(instructor_client):
    question = QuestionFactory(stem="A unique stem about Firehose buffering")
    QuestionFactory()
    url = reverse("admin:questions_question_changelist")
    response = instructor_client.get(url, {"q": "firehose buffering"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    response = instructor_client.get(url, {"kind__exact": "single", "status__exact": "published"})
    assert response.status_code == 200
    assert question.key in response.content.decode()


def test_preview_shows_the_question_as_a_candidate_sees_it(instructor_client):
    question = QuestionFactory(kind="multiple")
    url = reverse("admin:questions_question_preview_frame", args=[question.pk])
    body = instructor_client.get(url).content.decode()
    assert "Choose TWO." in body
    assert body.count('type="checkbox"') == 5
    assert "Rationale for" not in body
    assert "Rationale for" in instructor_client.get(url + "?key=1").content.decode()


def test_admin_import_dry_run_writes_nothing_then_import_writes(instructor_client, mls_blueprint):
    payload = {
        "exam": "MLS-C01",
        "questions": [
            {
                "key": "imp-1", "domain": 1, "task_statement": "1.2", "kind": "single",
                "select_count": 1, "status": "published", "services": ["Amazon S3"],
                "stem": "A stem.", "explanation": "Because.",
                "choices": [{"text": f"C{i}", "correct": i == 0, "rationale": f"R{i}",
                             "role": "close_call" if i == 1 else "rule_out" if i else ""}
                            for i in range(4)],
            }
        ],
    }  # fmt: skip
    url = reverse("admin:questions_question_import")
    upload = io.BytesIO(json.dumps(payload).encode())
    upload.name = "bank.json"
    response = instructor_client.post(url, {"file": upload, "dry_run": "on"})
    assert "1 created" in response.content.decode()
    assert not Question.objects.exists()
    upload.seek(0)
    response = instructor_client.post(url, {"file": upload})
    assert Question.objects.filter(key="imp-1").exists()


def test_admin_import_of_a_broken_file_names_item_and_field(instructor_client, mls_blueprint):
    upload = io.BytesIO(b'{"exam": "MLS-C01", "questions": [{"key": "bad", "domain": 9}]}')
    upload.name = "bank.json"
    body = instructor_client.post(
        reverse("admin:questions_question_import"), {"file": upload, "dry_run": "on"}
    ).content.decode()
    assert "item 1 (key bad), field domain" in body
    upload = io.BytesIO(b"not json")
    upload.name = "bank.json"
    body = instructor_client.post(
        reverse("admin:questions_question_import"), {"file": upload}
    ).content.decode()
    assert "not valid JSON" in body


def test_instructors_edit_the_bank_but_not_users(instructor_client):
    assert instructor_client.get(reverse("admin:questions_question_changelist")).status_code == 200
    assert instructor_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_candidates_cannot_reach_the_admin(candidate_client):
    response = candidate_client.get(reverse("admin:questions_question_changelist"))
    assert response.status_code == 302


def test_change_page_links_to_the_candidate_preview(instructor_client):
    question = QuestionFactory()
    body = instructor_client.get(
        reverse("admin:questions_question_change", args=[question.pk])
    ).content.decode()
    assert reverse("admin:questions_question_preview", args=[question.pk]) in body


# Ordering, matching and case studies: the admin says what the importer says ------------------


def test_admin_adds_an_ordering_question_with_steps_in_order(instructor_client):
    domain = DomainFactory()
    steps = [("Step one", False), ("Step two", False), ("Step three", False)]
    data = question_post(domain, kind="ordering", choices=steps)
    data["choices-0-order"], data["choices-2-order"] = 2, 0  # authored out of form order
    response = instructor_client.post(ADD_URL, data)
    assert response.status_code == 302, errors_of(response)
    question = Question.objects.get()
    assert [c.text for c in question.choices.all()] == ["Step three", "Step two", "Step one"]
    preview = instructor_client.get(
        reverse("admin:questions_question_preview_frame", args=[question.pk])
    ).content.decode()
    assert "Put the THREE steps in order." in preview and "Choose a place" in preview


def test_admin_refuses_two_steps_and_a_step_marked_correct(instructor_client):
    domain = DomainFactory()
    data = question_post(domain, kind="ordering", choices=[("One", True), ("Two", False)])
    errors = errors_of(instructor_client.post(ADD_URL, data))
    assert "An ordering question needs 3 to 5 steps; it has 2." in errors
    assert "Step 1 is marked correct or has a role" in errors


def test_admin_refuses_a_match_outside_the_responses(instructor_client):
    domain = DomainFactory()
    prompts = [("Drift", False), ("Bias", False), ("Profile", False)]
    data = question_post(domain, kind="matching", choices=prompts, responses="Monitor\nClarify")
    data["choices-0-match"], data["choices-1-match"] = "Monitor", "Clarify"
    data["choices-2-match"] = "Debugger"
    errors = errors_of(instructor_client.post(ADD_URL, data))
    assert "Prompt 3 matches 'Debugger', which is not among the responses" in errors
    assert "it has 2 responses for 3 prompts" in errors


def test_admin_refuses_a_case_study_of_another_exam(instructor_client):
    from questions.models import CaseStudy

    domain = DomainFactory()
    other = CaseStudy.objects.create(exam=ExamFactory(), key="cs", title="T", scenario="S")
    data = question_post(domain, case_study=other.pk)
    errors = errors_of(instructor_client.post(ADD_URL, data))
    assert f"Case study cs belongs to {other.exam.code}, not {domain.exam.code}." in errors


def test_admin_filters_questions_by_the_new_kinds(instructor_client):
    from tests.mla_bank import ordering_question

    domain = DomainFactory()
    ordering_question(domain, "ord-1")
    QuestionFactory(domain=domain, key="sgl-1")
    changelist = reverse("admin:questions_question_changelist")
    body = instructor_client.get(changelist, {"kind__exact": "ordering"}).content.decode()
    assert "ord-1" in body and "sgl-1" not in body


def test_preview_frames_the_candidate_page_and_leaves_the_admin_unstyled(instructor_client):
    question = QuestionFactory()
    page = instructor_client.get(reverse("admin:questions_question_preview", args=[question.pk]))
    body = page.content.decode()
    frame_url = reverse("admin:questions_question_preview_frame", args=[question.pk])
    assert f'<iframe src="{frame_url}"' in body
    assert "css/app.css" not in body  # the site's stylesheet never restyles the admin
    frame = instructor_client.get(frame_url)
    assert "css/app.css" in frame.content.decode()
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in frame["Content-Security-Policy"]
    # Every other page still refuses to be framed.
    assert page["X-Frame-Options"] == "DENY"


def test_the_preview_frame_is_for_instructors_only(client, candidate):
    question = QuestionFactory()
    client.force_login(candidate)
    frame_url = reverse("admin:questions_question_preview_frame", args=[question.pk])
    assert client.get(frame_url).status_code == 302  # to the admin login
