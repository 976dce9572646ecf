"""Export of the bank in the same format the importer reads (docs/question-format.md)."""

import csv
import io
import json

from questions import references as reference_rules
from questions.importing import CSV_LIST_SEPARATOR, csv_escape
from questions.models import MAX_CHOICES, Question


def export_items(questions) -> list[dict]:
    """Questions as import-format dicts, in a stable order."""
    questions = questions.select_related("exam", "domain", "task_statement").prefetch_related(
        "services", "topics", "choices"
    )
    return [
        {
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
            "choices": [_choice_data(c) for c in q.choices.all()],
        }
        for q in questions.order_by("exam__code", "domain__number", "key")
    ]


def _choice_data(choice) -> dict:
    data = {"text": choice.text, "correct": choice.is_correct, "rationale": choice.rationale}
    if choice.role:  # a key has no role, and the format leaves the field out rather than ""
        data["role"] = choice.role
    return data


def export_json(questions) -> str:
    items = export_items(questions)
    exams = {item["exam"] for item in items}
    if len(exams) == 1:
        (exam,) = exams
        payload = {"exam": exam, "questions": [_without_exam(i) for i in items]}
    else:
        payload = {"questions": items}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _without_exam(item: dict) -> dict:
    return {name: value for name, value in item.items() if name != "exam"}


CSV_COLUMNS = [
    "exam", "key", "domain", "task_statement", "services", "topics", "kind",
    "select_count", "stem", "explanation", "references", "status",
] + [
    f"choice_{n}_{part}" for n in range(1, MAX_CHOICES + 1)
    for part in ("text", "correct", "rationale", "role")
]  # fmt: skip


def export_csv(questions) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in export_items(questions):
        row = {
            **{name: item[name] for name in CSV_COLUMNS[:12] if name in item},
            "services": CSV_LIST_SEPARATOR.join(item["services"]),
            "topics": CSV_LIST_SEPARATOR.join(item["topics"]),
            "references": "\n".join(_reference(ref).csv_line() for ref in item["references"]),
        }
        for number, choice in enumerate(item["choices"], start=1):
            row[f"choice_{number}_text"] = choice["text"]
            row[f"choice_{number}_correct"] = "true" if choice["correct"] else "false"
            row[f"choice_{number}_rationale"] = choice["rationale"]
            row[f"choice_{number}_role"] = choice.get("role", "")
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
