from django import template

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
