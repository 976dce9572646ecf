"""Import of the question bank from JSON or CSV (format: docs/question-format.md).

All items are checked before anything is written: one bad item means nothing is imported,
and every problem is reported with the item's position, its key and the field.
"""

import csv
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from questions import references as reference_rules
from questions.models import (
    MAX_CHOICES,
    CaseStudy,
    Choice,
    Domain,
    Exam,
    Question,
    Service,
    TaskStatement,
    Topic,
)
from questions.services import question_content_hash, question_refresh_revision

REQUIRED_FIELDS = ("key", "domain", "kind", "stem", "explanation", "choices")
CSV_LIST_SEPARATOR = ";"
# Caps on what one import may hold: the whole shipped bank is far below each, and past them a
# file is a mistake or an attack (memory, CPU), refused before anything is parsed further.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 5000
MAX_TEXT_CHARS = 20_000  # one stem, explanation, choice text or rationale
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection): the
# exporter writes them behind an apostrophe and the CSV reader takes it off again.
FORMULA_PREFIXES = ("=", "+", "-", "@")


class BankFormatError(Exception):
    """The file itself cannot be read (not JSON, not CSV, wrong top-level shape)."""


@dataclass(frozen=True)
class ItemError:
    source: str
    index: int
    key: str
    field: str
    message: str

    def __str__(self):
        key = f" (key {self.key})" if self.key else ""
        return f"{self.source} item {self.index}{key}, field {self.field}: {self.message}"


@dataclass
class QuestionData:
    """One checked item: an unsaved question (already `full_clean`ed) with its relations."""

    source: str
    index: int
    question: Question
    services: list[Service]
    topics: list[Topic]
    choices: list[Choice]
    # The case study as this import defines it (title and scenario), if the item names one.
    case_study: CaseStudy | None = None

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def exam(self) -> Exam:
        return self.question.exam


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Changed by an instructor since the last import: left as they are (--force overwrites).
    kept: list[str] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"{len(self.errors)} problem(s); nothing was imported."
        counts = (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )
        if self.kept:
            counts += (
                f", {len(self.kept)} kept as edited in the admin ({', '.join(self.kept)}; "
                "--force overwrites them)"
            )
        if self.dry_run:
            return f"Dry run: {counts}. Nothing was written."
        return f"Imported: {counts}."


# Reading files -------------------------------------------------------------------------------


def check_file_size(size: int, source: str) -> None:
    if size > MAX_FILE_BYTES:
        raise BankFormatError(
            f"{source}: the file is {size // 1024} KB; an import takes at most "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB (split it into several files)"
        )


def read_items(content: str, *, source: str, fmt: str) -> list[dict]:
    """Parse a file's text into raw question dicts."""
    check_file_size(len(content.encode("utf-8", errors="replace")), source)
    if fmt == "json":
        items = _read_json(content, source)
    elif fmt == "csv":
        items = _read_csv(content, source)
    else:
        raise BankFormatError(f"{source}: unknown format {fmt!r} (use json or csv)")
    if len(items) > MAX_ITEMS:
        raise BankFormatError(f"{source}: {len(items)} items; an import takes at most {MAX_ITEMS}")
    return items


