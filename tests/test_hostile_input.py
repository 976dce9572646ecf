"""No input gives a 500: NUL bytes anywhere in a request, numbers out of range, and imports
with NaN, Infinity, deep nesting, NUL bytes, oversized cells or files, or too many items. Each
is refused with a clear 4xx or a per-item error. Hypothesis walks the space."""

import csv
import io
import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questions.exporting import export_csv, export_json
from questions.importing import (
    FORMULA_PREFIXES,
    MAX_FILE_BYTES,
    MAX_ITEMS,
    MAX_TEXT_CHARS,
    BankFormatError,
    csv_escape,
    csv_unescape,
    import_bank,
    read_items,
)
from questions.models import Question
from tests.attempts.helpers import start_mock

pytestmark = pytest.mark.django_db

FIXTURE_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def good_item(**overrides):
    data = {
        "exam": "MLS-C01", "key": "hostile-1", "domain": 1, "task_statement": "1.2",
        "kind": "single", "select_count": 1, "status": "draft", "services": ["Amazon S3"],
        "stem": "A stem.", "explanation": "Because.",
        "choices": [{"text": f"C{i}", "correct": i == 0, "rationale": f"R{i}"} for i in range(4)],
    }  # fmt: skip
    data.update(overrides)
    return data


def import_text(content: str, fmt: str = "json"):
    """Either a BankFormatError for the file, or a report with per-item errors."""
    try:
        items = read_items(content, source=f"upload.{fmt}", fmt=fmt)
    except BankFormatError as exc:
        return str(exc)
    return import_bank([("upload", i, item) for i, item in enumerate(items, start=1)], dry_run=True)


# Requests ------------------------------------------------------------------------------------

NUL_TEXT = st.text(min_size=0, max_size=20).map(lambda s: s + "\x00")
PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/exams/MLS-C01/", "/healthz"]


@FIXTURE_SETTINGS
@given(page=st.sampled_from(PAGES), name=st.text(min_size=1, max_size=10), value=NUL_TEXT)
def test_a_nul_byte_in_any_query_value_is_a_400(client, page, name, value):
    response = client.get(page, {name: value})
    assert response.status_code == 400


@FIXTURE_SETTINGS
@given(value=NUL_TEXT, field=st.sampled_from(["username", "password", "password1"]))
def test_a_nul_byte_in_any_form_value_is_a_400(client, value, field):
    for page in ("/accounts/login/", "/accounts/signup/"):
        response = client.post(page, {field: value})
        assert response.status_code == 400


def test_a_nul_byte_in_the_path_is_a_400(client):
    assert client.get("/exams/MLS%00-C01/").status_code in (400, 404)


def test_out_of_range_numbers_in_urls_are_404s(candidate_client, candidate, small_exam):
    attempt = start_mock(candidate, small_exam)
    huge = 2**70
    for url in (
        f"/attempts/{huge}/q/1/",
        f"/attempts/{attempt.pk}/q/{huge}/",
        f"/attempts/{attempt.pk}/q/{2**15}/",
        f"/attempts/{huge}/results/",
    ):
        assert candidate_client.get(url).status_code == 404, url


