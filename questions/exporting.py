"""Export of the bank in the same format the importer reads (docs/question-format.md)."""

import csv
import io
import json

from questions import references as reference_rules
from questions.importing import CSV_LIST_SEPARATOR, csv_escape
from questions.models import MAX_CHOICES, Question


def export_items(questions) -> list[dict]:
    """Questions as import-format dicts, in a stable order."""
    questions = questions.select_related(
        "exam", "domain", "task_statement", "case_study"
    ).prefetch_related("services", "topics", "choices")
    return [_item(q) for q in questions.order_by("exam__code", "domain__number", "key")]


def _item(q: Question) -> dict:
    item = {
        "exam": q.exam.code,
        "key": q.key,
        "domain": q.domain.number,
        "task_statement": q.task_statement.code if q.task_statement else "",
        "services": sorted(s.name for s in q.services.all()),
        "topics": sorted(t.code for t in q.topics.all()),
        "kind": q.kind,
        "select_count": q.select_count,
        "stem": q.stem,
        "explanation": q.explanation,
        "references": [ref.as_data() for ref in reference_rules.parse(q.references)],
        "status": q.status,
        "choices": [_choice_data(q, c) for c in q.choices.all()],
    }
    if q.is_placement:
        del item["select_count"]  # every step or prompt is placed: not a field of these kinds
    if q.kind == Question.Kind.MATCHING:
        item["responses"] = q.response_list
    if q.case_study is not None:
        item["case_study"] = q.case_study.key
        item["case_study_title"] = q.case_study.title
        item["case_study_scenario"] = q.case_study.scenario
    return item


def _choice_data(question: Question, choice) -> dict:
    if question.kind == Question.Kind.ORDERING:  # steps in the correct order, nothing else
        return {"text": choice.text, "rationale": choice.rationale}
    if question.kind == Question.Kind.MATCHING:
        return {"text": choice.text, "match": choice.match, "rationale": choice.rationale}
    data = {"text": choice.text, "correct": choice.is_correct, "rationale": choice.rationale}
    if choice.role:  # a key has no role, and the format leaves the field out rather than ""
        data["role"] = choice.role
    return data


CASE_FIELDS = ("case_study_title", "case_study_scenario")


def _case_studies(items: list[dict], with_exam: bool) -> list[dict]:
    """The top-level `case_studies` of a JSON export, each once, in key order."""
    cases = {}
    for item in items:
        if "case_study" in item:
            case = {"key": item["case_study"], "title": item["case_study_title"]}
            case["scenario"] = item["case_study_scenario"]
            if with_exam:
                case = {"exam": item["exam"], **case}
            cases[(item["exam"], item["case_study"])] = case
    return [cases[k] for k in sorted(cases)]


def export_json(questions) -> str:
    items = export_items(questions)
    exams = {item["exam"] for item in items}
    single_exam = len(exams) == 1
    cases = _case_studies(items, with_exam=not single_exam)
    if single_exam:
        (exam,) = exams
        payload = {"exam": exam, "questions": [_without(i, "exam") for i in items]}
    else:
        payload = {"questions": [_without(i) for i in items]}
    if cases:
        payload = {**payload, "case_studies": cases}
        payload["questions"] = payload.pop("questions")  # questions last, as authors write
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _without(item: dict, *names: str) -> dict:
    # The case study's title and scenario go once in `case_studies`, not on each question.
    dropped = set(names) | set(CASE_FIELDS)
    return {name: value for name, value in item.items() if name not in dropped}


CSV_COLUMNS = [
    "exam", "key", "domain", "task_statement", "services", "topics", "kind",
    "select_count", "stem", "explanation", "references", "status", "responses",
    "case_study", "case_study_title", "case_study_scenario",
] + [
    f"choice_{n}_{part}" for n in range(1, MAX_CHOICES + 1)
    for part in ("text", "correct", "rationale", "role", "match")
]  # fmt: skip
QUESTION_COLUMNS = CSV_COLUMNS[: CSV_COLUMNS.index("choice_1_text")]


def export_csv(questions) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in export_items(questions):
        row = {
            **{name: item[name] for name in QUESTION_COLUMNS if name in item},
            "responses": "\n".join(item.get("responses", [])),
            "services": CSV_LIST_SEPARATOR.join(item["services"]),
            "topics": CSV_LIST_SEPARATOR.join(item["topics"]),
            "references": "\n".join(_reference(ref).csv_line() for ref in item["references"]),
        }
        for number, choice in enumerate(item["choices"], start=1):
            row[f"choice_{number}_text"] = choice["text"]
            if "correct" in choice:
                row[f"choice_{number}_correct"] = "true" if choice["correct"] else "false"
            row[f"choice_{number}_rationale"] = choice["rationale"]
            row[f"choice_{number}_role"] = choice.get("role", "")
            row[f"choice_{number}_match"] = choice.get("match", "")
        # Never a live formula in a spreadsheet (CSV injection); the importer reverses it.
        writer.writerow(
            {name: csv_escape(v) if isinstance(v, str) else v for name, v in row.items()}
        )
    return buffer.getvalue()


def _reference(data: dict | str) -> reference_rules.Reference:
    if isinstance(data, dict):
        return reference_rules.Reference(**data)
    return reference_rules.Reference(data)


def questions_for_export(exam_code: str | None = None):
    questions = Question.objects.all()
    if exam_code:
        questions = questions.filter(exam__code=exam_code)
    return questions
