"""Workflows that write to the bank."""

import hashlib
import json

from django.db import transaction

from questions.models import Choice, Question


def question_content_hash(question: Question, choices: list[Choice]) -> str:
    """A fingerprint of everything a candidate sees or is scored on."""
    content = {
        "domain": question.domain_id,
        "task": question.task_statement_id,
        "stem": question.stem,
        "kind": question.kind,
        "select": question.select_count,
        "explanation": question.explanation,
        "references": question.references,
        # A role is appended only when set, so questions without roles keep the fingerprint they
        # had before roles existed and are not bumped to a new revision by the upgrade.
        "choices": [
            [c.order, c.text, c.is_correct, c.rationale]
            + ([c.role] if c.role else [])
            + ([c.match] if c.match else [])
            for c in choices
        ],
    }
    # Added only when set, like the role: older questions keep their fingerprints.
    if question.responses:
        content["responses"] = question.responses
    if question.case_study_id:
        content["case_study"] = question.case_study_id
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def question_refresh_revision(*, question: Question) -> Question:
    """Bump the revision when the saved content differs from the last fingerprint."""
    choices = list(question.choices.order_by("order", "id"))
    fingerprint = question_content_hash(question, choices)
    if fingerprint == question.content_hash:
        return question
    if question.content_hash:
        question.revision += 1
    question.content_hash = fingerprint
    Question.objects.filter(pk=question.pk).update(
        revision=question.revision, content_hash=fingerprint
    )
    return question


@transaction.atomic
def questions_set_status(*, question_ids: list[int], status: str) -> int:
    """Publish or retire questions; returns how many changed status."""
    if status not in Question.Status.values:
        raise ValueError(f"unknown status {status!r}")
    return Question.objects.filter(pk__in=question_ids).exclude(status=status).update(status=status)
