"""Authored text is Markdown, rendered and then sanitized (invariant 6).

markdown-it runs with raw HTML disabled, and nh3 (Ammonia) cleans its output anyway: the
sanitizer is the guarantee, whoever wrote the text and whichever path it took.
"""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_parser.enable("table")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


# Rendered texts kept per worker: the output depends on the text alone, and the exam room
# renders the same stems, choices and explanations for every candidate (parsing was a quarter
# of a question panel's render). Bounded, so a worker holds a few megabytes at most.
RENDERED_TEXTS = 4096


@lru_cache(maxsize=RENDERED_TEXTS)
def render_markdown(text: str) -> SafeString:
    """Markdown to HTML that is safe to put in a page."""
    html = _parser.render(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitized by nh3 just above


@lru_cache(maxsize=RENDERED_TEXTS)
def render_inline_markdown(text: str) -> SafeString:
    """Markdown for a one-line label (a choice): no wrapping paragraph."""
    html = render_markdown(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)  # noqa: S308 - still the sanitized output
