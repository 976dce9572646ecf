from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from questions.models import Question
from questions.validation import ChoiceDraft, choice_problems


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "exam", "key", "status", "domain", "task_statement", "services", "topics",
            "stem", "kind", "select_count", "explanation", "references",
        ]  # fmt: skip
        widgets = {
            "stem": forms.Textarea(attrs={"rows": 8}),
            "explanation": forms.Textarea(attrs={"rows": 6}),
            "references": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        exam = cleaned.get("exam")
        domain = cleaned.get("domain")
        task = cleaned.get("task_statement")
        if exam and domain and domain.exam_id != exam.pk:
            self.add_error(
                "domain", f"Domain {domain.number} belongs to {domain.exam.code}, not {exam.code}."
            )
        if domain and task and task.domain_id != domain.pk:
            self.add_error(
                "task_statement",
                f"Task statement {task.code} belongs to domain {task.domain.number}, "
                f"not domain {domain.number}.",
            )
        kind = cleaned.get("kind")
        select_count = cleaned.get("select_count")
        if kind == Question.Kind.SINGLE and select_count not in (None, 1):
            self.add_error("select_count", "A multiple-choice question selects exactly 1 answer.")
        if kind == Question.Kind.MULTIPLE and select_count is not None and select_count < 2:
            self.add_error("select_count", "A multiple-response question selects 2 or more.")
        if exam:
            wrong = [t.code for t in cleaned.get("topics") or [] if t.exam_id != exam.pk]
            if wrong:
                self.add_error("topics", f"Topics not in {exam.code}: {', '.join(wrong)}.")
        return cleaned


class ChoiceInlineFormSet(BaseInlineFormSet):
    """Checks the choices against the question's kind, using the same rules as the importer."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        drafts = []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            drafts.append(
                ChoiceDraft(
                    text=form.cleaned_data.get("text") or "",
                    is_correct=bool(form.cleaned_data.get("is_correct")),
                    rationale=form.cleaned_data.get("rationale") or "",
                )
            )
        question = self.instance
        problems = choice_problems(question.kind, question.select_count or 0, drafts)
        if problems:
            raise ValidationError(problems)
