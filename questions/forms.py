from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from questions.models import Choice, Question


class QuestionAdminForm(forms.ModelForm):
    """The question's own rules live in `Question.clean` (run by the ModelForm); topics are a
    many-to-many field the model cannot see before saving, so the form hands them over."""

    class Meta:
        model = Question
        fields = [
            "exam", "key", "status", "domain", "task_statement", "services", "topics",
            "case_study", "stem", "kind", "select_count", "responses", "explanation",
            "references",
        ]  # fmt: skip
        widgets = {
            "stem": forms.Textarea(attrs={"rows": 8}),
            "explanation": forms.Textarea(attrs={"rows": 6}),
            "references": forms.Textarea(attrs={"rows": 3}),
            "responses": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        exam = cleaned.get("exam")
        if exam and cleaned.get("topics"):
            try:
                Question(exam=exam).validate_topics(cleaned["topics"])
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class ChoiceInlineFormSet(BaseInlineFormSet):
    """Checks the choices against the question's kind with the model's own rules."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        # In their `order`: an ordering question's steps are authored in the correct order.
        kept.sort(key=lambda data: data.get("order") or 0)
        choices = [
            Choice(
                text=data.get("text") or "",
                is_correct=bool(data.get("is_correct")),
                role=data.get("role") or "",
                rationale=data.get("rationale") or "",
                match=data.get("match") or "",
            )
            for data in kept
        ]
        problems = self.instance.choice_problems(choices)
        if problems:
            raise ValidationError(problems)