def format_for_path(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in {"json", "csv"}:
        raise BankFormatError(f"{path}: the file name must end in .json or .csv")
    return suffix


def _read_json(content: str, source: str) -> list[dict]:
    try:
        data = json.loads(content, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise BankFormatError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    except ValueError as exc:
        raise BankFormatError(f"{source}: not valid JSON ({exc})") from exc
    except RecursionError as exc:
        raise BankFormatError(f"{source}: not valid JSON (nested too deeply)") from exc
    cases = {}
    if isinstance(data, list):
        items, default_exam = data, None
    elif isinstance(data, dict) and isinstance(data.get("questions"), list):
        items, default_exam = data["questions"], data.get("exam")
        cases = _case_studies_by_key(data.get("case_studies"), default_exam, source)
    else:
        raise BankFormatError(
            f'{source}: expected an object {{"exam": ..., "questions": [...]}} or a list'
        )
    result = []
    for item in items:
        if isinstance(item, dict) and default_exam and "exam" not in item:
            item = {**item, "exam": default_exam}
        if isinstance(item, dict) and isinstance(item.get("case_study"), str):
            # The file's definition travels with each of its questions, as in the CSV columns.
            case = cases.get((item.get("exam"), item["case_study"]))
            if case is not None:
                item = {
                    **item,
                    "case_study_title": case.get("title", ""),
                    "case_study_scenario": case.get("scenario", ""),
                }
        result.append(item)
    return result


def _case_studies_by_key(raw, default_exam, source: str) -> dict:
    """The top-level `case_studies` list: {(exam, key): {title, scenario}}."""
    if raw in (None, []):
        return {}
    if not isinstance(raw, list) or not all(
        isinstance(case, dict) and isinstance(case.get("key"), str) for case in raw
    ):
        raise BankFormatError(
            f'{source}: "case_studies" must be a list of {{"key", "title", "scenario"}} objects'
        )
    return {(case.get("exam", default_exam), case["key"]): case for case in raw}


def _refuse_constant(name: str):
    # Python's json reads NaN and Infinity, which are not JSON and no field can hold.
    raise ValueError(f"{name} is not a JSON value")


def _read_csv(content: str, source: str) -> list[dict]:
    try:
        return _read_csv_rows(content, source)
    except csv.Error as exc:
        raise BankFormatError(f"{source}: not valid CSV ({exc})") from exc


def _looks_escaped(value: str) -> bool:
    return value.startswith("'") and value.lstrip("'").startswith(FORMULA_PREFIXES)


def csv_escape(value: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe (shown as text).
    Text that already looks escaped gets one more, so the round trip is exact."""
    if value.startswith(FORMULA_PREFIXES) or _looks_escaped(value):
        return "'" + value
    return value


def csv_unescape(value: str) -> str:
    """Undo csv_escape ("'=SUM(A1)" -> "=SUM(A1)")."""
    return value[1:] if _looks_escaped(value) else value


def _read_csv_rows(content: str, source: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    if not reader.fieldnames or "key" not in reader.fieldnames:
        raise BankFormatError(f"{source}: the CSV header must include a 'key' column")
    items = []
    for row in reader:
        if len(items) >= MAX_ITEMS:
            raise BankFormatError(f"{source}: more than {MAX_ITEMS} rows; split the file")
        row = {
            name: csv_unescape((value or "").strip())
            for name, value in row.items()
            if isinstance(name, str) and name and isinstance(value, str)
        }
        item: dict = {
            name: row.get(name, "")
            for name in (
                "exam", "key", "domain", "task_statement", "kind", "select_count",
                "stem", "explanation", "status", "case_study", "case_study_title",
                "case_study_scenario",
            )
        }  # fmt: skip
        item["responses"] = [line for line in row.get("responses", "").splitlines() if line]
        item["services"] = _split_list(row.get("services", ""))
        item["topics"] = _split_list(row.get("topics", ""))
        item["references"] = [line for line in row.get("references", "").splitlines() if line]
        choices = []
        for number in range(1, MAX_CHOICES + 1):
            text = row.get(f"choice_{number}_text", "")
            if not text:
                continue
            choices.append(
                {
                    "text": text,
                    "correct": row.get(f"choice_{number}_correct", ""),
                    "rationale": row.get(f"choice_{number}_rationale", ""),
                    "role": row.get(f"choice_{number}_role", ""),
                    "match": row.get(f"choice_{number}_match", ""),
                }
            )
        item["choices"] = choices
        items.append(item)
    return items


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(CSV_LIST_SEPARATOR) if part.strip()]


# Checking items -----------------------------------------------------------------------------


class _Lookups:
    """Everything an import refers to, loaded once so checking costs a fixed number of queries."""

    def __init__(self):
        self.exams = {exam.code: exam for exam in Exam.objects.all()}
        self.domains = {(d.exam_id, d.number): d for d in Domain.objects.all()}
        self.tasks = {
            (t.domain.exam_id, t.code): t for t in TaskStatement.objects.select_related("domain")
        }
        self.services = {}
        for service in Service.objects.all():
            self.services[service.name.lower()] = service
            self.services[service.slug.lower()] = service
        self.topics = {(t.exam_id, t.code.lower()): t for t in Topic.objects.all()}
        # Shared by every item of the import, so one case study is one object however many
        # questions name it (and a file's new case study is created once).
        self.case_studies = {(c.exam_id, c.key): c for c in CaseStudy.objects.all()}
        self.case_definitions: dict[tuple[int, str], tuple[str, str, str]] = {}


def check_items(raw_items: list[tuple[str, int, object]]) -> tuple[list[QuestionData], list]:
    """Turn raw items (source, index, dict) into QuestionData, collecting every problem."""
    lookups = _Lookups()
    checked: list[QuestionData] = []
    errors: list[ItemError] = []
    seen_keys: dict[tuple[str, str], str] = {}
    for source, index, raw in raw_items:
        item_errors: list[ItemError] = []
        data = _check_item(source, index, raw, lookups, item_errors)
        if data is not None:
            identity = (data.exam.code, data.key)
            if identity in seen_keys:
                item_errors.append(
                    ItemError(
                        source,
                        index,
                        data.key,
                        "key",
                        f"duplicate key; it is already used by {seen_keys[identity]}",
                    )  # fmt: skip
                )
            seen_keys[identity] = f"{source} item {index}"
        errors.extend(item_errors)
        if data is not None and not item_errors:
            checked.append(data)
    return checked, errors


def _check_item(source, index, raw, lookups: _Lookups, errors: list) -> QuestionData | None:
    """Read one raw item into an unsaved question, then let the model's rules judge it."""
    key = raw.get("key", "") if isinstance(raw, dict) else ""
    # Only for naming the item in messages; the model's validation judges the key itself.
    key = str(key).strip()[:60] if isinstance(key, str | int) and not isinstance(key, bool) else ""
    unreadable: set[str] = set()  # fields already reported: the model need not repeat them

    def problem(field_name: str, message: str):
        unreadable.add(field_name.split("[")[0].split(".")[0])
        errors.append(ItemError(source, index, key, field_name, message))

    if not isinstance(raw, dict):
        problem("-", "each item must be an object with the question's fields")
        return None
    for field_name, message in _unsafe_values(raw):
        problem(field_name, message)
    if errors:
        return None

    def text(field_name: str, value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            problem(field_name, "must be text")
            return ""
        return str(value)

    for name in REQUIRED_FIELDS:
        if raw.get(name) in (None, "", []):
            problem(name, "is required")

    exam = lookups.exams.get(text("exam", raw.get("exam", "")).strip())
    if exam is None:
        problem("exam", f"unknown exam {raw.get('exam')!r}; load the blueprint first")
        return None

    domain = None
    domain_raw = raw.get("domain")
    if domain_raw not in (None, ""):
        try:
            domain = lookups.domains.get((exam.pk, int(domain_raw)))
        except (TypeError, ValueError, OverflowError):
            domain = None
        if domain is None:
            problem("domain", f"{exam.code} has no domain {domain_raw!r}")

    task = None
    task_raw = text("task_statement", raw.get("task_statement") or "").strip()
    if task_raw:
        task = lookups.tasks.get((exam.pk, task_raw))
        if task is None:
            problem("task_statement", f"{exam.code} has no task statement {task_raw!r}")

    services = []
    for name in _as_list(raw.get("services")):
        service = lookups.services.get(name.lower())
        if service is None:
            problem("services", f"unknown service {name!r}")
        else:
            services.append(service)
    topics = []
    for code in _as_list(raw.get("topics")):
        topic = lookups.topics.get((exam.pk, code.lower()))
        if topic is None:
            problem("topics", f"{exam.code} has no topic {code!r}")
        else:
            topics.append(topic)

    case_study = _case_study(exam, raw, lookups, text, problem, source, index)

    kind = text("kind", raw.get("kind", "")).strip()
    placement = kind in (Question.Kind.ORDERING, Question.Kind.MATCHING)
    select_raw = raw.get("select_count") or (1 if kind == Question.Kind.SINGLE else None)
    if placement:
        select_raw = 1  # every step or prompt is placed: the count is the choices'
    raw_responses = raw.get("responses") or []
    if isinstance(raw_responses, str):
        raw_responses = raw_responses.splitlines()
    if not isinstance(raw_responses, list):
        problem("responses", "must be a list of response texts")
        raw_responses = []
    responses = [
        text(f"responses[{n}]", value).strip() for n, value in enumerate(raw_responses, start=1)
    ]
    if any("\n" in response for response in responses):
        problem("responses", "a response is one line of text")
    try:
        select_count = int(select_raw)
    except (TypeError, ValueError, OverflowError):
        problem("select_count", "must be a whole number (1 for multiple choice)")
        select_count = None

    choices = []
    raw_choices = raw.get("choices")
    if raw_choices not in (None, "", []) and not isinstance(raw_choices, list):
        problem("choices", "must be a list of {text, correct, rationale}")
        raw_choices = []
    for position, raw_choice in enumerate(raw_choices or [], start=1):
        if not isinstance(raw_choice, dict):
            problem(f"choices[{position}]", "must be an object with text, correct, rationale")
            continue
        correct = _as_bool(raw_choice.get("correct", False))
        if correct is None:
            problem(f"choices[{position}].correct", "must be true or false")
            correct = False
        choices.append(
            Choice(
                order=position - 1,
                text=text(f"choices[{position}].text", raw_choice.get("text") or ""),
                is_correct=correct,
                role=text(f"choices[{position}].role", raw_choice.get("role") or "").strip(),
                rationale=text(f"choices[{position}].rationale", raw_choice.get("rationale") or ""),
                match=text(f"choices[{position}].match", raw_choice.get("match") or "").strip(),
            )
        )

    raw_references = raw.get("references") or []
    if isinstance(raw_references, str):
        raw_references = raw_references.splitlines()
    if not isinstance(raw_references, list):
        problem("references", "must be a list of {title, url} objects or strings")
        raw_references = []
    references = []
    for position, raw_reference in enumerate(raw_references, start=1):
        if isinstance(raw_reference, str):
            raw_reference = text(f"references[{position}]", raw_reference)
            if not raw_reference.strip():
                continue
        try:
            references.append(reference_rules.from_data(raw_reference))
        except ValueError as exc:
            problem(f"references[{position}]", str(exc))
    question = Question(
        exam=exam,
        key=key,
        domain=domain,
        task_statement=task,
        kind=kind,
        select_count=select_count,
        stem=text("stem", raw.get("stem") or "").strip(),
        explanation=text("explanation", raw.get("explanation") or "").strip(),
        references=reference_rules.to_markdown(references),
        status=text("status", raw.get("status") or Question.Status.DRAFT).strip(),
        responses="\n".join(r for r in responses if r),
        case_study=case_study,
    )
    # The model is the one judge of a valid question (the admin asks the same methods).
    checks = [
        lambda: question.full_clean(
            exclude=unreadable | {"exam", "author"},
            validate_unique=False,
            validate_constraints=False,
        ),
        lambda: question.validate_topics(topics),
    ]
    if choices and "kind" not in unreadable and "select_count" not in unreadable:
        checks.append(lambda: question.validate_choices(choices))
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                for message in messages:
                    problem(field_name, message)
    if errors:
        return None
    return QuestionData(source, index, question, services, topics, choices, case_study)


def _case_study(exam, raw, lookups: _Lookups, text, problem, source, index) -> CaseStudy | None:
    """The case study an item names: an existing one, or the one its file defines (its title
    and scenario then replace the stored ones). Every item naming it must define it alike."""
    key = text("case_study", raw.get("case_study") or "").strip()
    if not key:
        return None
    title = text("case_study_title", raw.get("case_study_title") or "").strip()
    scenario = text("case_study_scenario", raw.get("case_study_scenario") or "").strip()
    case = lookups.case_studies.get((exam.pk, key))
    if not (title or scenario):
        if case is None:
            problem(
                "case_study",
                f"{exam.code} has no case study {key!r}; define it in the file's "
                '"case_studies" (JSON) or the case_study_title and case_study_scenario columns',
            )
        return case
    defined = lookups.case_definitions.setdefault((exam.pk, key), (title, scenario, source))
    if defined[:2] != (title, scenario):
        problem(
            "case_study",
            f"case study {key!r} is defined differently in {defined[2]}; one title and "
            "scenario per case study",
        )
        return case
    if case is None:
        case = CaseStudy(exam=exam, key=key)
        lookups.case_studies[(exam.pk, key)] = case
    case.title, case.scenario = title, scenario
    try:
        case.full_clean(exclude={"exam"}, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field_name, messages in exc.message_dict.items():
            for message in messages:
                problem(f"case_study_{field_name}", message)
    return case


MAX_DEPTH = 3  # item -> choices -> choice -> field


def _unsafe_values(raw: dict) -> list[tuple[str, str]]:
    """NUL bytes, oversized text and nesting no field has, per top-level field. Iterative, so a
    deeply nested value cannot exhaust the stack."""
    problems = {}
    stack = [(name, value, 1) for name, value in raw.items()]
    while stack:
        field_name, value, depth = stack.pop()
        field_name = str(field_name)[:40]
        if field_name in problems:
            continue
        if depth > MAX_DEPTH:
            problems[field_name] = "is nested too deeply"
        elif isinstance(value, str):
            if "\x00" in value:
                problems[field_name] = "contains a NUL character"
            elif len(value) > MAX_TEXT_CHARS:
                problems[field_name] = f"is longer than {MAX_TEXT_CHARS} characters"
        elif isinstance(value, float) and not math.isfinite(value):
            problems[field_name] = "must be a finite number"
        elif isinstance(value, dict):
            stack.extend((field_name, v, depth + 1) for v in value.values())
            stack.extend((field_name, k, depth + 1) for k in value)
        elif isinstance(value, list):
            stack.extend((field_name, v, depth + 1) for v in value)
    return sorted(problems.items())


def _as_list(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return _split_list(value)
    if not isinstance(value, list):
        return [str(value)]
    return [str(part).strip() for part in value if str(part).strip()]


def _as_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in {"true", "1", "yes", "y", "x"}:
        return True
    if lowered in {"false", "0", "no", "n", ""}:
        return False
    return None


# Writing ------------------------------------------------------------------------------------


def import_bank(
    raw_items, *, dry_run: bool = False, author=None, force: bool = False
) -> ImportReport:
    """Check every item, then (unless dry_run or any item failed) create or update by key.

    A question an instructor changed since it was imported is kept as it is unless `force`.
    """
    report = ImportReport(dry_run=dry_run)
    checked, report.errors = check_items(raw_items)
    if report.errors:
        return report
    existing = {
        (q.exam_id, q.key): q
        for q in Question.objects.filter(
            exam__in={data.exam for data in checked}, key__in=[data.key for data in checked]
        ).prefetch_related("choices", "services", "topics")
    }
    with transaction.atomic():
        if not dry_run:
            _save_case_studies({id(d.case_study): d.case_study for d in checked if d.case_study})
        for data in checked:
            question = existing.get((data.exam.pk, data.key))
            if question is None:
                report.created.append(data.key)
                if not dry_run:
                    _create(data, author)
            elif _is_unchanged(question, data):
                report.unchanged.append(data.key)
                if not dry_run:
                    # Identical to the file: from now on it counts as imported.
                    _record_import(question)
            elif question.changed_since_import and not force:
                report.kept.append(data.key)
            else:
                report.updated.append(data.key)
                if not dry_run:
                    _update(question, data)
    return report


# The fields an import writes onto a question row (the rest are its identity or history).
IMPORTED_FIELDS = (
    "domain", "task_statement", "kind", "select_count", "stem", "explanation", "references",
    "status", "responses", "case_study",
)  # fmt: skip


def _save_case_studies(cases: dict) -> None:
    for case in cases.values():
        if case.pk is None:
            case.save()
        else:
            CaseStudy.objects.filter(pk=case.pk).exclude(
                title=case.title, scenario=case.scenario
            ).update(title=case.title, scenario=case.scenario)


def _is_unchanged(question: Question, data: QuestionData) -> bool:
    data.question.pk = question.pk
    return (
        question_content_hash(data.question, data.choices)
        == question_content_hash(question, list(question.choices.all()))
        and question.status == data.question.status
        and {s.pk for s in question.services.all()} == {s.pk for s in data.services}
        and {t.pk for t in question.topics.all()} == {t.pk for t in data.topics}
    )


def _create(data: QuestionData, author) -> None:
    question = data.question
    question.pk = None
    question.author = author
    question.save()
    for choice in data.choices:
        choice.question = question
    Choice.objects.bulk_create(data.choices)
    question.services.set(data.services)
    question.topics.set(data.topics)
    question_refresh_revision(question=question)
    _record_import(question)


def _record_import(question: Question) -> None:
    if (question.imported_hash, question.imported_status) == (
        question.content_hash,
        question.status,
    ):
        return
    question.imported_hash, question.imported_status = question.content_hash, question.status
    Question.objects.filter(pk=question.pk).update(
        imported_hash=question.imported_hash, imported_status=question.imported_status
    )


def _update(question: Question, data: QuestionData) -> None:
    for name in IMPORTED_FIELDS:
        setattr(question, name, getattr(data.question, name))
    question.save()
    # Choices are updated in place by position so their ids, which attempts and option
    # statistics refer to, survive a re-import that only rewords them.
    current = list(question.choices.order_by("order", "id"))
    for position, draft in enumerate(data.choices):
        if position < len(current):
            choice = current[position]
            choice.order, choice.text = position, draft.text
            choice.is_correct, choice.rationale = draft.is_correct, draft.rationale
            choice.role, choice.match = draft.role, draft.match
            choice.save()
        else:
            draft.question, draft.order = question, position
            draft.save()
    for extra in current[len(data.choices) :]:
        extra.delete()
    question.services.set(data.services)
    question.topics.set(data.topics)
    question_refresh_revision(question=question)
    _record_import(question)


def import_paths(
    paths: list[Path], *, dry_run: bool = False, author=None, force: bool = False
) -> ImportReport:
    """Read several files as one import: all of them land, or none."""
    raw_items = []
    for path in paths:
        try:
            check_file_size(path.stat().st_size, path.name)
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BankFormatError(f"{path}: cannot be read ({exc})") from exc
        items = read_items(content, source=path.name, fmt=format_for_path(path))
        raw_items.extend((path.name, index, item) for index, item in enumerate(items, start=1))
    return import_bank(raw_items, dry_run=dry_run, author=author, force=force)
