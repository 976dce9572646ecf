"""Ordering, matching and case studies: the model's rules and the import/export round trip."""

import json

import pytest

from questions.exporting import export_csv, export_json
from questions.importing import import_bank, read_items
from questions.models import CaseStudy, Choice, Question
from tests import mla_items

pytestmark = pytest.mark.django_db


def run_import(payload, fmt="json"):
    content = json.dumps(payload) if fmt == "json" else payload
    items = read_items(content, source=f"bank.{fmt}", fmt=fmt)
    return import_bank([(f"bank.{fmt}", n, item) for n, item in enumerate(items, start=1)])


def problems(*items, case_studies=(mla_items.CASE,)):
    report = run_import(mla_items.bank(*items, case_studies=case_studies))
    return [f"{e.field}: {e.message}" for e in report.errors]


def test_ordering_needs_three_to_five_steps(mls_blueprint):
    two = mla_items.ordering()
    two["choices"] = two["choices"][:2]
    assert problems(two) == ["choices: An ordering question needs 3 to 5 steps; it has 2."]
    six = mla_items.ordering()
    six["choices"] += [{"text": f"Extra {n}", "rationale": "R."} for n in (1, 2)]
    assert problems(six) == ["choices: An ordering question needs 3 to 5 steps; it has 6."]


def test_ordering_steps_take_no_correct_flag_or_role(mls_blueprint):
    item = mla_items.ordering()
    item["choices"][1]["correct"] = True
    item["choices"][2]["role"] = "rule_out"
    assert problems(item) == [
        "choices: Step 2 is marked correct or has a role; steps take neither (their order is "
        "the key): clear them.",
        "choices: Step 3 is marked correct or has a role; steps take neither (their order is "
        "the key): clear them.",
    ]


def test_matching_needs_three_to_seven_prompts(mls_blueprint):
    item = mla_items.matching()
    item["choices"] = item["choices"][:2]
    assert problems(item) == ["choices: A matching question needs 3 to 7 prompts; it has 2."]
    item = mla_items.matching()
    item["responses"] = [f"Response {n}" for n in range(8)]
    item["choices"] = [
        {"text": f"Prompt {n}", "match": f"Response {n}", "rationale": "R."} for n in range(8)
    ]
    assert problems(item) == ["choices: A matching question needs 3 to 7 prompts; it has 8."]


def test_every_match_must_be_among_the_responses(mls_blueprint):
    item = mla_items.matching()
    item["choices"][0]["match"] = "SageMaker Autopilot"
    assert problems(item) == [
        "choices: Prompt 1 matches 'SageMaker Autopilot', which is not among the responses; "
        "add it to the responses or correct the match."
    ]


def test_responses_must_be_distinct_and_as_many_as_prompts(mls_blueprint):
    item = mla_items.matching()
    item["responses"] = ["SageMaker Clarify", "SageMaker Debugger", "SageMaker Clarify"]
    assert "choices: Two responses have the same text; every response must be distinct." in (
        problems(item)
    )
    item = mla_items.matching()
    item["responses"] = ["SageMaker Clarify", "SageMaker Debugger"]
    assert (
        "choices: A matching question needs at least as many responses as prompts: it has 2 "
        "responses for 3 prompts." in problems(item)
    )


def test_a_prompt_needs_a_match_and_only_matching_has_responses(mls_blueprint):
    item = mla_items.matching()
    item["choices"][2]["match"] = ""
    assert problems(item) == ["choices: Prompt 3 has no match: name the response it goes with."]
    item = mla_items.single(responses=["A", "B", "C"])
    assert problems(item) == [
        "responses: Only a matching question has responses: clear them, or make it matching."
    ]


def test_case_study_must_be_defined_or_exist(mls_blueprint):
    item = mla_items.single(case_study="mla-cs-nope")
    assert problems(item) == [
        "case_study: MLA-C01 has no case study 'mla-cs-nope'; define it in the file's "
        '"case_studies" (JSON) or the case_study_title and case_study_scenario columns'
    ]


def test_a_case_study_of_another_exam_is_refused_by_the_model(mls_blueprint):
    other = CaseStudy.objects.create(exam=mls_blueprint, key="cs", title="T", scenario="S")
    question = Question(
        exam=Question._meta.get_field("exam").related_model.objects.get(code="MLA-C01"),
        case_study=other,
    )
    question.domain = question.exam.domains.get(number=1)
    with pytest.raises(Exception) as caught:
        question.clean()
    assert caught.value.message_dict["case_study"] == [
        "Case study cs belongs to MLS-C01, not MLA-C01."
    ]


