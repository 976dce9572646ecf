"""The item-writing targets every shipped bank is held to (the bank issues' figures)."""

from questions import bank_metrics


def assert_meets_item_writing_targets(measured: dict) -> None:
    low, high = bank_metrics.KEY_LONGEST_SHARE
    assert low <= measured["key_longest_share"] <= high
    assert measured["key_second_longest_share"] <= bank_metrics.KEY_SECOND_LONGEST_MAX
    assert measured["median_stem_words"] >= bank_metrics.MEDIAN_STEM_WORDS_MIN
    assert measured["median_option_words"] >= bank_metrics.MEDIAN_OPTION_WORDS_MIN
    assert measured["qualifier_share"] >= bank_metrics.QUALIFIER_SHARE_MIN
    assert measured["close_call_share"] >= bank_metrics.CLOSE_CALL_SHARE_MIN
