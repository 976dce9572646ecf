from django import template
from django.utils.html import format_html, format_html_join

from questions import references as reference_rules
from questions.markdown import render_inline_markdown, render_markdown
from questions.models import choice_letter

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter(name="markdown_inline")
def markdown_inline_filter(text):
    return render_inline_markdown(text)


@register.filter(name="choice_letter")
def choice_letter_filter(position):
    """{{ forloop.counter|choice_letter }}: the same letters the exam room shows."""
    return choice_letter(int(position))


@register.filter(name="reference_list")
def reference_list_filter(text):
    """A question's references as a list of links, one item per stored line."""
    items = []
    for reference in reference_rules.parse(text or ""):
        # Rows written before links were checked may hold any URL: only a safe one is a link.
        if reference.url and not reference_rules.url_problem(reference.url):
            items.append(format_html('<a href="{}">{}</a>', reference.url, reference.title))
        else:
            items.append(format_html("{}", reference.title))
    if not items:
        return ""
    return format_html(
        '<ul class="references">{}</ul>', format_html_join("", "<li>{}</li>", ((i,) for i in items))
    )
