"""How a new attempt's snapshot is written: INSERT ... SELECT statements that copy the chosen
questions and their choices inside the database (invariant 4).

Python decides what goes where (`starting.attempt_snapshot_questions`: the order, the shuffles,
the keys of ordering and matching) and sends only that: ids, positions and a few computed
columns. Stems, explanations, references, choice texts and rationales are read and written by
the database, never carried to Python and back; a mock copies 65 questions and about 300
choices in three statements whatever their length.
"""

import json
from dataclasses import dataclass

from django.db import connection

from attempts.models import Attempt, AttemptChoice, AttemptQuestion
from questions.models import CaseStudy, Choice, Domain, Question, TaskStatement

# Rows per statement: at most six parameters each, far below SQLite's limit on parameters
# (32,766) and PostgreSQL's (65,535).
BATCH = 1000


@dataclass(frozen=True)
class ServedQuestion:
    """What Python decided for one question: where it goes and the columns it computed."""

    question_id: int
    position: int
    select_count: int
    responses: list[str]  # matching: the responses as shuffled for this attempt
    service_slugs: str
    service_names: list[list[str]]


def quoted_name(model, field: str | None = None) -> str:
    """A table's (or one of its columns') quoted name, from the model's metadata, so that SQL
    written by hand follows a renamed field or table."""
    meta = model._meta
    return connection.ops.quote_name(meta.get_field(field).column if field else meta.db_table)


def _json_param() -> str:
    # PostgreSQL's JSON columns take text only with a cast; SQLite stores JSON as text.
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


def _batches(rows):
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def copy_questions(attempt: Attempt, served: list[ServedQuestion]) -> None:
    """The attempt's questions, each with the names of its domain, task statement and case
    study as they read now."""
    item, question = AttemptQuestion, Question
    copied = ["question_key", "question_revision", "domain", "task_statement", "stem", "kind"]
    copied += ["explanation", "references"]
    source = ["key", "revision", "domain", "task_statement", "stem", "kind", "explanation"]
    source += ["references"]
    columns = [
        "attempt", "position", "question", *copied, "domain_number", "domain_title",
        "task_code", "task_text", "case_key", "case_title", "case_scenario", "select_count",
        "responses", "service_slugs", "service_names", "flagged", "selected_count", "version",
        "seconds_spent",
    ]  # fmt: skip
    reads = [
        "%s", "served.position", f"q.{quoted_name(question, 'id')}",
        *(f"q.{quoted_name(question, field)}" for field in source),
        f"d.{quoted_name(Domain, 'number')}", f"d.{quoted_name(Domain, 'title')}",
        f"COALESCE(t.{quoted_name(TaskStatement, 'code')}, '')",
        f"COALESCE(t.{quoted_name(TaskStatement, 'text')}, '')",
        f"COALESCE(c.{quoted_name(CaseStudy, 'key')}, '')",
        f"COALESCE(c.{quoted_name(CaseStudy, 'title')}, '')",
        f"COALESCE(c.{quoted_name(CaseStudy, 'scenario')}, '')",
        "served.select_count", "served.responses", "served.service_slugs",
        "served.service_names", "%s", "0", "0", "0",
    ]  # fmt: skip
    row = (
        "(CAST(%s AS integer), CAST(%s AS integer), CAST(%s AS integer), "
        f"{_json_param()}, %s, {_json_param()})"
    )
    for batch in _batches(served):
        sql = (
            "WITH served (question_id, position, select_count, responses, service_slugs, "
            f"service_names) AS (VALUES {', '.join([row] * len(batch))}) "
            f"INSERT INTO {quoted_name(item)} ({', '.join(quoted_name(item, c) for c in columns)}) "
            f"SELECT {', '.join(reads)} FROM served "
            f"JOIN {quoted_name(question)} q "
            f"ON q.{quoted_name(question, 'id')} = served.question_id "
            f"JOIN {quoted_name(Domain)} d "
            f"ON d.{quoted_name(Domain, 'id')} = q.{quoted_name(question, 'domain')} "
            f"LEFT JOIN {quoted_name(TaskStatement)} t "
            f"ON t.{quoted_name(TaskStatement, 'id')} = "
            f"q.{quoted_name(question, 'task_statement')} "
            f"LEFT JOIN {quoted_name(CaseStudy)} c "
            f"ON c.{quoted_name(CaseStudy, 'id')} = q.{quoted_name(question, 'case_study')}"
        )
        params = [
            value
            for one in batch
            for value in (
                one.question_id, one.position, one.select_count, json.dumps(one.responses),
                one.service_slugs, json.dumps(one.service_names),
            )
        ]  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, attempt.pk, False])  # in the statement's order


def copy_choices(attempt: Attempt, placed: list[tuple[int, int, int, int | None]]) -> None:
    """Each authored choice, given as (choice id, its question's position, its shuffled
    position, its key), copied to that question of the attempt with its text, rationale,
    correctness and role."""
    copied = ("text", "is_correct", "role", "rationale")
    columns = ("item", "position", "choice", *copied, "selected", "struck", "key")
    reads = ", ".join(f"authored.{quoted_name(Choice, field)}" for field in copied)
    row = "(CAST(%s AS integer), CAST(%s AS integer), CAST(%s AS integer), CAST(%s AS integer))"
    for batch in _batches(placed):
        sql = (
            f"WITH placed (choice_id, item_position, place, answer_key) AS "
            f"(VALUES {', '.join([row] * len(batch))}) "
            f"INSERT INTO {quoted_name(AttemptChoice)} "
            f"({', '.join(quoted_name(AttemptChoice, c) for c in columns)}) "
            f"SELECT item.{quoted_name(AttemptQuestion, 'id')}, placed.place, "
            f"authored.{quoted_name(Choice, 'id')}, {reads}, %s, %s, placed.answer_key "
            f"FROM placed JOIN {quoted_name(Choice)} authored "
            f"ON authored.{quoted_name(Choice, 'id')} = placed.choice_id "
            f"JOIN {quoted_name(AttemptQuestion)} item "
            f"ON item.{quoted_name(AttemptQuestion, 'attempt')} = %s "
            f"AND item.{quoted_name(AttemptQuestion, 'position')} = placed.item_position"
        )
        params = [value for choice in batch for value in choice]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, False, False, attempt.pk])


def copy_service_links(attempt_ids: list[int]) -> None:
    """Each question of these attempts linked to its question's services (drills by service
    and the progress page read them): one statement for one attempt or a batch of them."""
    links = AttemptQuestion.services.through
    authored = Question.services.through
    attempts = ", ".join(["%s"] * len(attempt_ids))
    sql = (
        f"INSERT INTO {quoted_name(links)} "
        f"({quoted_name(links, 'attemptquestion')}, {quoted_name(links, 'service')}) "
        f"SELECT item.{quoted_name(AttemptQuestion, 'id')}, "
        f"authored.{quoted_name(authored, 'service')} "
        f"FROM {quoted_name(AttemptQuestion)} item JOIN {quoted_name(authored)} authored "
        f"ON authored.{quoted_name(authored, 'question')} = "
        f"item.{quoted_name(AttemptQuestion, 'question')} "
        f"WHERE item.{quoted_name(AttemptQuestion, 'attempt')} IN ({attempts})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, attempt_ids)
