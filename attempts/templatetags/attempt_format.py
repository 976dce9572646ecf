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


@register.simple_tag
def next_in_walk(cells, walk, position):
    """{% next_in_walk palette walk item.position as next %}: the walk's next question."""
    return selectors.next_in_walk(cells, walk, position)
