from datetime import timedelta

from django import template

from attempts import selectors
from attempts.selectors import DecisionSteps

register = template.Library()


@register.filter
def duration(value) -> str:
    """A timedelta or a number of seconds as "2 h 05 min", "14 min 05 s" or "42 s"."""
    if value is None or value == "":
        return "—"
    seconds = int(value.total_seconds() if isinstance(value, timedelta) else value)
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


@register.filter
def decision_steps(choices) -> DecisionSteps:
    """{% with steps=choices|decision_steps %}: wrong options grouped "rule out" / "decide"."""
    return DecisionSteps.of(choices)


@register.simple_tag(takes_context=True)
def note_form(context, item):
    """The bookmark-and-note form of the question this item copied, filled from the
    candidate's note; None when the question no longer exists."""
    from attempts.forms import NoteForm

    note = selectors.note_for(context["request"].user, item)
    if item.question_id is None:
        return None
    initial = {"bookmarked": note.bookmarked, "text": note.text} if note else {}
    return NoteForm(initial=initial, auto_id=f"note-{item.position}-%s")
