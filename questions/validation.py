"""The rules a question must satisfy before it can be saved, shared by admin and import."""

from dataclasses import dataclass

MIN_SINGLE_CHOICES = 4
MIN_MULTIPLE_CHOICES = 5
MAX_CHOICES = 8


@dataclass(frozen=True)
class ChoiceDraft:
    text: str
    is_correct: bool
    rationale: str


def choice_problems(kind: str, select_count: int, choices: list[ChoiceDraft]) -> list[str]:
    """What is wrong with a question's choices, in words an author can act on."""
    problems = []
    correct = sum(1 for choice in choices if choice.is_correct)
    if kind == "single":
        if select_count != 1:
            problems.append(
                "A multiple-choice question selects exactly 1 answer: set "
                "'number to select' to 1, or make it multiple response."
            )
        if len(choices) < MIN_SINGLE_CHOICES:
            problems.append(
                f"A multiple-choice question needs at least {MIN_SINGLE_CHOICES} choices; "
                f"it has {len(choices)}."
            )
        if correct != 1:
            problems.append(
                f"A multiple-choice question needs exactly one correct choice; {correct} "
                "are marked correct."
            )
    elif kind == "multiple":
        if select_count < 2:
            problems.append(
                "A multiple-response question selects at least 2 answers: set 'number to "
                "select' to 2 or more, or make it multiple choice."
            )
        if len(choices) < MIN_MULTIPLE_CHOICES:
            problems.append(
                f"A multiple-response question needs at least {MIN_MULTIPLE_CHOICES} choices; "
                f"it has {len(choices)}."
            )
        if correct != select_count:
            problems.append(
                f"The stem asks for {select_count} answers, so exactly {select_count} choices "
                f"must be marked correct; {correct} are."
            )
        if select_count >= len(choices) and len(choices) >= MIN_MULTIPLE_CHOICES:
            problems.append("At least one choice must be wrong.")
    else:
        problems.append(f"Unknown kind {kind!r}: use 'single' or 'multiple'.")
    if len(choices) > MAX_CHOICES:
        problems.append(f"At most {MAX_CHOICES} choices; it has {len(choices)}.")
    for position, choice in enumerate(choices, start=1):
        letter = choice_letter(position - 1)
        if not choice.text.strip():
            problems.append(f"Choice {letter} has no text.")
        if not choice.rationale.strip():
            problems.append(
                f"Choice {letter} has no rationale: say why it is right, or which clue in "
                "the scenario rules it out."
            )
    texts = [" ".join(choice.text.lower().split()) for choice in choices if choice.text.strip()]
    if len(set(texts)) != len(texts):
        problems.append("Two choices have the same text.")
    return problems


def choice_letter(index: int) -> str:
    return "ABCDEFGH"[index] if 0 <= index < 8 else str(index + 1)


def normalized_stem(stem: str) -> str:
    """A stem reduced to lower-case words, so reworded whitespace still counts as duplicate."""
    return " ".join(stem.lower().split())