def test_import_stores_steps_in_order_prompts_with_matches_and_the_case_study(mls_blueprint):
    report = run_import(
        mla_items.bank(
            mla_items.ordering(case_study="mla-cs-t1"),
            mla_items.matching(case_study="mla-cs-t1"),
            mla_items.single(),
        )
    )
    assert report.ok, report.errors
    ordering = Question.objects.get(key="mla-ord-1")
    assert [c.text for c in ordering.choices.all()][0] == "Register the model version"
    assert ordering.case_study.title == "Claims triage at an insurer"
    matching = Question.objects.get(key="mla-mat-1")
    assert matching.response_list[-1] == "SageMaker Ground Truth"
    assert [c.match for c in matching.choices.all()] == [
        "SageMaker Model Monitor",
        "SageMaker Clarify",
        "SageMaker Debugger",
    ]
    assert CaseStudy.objects.get().questions.count() == 2


def bank_state():
    return [
        (
            q.key, q.kind, q.stem, q.responses, q.case_study and (q.case_study.key,
            q.case_study.title, q.case_study.scenario), q.revision,
            [(c.order, c.text, c.is_correct, c.role, c.match, c.rationale)
             for c in q.choices.all()],
        )
        for q in Question.objects.order_by("key").select_related("case_study")
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_every_kind_round_trips_through_export_and_import(mls_blueprint, fmt):
    items = [
        mla_items.ordering(case_study="mla-cs-t1"),
        mla_items.matching(case_study="mla-cs-t1"),
        mla_items.single(case_study="mla-cs-t1"),
        mla_items.single(key="mla-mul-1", kind="multiple", select_count=2, choices=[
            {"text": f"Option {n}", "correct": n < 2, "rationale": "R.",
             **({} if n < 2 else {"role": "rule_out"})} for n in range(5)
        ]),
    ]  # fmt: skip
    assert run_import(mla_items.bank(*items)).ok
    before = bank_state()
    exported = (export_json if fmt == "json" else export_csv)(Question.objects.all())
    Choice.objects.all().delete()
    Question.objects.all().delete()
    CaseStudy.objects.all().delete()
    report = run_import(json.loads(exported) if fmt == "json" else exported, fmt)
    assert report.ok, report.errors
    assert bank_state() == before
    again = (export_json if fmt == "json" else export_csv)(Question.objects.all())
    assert again == exported
    assert run_import(json.loads(again) if fmt == "json" else again, fmt).unchanged == [
        "mla-mat-1", "mla-mul-1", "mla-ord-1", "mla-sgl-1"
    ]  # fmt: skip


def test_json_export_lists_case_studies_once_at_the_top(mls_blueprint):
    run_import(mla_items.bank(mla_items.ordering(case_study="mla-cs-t1")))
    data = json.loads(export_json(Question.objects.all()))
    assert data["case_studies"] == [mla_items.CASE]
    (question,) = data["questions"]
    assert question["case_study"] == "mla-cs-t1"
    assert "select_count" not in question
    assert question["choices"][0] == {
        "text": "Register the model version",
        "rationale": "First: a version to deploy.",
    }


def test_reimport_updates_a_case_studys_scenario(mls_blueprint):
    run_import(mla_items.bank(mla_items.ordering(case_study="mla-cs-t1")))
    changed = {**mla_items.CASE, "scenario": "A new scenario."}
    report = run_import(
        mla_items.bank(mla_items.ordering(case_study="mla-cs-t1"), case_studies=[changed])
    )
    assert report.ok
    assert CaseStudy.objects.get().scenario == "A new scenario."


def test_the_shipped_format_validates_against_the_drafts_format_example(mls_blueprint):
    # FORMAT.md: a question may name a case study defined in the same file only.
    item = mla_items.single(case_study="mla-cs-t1")
    assert problems(item, case_studies=[]) == [
        "case_study: MLA-C01 has no case study 'mla-cs-t1'; define it in the file's "
        '"case_studies" (JSON) or the case_study_title and case_study_scenario columns'
    ]
