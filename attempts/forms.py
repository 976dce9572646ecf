from django import forms

from attempts.drills import LENGTHS
from attempts.models import QuestionReport
from attempts.selectors import WALKS
from attempts.services.saving import Go, Submission
from questions.models import MAX_CHOICES, MAX_RESPONSES

# Ordering and matching post one select per step or prompt: place_<position> = a place
# (1..steps) or a response number (1..responses); empty means not placed yet.
PLACE_FIELDS = [f"place_{n}" for n in range(1, MAX_CHOICES + 1)]

# Version numbers are a count of saves: anything outside this range is not one of ours.
MAX_VERSION = 2**31 - 1


# Declared once, not built per request: a save is the room's hottest path, and building eight
# choice fields (with their normalised choices) on every form cost more than the save itself.
_PlaceFields = type(
    "_PlaceFields",
    (forms.Form,),
    {
        name: forms.IntegerField(min_value=1, max_value=MAX_RESPONSES, required=False)
        for name in PLACE_FIELDS
    },
)


class AnswerForm(_PlaceFields):
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
    walk = forms.ChoiceField(choices=[("", "")] + [(w, w) for w in WALKS], required=False)

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
            walk=data["walk"],
            placements=frozenset(
                (position, data[name])
                for position, name in enumerate(PLACE_FIELDS, start=1)
                if data.get(name) is not None
            ),
        )


class _SharedFields(dict):
    """Form fields every instance shares instead of deep-copying them, as Django does so that
    one instance may change its own fields. AnswerForm never does: its fields hold no
    per-request state (no dynamic choices, labels or widgets), so copying its fourteen fields
    and their choices on the room's hottest path was pure overhead."""

    def __deepcopy__(self, memo):
        return dict(self)


AnswerForm.base_fields = _SharedFields(AnswerForm.base_fields)


class StartMockForm(forms.Form):
    accommodation = forms.BooleanField(required=False, label="Add the extra-time accommodation")


# The drill page offers one form per scope, so the scope a candidate fills in is the one that
# starts (a shared form once started "Weak spots" when a dropdown was picked without its radio).
DRILL_SCOPES = {
    "weak": "My weak spots and missed questions",
    "domain": "A domain",
    "task": "A task statement",
    "service": "An AWS service",
    "bookmarked": "My bookmarked questions",
}


class DrillForm(forms.Form):
    """What to drill: exactly one of a domain, a task statement, a service, or the weak spots."""

    scope = forms.ChoiceField(choices=list(DRILL_SCOPES.items()), widget=forms.HiddenInput)
    domain = forms.TypedChoiceField(coerce=int, required=False, choices=[], label="Domain")
    task = forms.TypedChoiceField(coerce=int, required=False, choices=[], label="Task statement")
    service = forms.TypedChoiceField(coerce=int, required=False, choices=[], label="AWS service")
    length = forms.ChoiceField(
        choices=[(str(n), f"{n} questions") for n in LENGTHS] + [("all", "All remaining")],
        initial="10",
    )
    timed = forms.BooleanField(required=False)

    def __init__(self, *args, scope="weak", domains, tasks, services, pace_label="", **kwargs):
        kwargs.setdefault("auto_id", f"id_{scope}_%s")
        super().__init__(*args, **kwargs)
        self.scope_name = scope
        self.title = DRILL_SCOPES[scope]
        self.fields["scope"].initial = scope
        self.fields["timed"].label = f"Timed at the real exam's pace ({pace_label} per question)"
        if scope == "weak":
            # Weak spots have no end of their own ("all remaining" of what?): a length only.
            self.fields["length"].choices = self.fields["length"].choices[:-1]
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

    @property
    def target(self):
        """The select of this form's scope (None for weak spots and bookmarks)."""
        return self[self.scope_name] if self.scope_name in self.objects else None

    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope")
        if scope in ("domain", "task", "service") and not cleaned.get(scope):
            names = {"domain": "domain", "task": "task statement", "service": "AWS service"}
            self.add_error(scope, f"Choose the {names[scope]} to drill.")
        return cleaned

    def selected(self):
        scope = self.cleaned_data["scope"]
        chosen = self.objects[scope][self.cleaned_data[scope]] if scope in self.objects else None
        length = self.cleaned_data["length"]
        return scope, chosen, None if length == "all" else int(length)


class NoteForm(forms.Form):
    bookmarked = forms.BooleanField(required=False, label="Bookmark this question")
    text = forms.CharField(
        required=False,
        max_length=2000,
        label="My note",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "What to remember next time"}),
    )


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
