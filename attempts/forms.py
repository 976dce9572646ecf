from django import forms

from attempts.drills import LENGTHS
from attempts.models import QuestionReport
from attempts.services.saving import Go, Submission
from questions.models import MAX_CHOICES, MAX_RESPONSES

# Ordering and matching post one select per step or prompt: place_<position> = a place
# (1..steps) or a response number (1..responses); empty means not placed yet.
PLACE_FIELDS = [f"place_{n}" for n in range(1, MAX_CHOICES + 1)]

# Version numbers are a count of saves: anything outside this range is not one of ours.
MAX_VERSION = 2**31 - 1


class AnswerForm(forms.Form):
    """One question's state as the exam room posts it (htmx or plain form)."""

    choice = forms.TypedMultipleChoiceField(
        coerce=int, required=False, choices=[(n, n) for n in range(1, MAX_CHOICES + 1)]
    )
    struck = forms.TypedMultipleChoiceField(
        coerce=int, required=False, choices=[(n, n) for n in range(1, MAX_CHOICES + 1)]
    )
    flagged = forms.BooleanField(required=False)
    version = forms.IntegerField(min_value=0, max_value=MAX_VERSION)
    go = forms.TypedChoiceField(
        choices=[(go.value, go.value) for go in Go], coerce=Go, required=False, empty_value=Go.STAY
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PLACE_FIELDS:
            self.fields[name] = forms.TypedChoiceField(
                coerce=int,
                required=False,
                empty_value=None,
                choices=[("", "")] + [(n, n) for n in range(1, MAX_RESPONSES + 1)],
            )

    def submission(self) -> Submission:
        # The room's script sends go=stay with every save a change triggers, so only a button
        # press moves on (htmx would otherwise send the last button clicked in the form).
        data = self.cleaned_data
        return Submission(
            selected=frozenset(data["choice"]),
            struck=frozenset(data["struck"]),
            flagged=data["flagged"],
            version=data["version"],
            go=data["go"],
            placements=frozenset(
                (position, data[name])
                for position, name in enumerate(PLACE_FIELDS, start=1)
                if data.get(name) is not None
            ),
        )


class StartMockForm(forms.Form):
    accommodation = forms.BooleanField(required=False, label="Add the extra-time accommodation")


class DrillForm(forms.Form):
    """What to drill: exactly one of a domain, a task statement, a service, or the weak spots."""

    scope = forms.ChoiceField(
        choices=[
            ("weak", "My weak spots and missed questions"),
            ("domain", "A domain"),
            ("task", "A task statement"),
            ("service", "An AWS service"),
        ],
        initial="weak",
        widget=forms.RadioSelect,
    )
    domain = forms.TypedChoiceField(coerce=int, required=False, choices=[])
    task = forms.TypedChoiceField(coerce=int, required=False, choices=[], label="Task statement")
    service = forms.TypedChoiceField(coerce=int, required=False, choices=[], label="AWS service")
    length = forms.ChoiceField(
        choices=[(str(n), f"{n} questions") for n in LENGTHS] + [("all", "All remaining")],
        initial="10",
    )
    timed = forms.BooleanField(
        required=False, label="Timed at the real exam's pace (about 2 min 46 s per question)"
    )

    def __init__(self, *args, domains, tasks, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", "Choose a domain")] + [
            (d.pk, f"{d.number}. {d.title}") for d in domains
        ]
        self.fields["task"].choices = [("", "Choose a task statement")] + [
            (t.pk, f"{t.code} {t.text}") for t in tasks
        ]
        self.fields["service"].choices = [("", "Choose a service")] + [
            (s.pk, s.name) for s in services
        ]
        self.objects = {
            "domain": {d.pk: d for d in domains},
            "task": {t.pk: t for t in tasks},
            "service": {s.pk: s for s in services},
        }

    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope")
        if scope in ("domain", "task", "service") and not cleaned.get(scope):
            names = {"domain": "domain", "task": "task statement", "service": "AWS service"}
            self.add_error(scope, f"Choose the {names[scope]} to drill.")
        if scope == "weak" and cleaned.get("length") == "all":
            self.add_error("length", "Weak spots drills have a length: choose 10, 20 or 30.")
        return cleaned

    def selected(self):
        scope = self.cleaned_data["scope"]
        chosen = self.objects[scope][self.cleaned_data[scope]] if scope != "weak" else None
        length = self.cleaned_data["length"]
        return scope, chosen, None if length == "all" else int(length)


class ReportForm(forms.ModelForm):
    class Meta:
        model = QuestionReport
        fields = ["kind", "text"]
        labels = {"kind": "What is wrong?", "text": "Details"}
        widgets = {
            "text": forms.Textarea(
                attrs={"rows": 3, "placeholder": "Which choice, which fact, what you expected"}
            )
        }
