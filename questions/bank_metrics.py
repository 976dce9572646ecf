"""How hard and how fair the bank reads: the item-writing figures an author is held to.

Pure functions over plain values (no database), so the same rules measure the shipped JSON files
while they are being written and the published bank in `bank_report`.

An option's length is its character count: that is what a candidate's eye compares.
"""

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# The qualifiers the real exams use to make several working answers compete.
QUALIFIER_RE = re.compile(
    r"\b(MOST|LEAST|FEWEST|FASTEST|LOWEST|HIGHEST|BEST|SMALLEST|QUICKEST|LARGEST)\b"
)

# Targets from the bank issue; `bank_report` flags any figure outside them.
KEY_LONGEST_SHARE = (0.20, 0.30)
KEY_SECOND_LONGEST_MAX = 0.35
MEDIAN_STEM_WORDS_MIN = 70
MEDIAN_OPTION_WORDS_MIN = 15
QUALIFIER_SHARE_MIN = 0.50
CLOSE_CALL_SHARE_MIN = 0.60


@dataclass(frozen=True)
class ItemShape:
    """What the figures need of one question."""

    key: str
    group: str  # the domain number, to measure every domain on its own
    stem: str
    kind: str  # "single" or "multiple"
    options: Sequence[tuple[str, bool, str]]  # (text, is_correct, role)


def word_count(text: str) -> int:
    return len(text.split())


def has_qualifier(stem: str) -> bool:
    return bool(QUALIFIER_RE.search(stem))


def key_length_rank(options: Sequence[tuple[str, bool, str]]) -> str:
    """Where the single key sits by length: "longest", "second" or "other".

    "longest" means strictly longer than every other option; a key tied for first is "other",
    because a tie gives the eye nothing to pick.
    """
    lengths = [len(text) for text, _, _ in options]
    key_index = next(i for i, (_, correct, _) in enumerate(options) if correct)
    key_length = lengths[key_index]
    longer = sum(1 for length in lengths if length > key_length)
    ties = sum(1 for length in lengths if length == key_length) - 1
    if longer == 0 and ties == 0:
        return "longest"
    if longer == 1:
        return "second"
    return "other"


def _share(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 3) if denominator else 0.0


def figures(items: Iterable[ItemShape]) -> dict:
    """The measured figures for a set of questions (the whole bank, or one domain)."""
    items = list(items)
    singles = [item for item in items if item.kind == "single"]
    ranks = [key_length_rank(item.options) for item in singles]
    stems = [word_count(item.stem) for item in items]
    options = [word_count(text) for item in items for text, _, _ in item.options]
    return {
        "questions": len(items),
        "single_answer": len(singles),
        "key_longest_share": _share(ranks.count("longest"), len(singles)),
        "key_second_longest_share": _share(ranks.count("second"), len(singles)),
        "median_stem_words": statistics.median(stems) if stems else 0,
        "median_option_words": statistics.median(options) if options else 0,
        "qualifier_share": _share(sum(has_qualifier(item.stem) for item in items), len(items)),
        "close_call_share": _share(
            sum(any(role == "close_call" for _, _, role in item.options) for item in singles),
            len(singles),
        ),
    }


def figure_problems(measured: dict, *, scope: str) -> list[str]:
    """What an author must change for `measured` to meet the item-writing targets."""
    problems = []
    if not measured["questions"]:
        return problems
    low, high = KEY_LONGEST_SHARE
    if measured["single_answer"] and not low <= measured["key_longest_share"] <= high:
        problems.append(
            f"{scope}: the key is the strictly longest option in "
            f"{measured['key_longest_share']:.0%} of single-answer questions "
            f"(keep it between {low:.0%} and {high:.0%})."
        )
    if measured["single_answer"] and measured["key_second_longest_share"] > KEY_SECOND_LONGEST_MAX:
        problems.append(
            f"{scope}: the key is the second-longest option in "
            f"{measured['key_second_longest_share']:.0%} of single-answer questions "
            f"(at most {KEY_SECOND_LONGEST_MAX:.0%})."
        )
    if measured["median_stem_words"] < MEDIAN_STEM_WORDS_MIN:
        problems.append(
            f"{scope}: the median stem has {measured['median_stem_words']} words "
            f"(at least {MEDIAN_STEM_WORDS_MIN})."
        )
    if measured["median_option_words"] < MEDIAN_OPTION_WORDS_MIN:
        problems.append(
            f"{scope}: the median option has {measured['median_option_words']} words "
            f"(at least {MEDIAN_OPTION_WORDS_MIN})."
        )
    if measured["qualifier_share"] < QUALIFIER_SHARE_MIN:
        problems.append(
            f"{scope}: {measured['qualifier_share']:.0%} of stems carry a qualifier such as "
            f"MOST cost-effective (at least {QUALIFIER_SHARE_MIN:.0%})."
        )
    if measured["single_answer"] and measured["close_call_share"] < CLOSE_CALL_SHARE_MIN:
        problems.append(
            f"{scope}: {measured['close_call_share']:.0%} of single-answer questions have a "
            f"close-call option (at least {CLOSE_CALL_SHARE_MIN:.0%})."
        )
    return problems


def measure(items: Iterable[ItemShape]) -> tuple[dict, dict[str, dict], list[str]]:
    """Figures overall and per group (domain), with every target missed in either."""
    items = list(items)
    overall = figures(items)
    by_group: dict[str, dict] = {}
    for group in sorted({item.group for item in items}):
        by_group[group] = figures(item for item in items if item.group == group)
    problems = figure_problems(overall, scope="Bank")
    for group, measured in by_group.items():
        problems += figure_problems(measured, scope=f"Domain {group}")
    return overall, by_group, problems