@FIXTURE_SETTINGS
@given(version=st.one_of(st.integers(), st.text(max_size=30)))
def test_any_version_number_is_refused_or_applied_never_a_500(
    candidate_client, candidate, small_exam, version
):
    attempt = start_mock(candidate, small_exam)
    response = candidate_client.post(
        reverse("attempts:answer", args=[attempt.pk, 1]),
        {"choice": [1], "version": version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code < 500


# Imports -------------------------------------------------------------------------------------

FIXED_HOSTILE_VALUES = [
    "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "10" * 3000, '"a\\u0000b"',
    "[" * 3000 + "]" * 3000, '{"a":' * 50 + "1" + "}" * 50, json.dumps("x" * (MAX_TEXT_CHARS + 1)),
    "true", "null", "{}", "[1, 2]", "7", "-3.5", '[{"text": {"nested": []}}]',
]  # fmt: skip
HOSTILE_JSON_VALUES = st.one_of(
    st.sampled_from(FIXED_HOSTILE_VALUES),
    st.text(max_size=50).map(lambda s: json.dumps(s + "\x00")),
    st.integers(min_value=5, max_value=5000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(min_value=5, max_value=5000).map(lambda d: '{"a":' * d + "1" + "}" * d),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)
ITEM_FIELDS = [
    "key", "exam", "domain", "task_statement", "services", "topics", "kind", "select_count",
    "stem", "explanation", "references", "status", "choices",
]  # fmt: skip


def assert_answered_without_crashing(field, raw_value):
    """A file error naming the file, or a report (per-item errors, or a value that is fine)."""
    # The raw JSON text goes in place of the field's value, so NaN and friends stay literal.
    content = json.dumps(good_item(**{field: "HOSTILE"})).replace('"HOSTILE"', raw_value)
    result = import_text(f'{{"questions": [{content}]}}')
    if isinstance(result, str):
        assert "upload.json" in result
    else:
        assert all(error.message for error in result.errors)


@pytest.mark.parametrize("raw_value", FIXED_HOSTILE_VALUES, ids=lambda v: v[:12])
def test_every_field_answers_each_hostile_value_with_a_file_or_item_error_never_a_crash(
    mls_blueprint, raw_value
):
    for field in ITEM_FIELDS:
        assert_answered_without_crashing(field, raw_value)


@FIXTURE_SETTINGS
@given(field=st.sampled_from(ITEM_FIELDS), raw_value=HOSTILE_JSON_VALUES)
def test_hostile_values_in_any_field_give_a_file_or_item_error_never_a_crash(
    mls_blueprint, field, raw_value
):
    assert_answered_without_crashing(field, raw_value)


@FIXTURE_SETTINGS
@given(field=st.sampled_from(["stem", "explanation", "key"]), value=NUL_TEXT)
def test_nul_bytes_in_a_json_item_are_per_item_errors(mls_blueprint, field, value):
    report = import_text(json.dumps({"questions": [good_item(**{field: value})]}))
    assert not report.ok
    assert any(error.field == field and "NUL" in error.message for error in report.errors)


def test_nested_values_are_refused_per_item(mls_blueprint):
    report = import_text(json.dumps({"questions": [good_item(stem={"a": {"b": ["c"]}})]}))
    assert [error.field for error in report.errors] == ["stem"]


def test_a_deeply_nested_file_is_refused_with_a_message():
    result = import_text("[" * 100_000 + "]" * 100_000)
    assert "nested too deeply" in result or "file is" in result


def test_oversized_files_and_too_many_items_are_refused(mls_blueprint):
    assert "at most" in import_text("x" * (MAX_FILE_BYTES + 1))
    many = json.dumps({"questions": [{"key": str(n)} for n in range(MAX_ITEMS + 1)]})
    assert f"at most {MAX_ITEMS}" in import_text(many)


def test_csv_with_nul_bytes_or_huge_cells_is_refused_clearly(mls_blueprint):
    header = "exam,key,domain,kind,stem\n"
    nul = import_text(header + "MLS-C01,k1,1,single,a\x00b\n", fmt="csv")
    assert isinstance(nul, str) or any("NUL" in e.message for e in nul.errors)
    huge = import_text(header + "MLS-C01,k1,1,single," + "y" * 200_000 + "\n", fmt="csv")
    assert isinstance(huge, str) or any("longer than" in e.message for e in huge.errors)


def test_admin_upload_of_an_oversized_file_is_a_400_with_the_reason(instructor_client):
    upload = io.BytesIO(b" " * (MAX_FILE_BYTES + 1))
    upload.name = "bank.json"
    response = instructor_client.post(reverse("admin:questions_question_import"), {"file": upload})
    assert response.status_code == 400
    assert "at most" in response.content.decode()


# CSV formulas ------------------------------------------------------------------------------


@given(st.text(max_size=30))
def test_csv_escaping_round_trips_any_text(text):
    escaped = csv_escape(text)
    assert not escaped.startswith(FORMULA_PREFIXES)
    assert csv_unescape(escaped) == text


def test_csv_export_writes_no_live_formula_and_imports_back_unchanged(tmp_path, mls_blueprint):
    from django.core.management import call_command

    formulas = ['=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)", "'=already"]
    item = good_item(
        key="formula", stem=formulas[0], explanation=formulas[4],
        choices=[{"text": text, "correct": i == 0, "rationale": f"{text} rationale"}
                 for i, text in enumerate(formulas[1:4] + ["Plain"])],
    )  # fmt: skip
    path = tmp_path / "bank.json"
    path.write_text(json.dumps({"questions": [item]}))
    call_command("import_questions", path, verbosity=0)
    before = export_json(Question.objects.all())
    exported = export_csv(Question.objects.all())
    for row in csv.reader(io.StringIO(exported)):
        for cell in row:
            assert not cell.startswith(FORMULA_PREFIXES), cell
    Question.objects.all().delete()
    (tmp_path / "bank.csv").write_text(exported)
    call_command("import_questions", tmp_path / "bank.csv", verbosity=0)
    assert export_json(Question.objects.all()) == before
