"""A candidate bookmarks a question or writes a personal note on it."""

from attempts.models import QuestionNote

MAX_NOTE = 2000


def question_note_save(*, user, question_id: int, bookmarked: bool, text: str) -> QuestionNote:
    """Store the candidate's bookmark and note on a question (one row per candidate and
    question, whichever attempt it was seen in); an empty, unbookmarked note is removed."""
    text = text.strip()[:MAX_NOTE]
    if not bookmarked and not text:
        QuestionNote.objects.filter(user=user, question_id=question_id).delete()
        return QuestionNote(user=user, question_id=question_id)
    note, _ = QuestionNote.objects.update_or_create(
        user=user, question_id=question_id, defaults={"bookmarked": bookmarked, "text": text}
    )
    return note
