import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from questions.exporting import export_csv, export_json
from questions.importing import BankFormatError, import_bank, read_items
from questions.models import Question

pytestmark = pytest.mark.django_db


def item(key="imp-001", **overrides):
    data = {
        "key": key,
        "domain": 1,
        "task_statement": "1.2",
        "services": ["Amazon Kinesis Data Firehose", "Amazon S3"],
        "topics": ["D1-firehose"],
        "kind": "single",
        "select_count": 1,
        "stem": f"A retailer streams clicks ({key}). Which service delivers them to S3?",
        "explanation": "Firehose delivers to S3 with no consumers to run.",
        "references": [
            {
                "title": "Amazon Data Firehose Developer Guide: What is Amazon Data Firehose?",
                "url": "https://docs.aws.amazon.com/firehose/latest/dev/what-is-this-service.html",
            },
            "Amazon S3 User Guide",
        ],
        "status": "published",
        "choices": [
            {"text": "Kinesis Data Firehose", "correct": True, "rationale": "Managed delivery."},
            {
                "text": "Kinesis Data Streams",
                "correct": False,
                "rationale": "Works, but needs consumers.",
                "role": "close_call",
            },
            {
                "text": "AWS Data Pipeline",
                "correct": False,
                "rationale": "Batch, not streams.",
                "role": "rule_out",
            },
            {
                "text": "Amazon SQS",
                "correct": False,
                "rationale": "No delivery to S3.",
                "role": "rule_out",
            },
        ],
    }
    data.update(overrides)
    return data


def write_bank(tmp_path, items, name="bank.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"exam": "MLS-C01", "questions": items}))
    return path


def test_import_creates_questions_with_choices_services_and_topics(tmp_path, mls_blueprint):
    call_command("import_questions", write_bank(tmp_path, [item()]))
    question = Question.objects.get(key="imp-001")
    assert question.exam == mls_blueprint
    assert question.task_statement.code == "1.2"
    assert [c.is_correct for c in question.choices.all()] == [True, False, False, False]
    assert {s.name for s in question.services.all()} == {
        "Amazon Kinesis Data Firehose",
        "Amazon S3",
    }
    assert [t.code for t in question.topics.all()] == ["D1-firehose"]


def test_reimport_updates_by_key_instead_of_duplicating(tmp_path, mls_blueprint):
    path = write_bank(tmp_path, [item()])
    call_command("import_questions", path)
    choice_ids = list(Question.objects.get().choices.values_list("id", flat=True))
    path = write_bank(tmp_path, [item(explanation="A clearer explanation of the key.")])
    call_command("import_questions", path)
    question = Question.objects.get()
    assert question.explanation == "A clearer explanation of the key."
    assert question.revision == 2
    assert list(question.choices.values_list("id", flat=True)) == choice_ids


def test_reimporting_the_same_file_changes_nothing(tmp_path, mls_blueprint, capsys):
    path = write_bank(tmp_path, [item()])
    call_command("import_questions", path)
    before = Question.objects.get().updated_at
    call_command("import_questions", path)
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert Question.objects.get().updated_at == before
    assert Question.objects.get().revision == 1


def test_dry_run_reports_and_writes_nothing(tmp_path, mls_blueprint, capsys):
    call_command("import_questions", write_bank(tmp_path, [item()]), "--dry-run")
    assert "Dry run: 1 created" in capsys.readouterr().out
    assert not Question.objects.exists()


def test_one_broken_item_names_index_key_and_field_and_nothing_is_written(
    tmp_path, mls_blueprint, capsys
):
    broken = item("imp-002", task_statement="3.2")
    broken["choices"][1]["correct"] = True
    unknown = item("imp-003", services=["Amazon Imaginary"])
    path = write_bank(tmp_path, [item(), broken, unknown])
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_questions", path)
    errors = capsys.readouterr().err
    assert (
        "bank.json item 2 (key imp-002), field task_statement: Task statement 3.2 belongs to "
        "domain 3, not domain 1." in errors
    )
    assert (
        "item 2 (key imp-002), field choices: A multiple-choice question needs exactly one"
        in errors
    )
    assert "item 3 (key imp-003), field services: unknown service 'Amazon Imaginary'" in errors
    assert not Question.objects.exists()


def test_missing_fields_and_bad_values_are_each_reported(mls_blueprint):
    raw = [("f.json", 1, {"exam": "MLS-C01", "key": "bad key!", "domain": "x", "kind": "essay"})]
    report = import_bank(raw)
    fields = {error.field for error in report.errors}
    assert {"key", "domain", "kind", "stem", "explanation", "choices"} <= fields


def test_duplicate_keys_in_one_file_are_refused(tmp_path, mls_blueprint, capsys):
    with pytest.raises(CommandError):
        call_command("import_questions", write_bank(tmp_path, [item(), item()]))
    assert "item 2 (key imp-001), field key: duplicate key" in capsys.readouterr().err


def test_unreadable_files_give_a_clear_message(tmp_path, mls_blueprint):
    path = tmp_path / "bank.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_questions", path)
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_questions", tmp_path / "missing.json")
    with pytest.raises(BankFormatError, match="expected an object"):
        read_items('"just a string"', source="x.json", fmt="json")


