from django import template

from questions.markdown import render_inline_markdown, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter(name="markdown_inline")
def markdown_inline_filter(text):
    return render_inline_markdown(text)
