"""Invariant 6: authored text is Markdown, rendered and sanitized, on every rendering path."""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.urls import reverse

from questions.markdown import ALLOWED_TAGS, render_inline_markdown, render_markdown
from tests.factories import QuestionFactory

XSS_CORPUS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://example.com"></iframe>',
    '<div style="background:url(javascript:alert(1))" onclick="alert(1)">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[x](vbscript:msgbox(1))",
    '<details open ontoggle="alert(1)">',
    "<<script>script>alert(1)<</script>/script>",
]
SAFE_TAGS = ALLOWED_TAGS | {"article", "div", "fieldset", "legend", "label", "input", "span",
                           "section"}  # fmt: skip


DANGEROUS_TAGS = {"script", "iframe", "svg", "img", "object", "embed", "math", "style", "mglyph",
                  "base", "link", "meta"}  # fmt: skip


class _Auditor(HTMLParser):
    """Collects every tag and attribute that would be live in a browser.

    A fragment of authored text may only contain the sanitizer's tags; a whole page (our own
    markup around authored text) must contain no dangerous tag.
    """

    def __init__(self, whole_page=False):
        super().__init__()
        self.whole_page = whole_page
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if (tag in DANGEROUS_TAGS) if self.whole_page else (tag not in SAFE_TAGS):
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "src", "srcdoc", "formaction"}:
                self.problems.append(f"attribute {name}")
            if name in {"href", "action"} and value:
                scheme = value.split(":", 1)[0].lower().strip() if ":" in value else ""
                if scheme not in {"", "http", "https", "mailto"}:
                    self.problems.append(f"{name} with scheme {scheme}")


def assert_sanitized(html: str, *, whole_page=False):
    auditor = _Auditor(whole_page=whole_page)
    auditor.feed(html)
    assert not auditor.problems, f"{auditor.problems} survived in {html!r}"


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_invariant_6_markdown_rendering_strips_every_payload(payload):
    assert_sanitized(render_markdown(payload))
    assert_sanitized(render_inline_markdown(payload))


def test_markdown_keeps_the_formatting_authors_use():
    html = render_markdown(
        "Use **Pipe mode** with `RecordIO`.\n\n- one\n- two\n\n[docs](https://docs.aws.amazon.com/)"
    )
    assert "<strong>Pipe mode</strong>" in html
    assert "<code>RecordIO</code>" in html
    assert "<li>one</li>" in html
    assert 'href="https://docs.aws.amazon.com/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_inline_markdown_drops_the_wrapping_paragraph_for_choice_labels():
    assert render_inline_markdown("Use *Firehose*") == "Use <em>Firehose</em>"


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_template_filters_sanitize(payload):
    rendered = Template("{% load markdown %}{{ text|markdown }}{{ text|markdown_inline }}").render(
        Context({"text": payload})
    )
    assert_sanitized(rendered)


@pytest.mark.django_db
def test_invariant_6_admin_preview_sanitizes_every_authored_field(instructor_client):
    payload = " ".join(XSS_CORPUS)
    question = QuestionFactory(stem=payload, explanation=payload, references=payload)
    question.choices.update(text=payload, rationale=payload)
    response = instructor_client.get(
        reverse("admin:questions_question_preview_frame", args=[question.pk]) + "?key=1"
    )
    assert response.status_code == 200
    body = response.content.decode()
    start = body.index('<article class="question-card">')
    assert_sanitized(body[start : body.index("</article>", start)])


@pytest.mark.django_db
def test_exam_notes_on_the_home_page_are_sanitized(client):
    question = QuestionFactory()
    question.exam.notes = " ".join(XSS_CORPUS)
    question.exam.save()
    body = client.get(reverse("home")).content.decode()
    notes = body[body.index('<div class="notes">') :]
    assert_sanitized(notes[: notes.index("</div>")])


def test_a_text_rendered_again_is_served_from_the_cache_with_the_same_sanitized_html():
    """The room renders the same stems for every candidate: parsed once per worker, and a
    payload is as clean the second time as the first."""
    payload = XSS_CORPUS[1] + " unique-to-this-test"
    first = render_markdown(payload)
    hits = render_markdown.cache_info().hits
    assert render_markdown(payload) is first
    assert render_markdown.cache_info().hits == hits + 1
    assert "<img" not in first  # shown as text, never as an element