def test_json_export_imports_back_to_the_same_bank(tmp_path, mls_blueprint):
    multiple = item("imp-002", kind="multiple", select_count=2)
    multiple["choices"] = [
        {"text": f"Option {n}", "correct": n < 2, "rationale": f"Reason {n}", "role": role}
        for n, role in enumerate(["", "", "rule_out", "rule_out", "close_call"])
    ]
    call_command("import_questions", write_bank(tmp_path, [item(), multiple]))
    exported = export_json(Question.objects.all())
    Question.objects.all().delete()
    (tmp_path / "export.json").write_text(exported)
    call_command("import_questions", tmp_path / "export.json")
    assert export_json(Question.objects.all()) == exported


def test_csv_export_imports_back_to_the_same_bank(tmp_path, mls_blueprint):
    call_command("import_questions", write_bank(tmp_path, [item(stem='Line one,\nline "two"')]))
    before = export_json(Question.objects.all())
    csv_text = export_csv(Question.objects.all())
    Question.objects.all().delete()
    (tmp_path / "bank.csv").write_text(csv_text)
    call_command("import_questions", tmp_path / "bank.csv")
    assert export_json(Question.objects.all()) == before


def test_export_command_writes_json_and_csv(tmp_path, mls_blueprint, capsys):
    call_command("import_questions", write_bank(tmp_path, [item()]))
    capsys.readouterr()
    call_command("export_questions", "--exam", "MLS-C01")
    assert json.loads(capsys.readouterr().out)["questions"][0]["key"] == "imp-001"
    call_command("export_questions", "--format", "csv", "-o", tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_text().startswith("exam,key,domain")
    with pytest.raises(CommandError, match="no exam"):
        call_command("export_questions", "--exam", "NOPE")


def test_role_problems_name_the_item_the_field_and_the_choice(tmp_path, mls_blueprint, capsys):
    bad = item()
    bad["choices"][0]["role"] = "rule_out"
    bad["choices"][1]["role"] = "maybe"
    del bad["choices"][2]["role"]
    with pytest.raises(CommandError):
        call_command("import_questions", write_bank(tmp_path, [bad]))
    err = capsys.readouterr().err
    prefix = "bank.json item 1 (key imp-001), field choices: "
    assert prefix + "Choice A is correct, so it takes no role; clear its role 'rule_out'" in err
    assert prefix + "Choice B has role 'maybe'; use 'rule_out' or 'close_call'." in err
    assert prefix + "Choice C is wrong but has no role" in err


def test_a_draft_may_leave_roles_unset(tmp_path, mls_blueprint):
    draft = item(status="draft")
    for choice in draft["choices"]:
        choice.pop("role", None)
    call_command("import_questions", write_bank(tmp_path, [draft]))
    assert set(Question.objects.get().choices.values_list("role", flat=True)) == {""}


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "http://docs.aws.amazon.com/x.html", "https://", "https://a b"],
)
def test_a_reference_url_must_be_https(tmp_path, mls_blueprint, capsys, url):
    bad = item(references=[{"title": "Guide", "url": url}])
    with pytest.raises(CommandError):
        call_command("import_questions", write_bank(tmp_path, [bad]))
    err = capsys.readouterr().err
    assert "bank.json item 1 (key imp-001), field references[1]: " in err
    assert not Question.objects.exists()


def test_references_are_stored_as_a_markdown_list_of_links(tmp_path, mls_blueprint):
    call_command("import_questions", write_bank(tmp_path, [item()]))
    assert Question.objects.get().references == (
        "- [Amazon Data Firehose Developer Guide: What is Amazon Data Firehose?]"
        "(https://docs.aws.amazon.com/firehose/latest/dev/what-is-this-service.html)\n"
        "- Amazon S3 User Guide"
    )


def test_exports_carry_roles_and_reference_urls(tmp_path, mls_blueprint):
    call_command("import_questions", write_bank(tmp_path, [item()]))
    exported = json.loads(export_json(Question.objects.all()))["questions"][0]
    assert exported["references"] == item()["references"]
    assert [c.get("role") for c in exported["choices"]] == [
        None,
        "close_call",
        "rule_out",
        "rule_out",
    ]
    row = next(csv.DictReader(io.StringIO(export_csv(Question.objects.all()))))
    assert row["references"] == (
        "Amazon Data Firehose Developer Guide: What is Amazon Data Firehose? | "
        "https://docs.aws.amazon.com/firehose/latest/dev/what-is-this-service.html\n"
        "Amazon S3 User Guide"
    )
    assert [row[f"choice_{n}_role"] for n in range(1, 5)] == [
        "",
        "close_call",
        "rule_out",
        "rule_out",
    ]
