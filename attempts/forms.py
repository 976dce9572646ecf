from django import forms

NAVIGATION = {"stay", "next", "prev", "review", "finish"}


class AnswerForm(forms.Form):
    """One question's state as the exam room posts it (HTMX or plain form)."""

    choice = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[])
    struck = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[])
    flagged = forms.BooleanField(required=False)
    seq = forms.IntegerField(required=False, min_value=0)
    go = forms.CharField(required=False)

    def __init__(self, *args, choice_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        options = [(n, n) for n in range(1, choice_count + 1)]
        self.fields["choice"].choices = options
        self.fields["struck"].choices = options

    def clean_go(self):
        go = self.cleaned_data.get("go") or "stay"
        return go if go in NAVIGATION else "stay"


class StartMockForm(forms.Form):
    accommodation = forms.BooleanField(
        required=False,
        label="Add the extra-time accommodation",
    )
