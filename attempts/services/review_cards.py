"""Answers move questions through the candidate's Leitner boxes (rules: attempts/repetition.py)."""

from datetime import datetime

from attempts.models import ReviewCard
from attempts.repetition import CardState, first_state, next_state


def review_cards_record(
    *, user_id: int, results: list[tuple[int | None, bool]], now: datetime
) -> None:
    """Move each answered question through the candidate's Leitner boxes."""
    results = [(question_id, correct) for question_id, correct in results if question_id]
    cards = {
        card.question_id: card
        for card in ReviewCard.objects.filter(
            user_id=user_id, question_id__in=[question_id for question_id, _ in results]
        )
    }
    new_cards, changed = [], []
    for question_id, correct in results:
        card = cards.get(question_id)
        if card is None:
            state = first_state(correct=correct, now=now)
            if state is not None:
                new_cards.append(
                    ReviewCard(
                        user_id=user_id,
                        question_id=question_id,
                        last_answered_at=now,
                        **vars(state),
                    )
                )
            continue
        state = next_state(
            CardState(card.box, card.streak, card.lapses, card.due_at), correct=correct, now=now
        )
        card.box, card.streak, card.lapses, card.due_at = (
            state.box, state.streak, state.lapses, state.due_at,
        )  # fmt: skip
        card.last_answered_at = now
        changed.append(card)
    ReviewCard.objects.bulk_create(new_cards)
    ReviewCard.objects.bulk_update(
        changed, ["box", "streak", "lapses", "due_at", "last_answered_at"]
    )
