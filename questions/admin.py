from pathlib import Path

from csp.constants import SELF
from csp.decorators import csp_replace
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.text import Truncator
from django.views.decorators.clickjacking import xframe_options_sameorigin

from questions.blueprint import weights_problem
from questions.forms import ChoiceInlineFormSet, QuestionAdminForm
from questions.importing import (
    BankFormatError,
    check_file_size,
    format_for_path,
    import_bank,
    read_items,
)
from questions.models import (
    CaseStudy,
    Choice,
    Domain,
    Exam,
    Question,
    Service,
    TaskStatement,
    Topic,
)
from questions.selectors import question_for_preview
from questions.services import question_refresh_revision, questions_set_status


class DomainWeightsFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        weights = [
            form.cleaned_data.get("weight_percent") or 0
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if weights and (problem := weights_problem(weights)):
            raise ValidationError(problem)


class DomainInline(admin.TabularInline):
    model = Domain
    formset = DomainWeightsFormSet
    extra = 0
    show_change_link = True


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title",
        "question_count",
        "duration_minutes",
        "pass_share",
        "is_active",
    ]
    list_filter = ["is_active"]
    inlines = [DomainInline]


class TaskStatementInline(admin.TabularInline):
    model = TaskStatement
    extra = 0


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["__str__", "weight_percent"]
    list_filter = ["exam"]
    list_select_related = ["exam"]
    # Weights are edited on the exam's page, where the formset checks they sum to 100.
    readonly_fields = ["exam", "weight_percent"]
    inlines = [TaskStatementInline]

    def has_add_permission(self, request):
        return False


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "exam"]
    list_filter = ["exam"]
    search_fields = ["code", "title"]


class ChoiceInline(admin.StackedInline):
    model = Choice
    formset = ChoiceInlineFormSet
    extra = 0
    min_num = 3  # ordering and matching may have 3; the model's rules say what each kind needs
    fields = [("order", "is_correct", "role"), "text", "match", "rationale"]
    formfield_overrides = {
        Choice._meta.get_field("text"): {"widget": forms.Textarea(attrs={"rows": 2})},
        Choice._meta.get_field("rationale"): {"widget": forms.Textarea(attrs={"rows": 2})},
    }


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "exam", "question_count"]
    list_filter = ["exam"]
    search_fields = ["key", "title", "scenario"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("questions"))

    @admin.display(description="Questions", ordering="n")
    def question_count(self, obj):
        return obj.n


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    inlines = [ChoiceInline]
    list_display = [
        "key", "stem_excerpt", "domain_number", "task_code", "kind_label", "status",
        "revision", "updated_at", "preview_link",
    ]  # fmt: skip
    list_display_links = ["key", "stem_excerpt"]
    list_filter = ["exam", "domain", "task_statement", "services", "kind", "case_study", "status"]
    list_select_related = ["exam", "domain", "task_statement"]
    search_fields = ["key", "stem", "explanation", "choices__text"]
    list_per_page = 50
    filter_horizontal = ["services", "topics"]
    readonly_fields = ["revision", "author", "created_at", "updated_at"]
    actions = ["publish_selected", "retire_selected"]
    fieldsets = [
        (None, {"fields": ["exam", "key", "status"]}),
        ("Blueprint", {"fields": ["domain", "task_statement", "services", "topics"]}),
        (
            "Question",
            {
                "fields": [
                    "case_study",
                    "stem",
                    ("kind", "select_count"),
                    "responses",
                    "explanation",
                    "references",
                ],
                "description": "Ordering: the choices are the steps, in the correct order "
                "(their 'order'); no correct flag, no role. Matching: the choices are the "
                "prompts, each with its 'match' among the responses (one per line).",
            },
        ),
        ("History", {"fields": ["revision", "author", "created_at", "updated_at"]}),
    ]

    @admin.display(description="Stem")
    def stem_excerpt(self, obj):
        return Truncator(" ".join(obj.stem.split())).chars(90)

    @admin.display(description="Domain", ordering="domain__number")
    def domain_number(self, obj):
        return obj.domain.number

    @admin.display(description="Task", ordering="task_statement__code")
    def task_code(self, obj):
        return obj.task_statement.code if obj.task_statement else "—"

    @admin.display(description="Kind", ordering="kind")
    def kind_label(self, obj):
        if obj.kind == Question.Kind.MULTIPLE:
            return f"choose {obj.select_count}"
        return obj.kind

    @admin.display(description="Preview")
    def preview_link(self, obj):
        url = reverse("admin:questions_question_preview", args=[obj.pk])
        return format_html('<a href="{}">Preview</a>', url)

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        question_refresh_revision(question=form.instance)

    @admin.action(description="Publish selected questions", permissions=["change"])
    def publish_selected(self, request, queryset):
        changed = questions_set_status(
            question_ids=list(queryset.values_list("pk", flat=True)),
            status=Question.Status.PUBLISHED,
        )
        self.message_user(request, f"Published {changed} question(s).", messages.SUCCESS)

    @admin.action(description="Retire selected questions", permissions=["change"])
    def retire_selected(self, request, queryset):
        changed = questions_set_status(
            question_ids=list(queryset.values_list("pk", flat=True)),
            status=Question.Status.RETIRED,
        )
        self.message_user(request, f"Retired {changed} question(s).", messages.SUCCESS)

    def get_urls(self):
        custom = [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="questions_question_preview",
            ),
            path(
                "<int:pk>/preview/frame/",
                self.admin_site.admin_view(self.preview_frame_view),
                name="questions_question_preview_frame",
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="questions_question_import",
            ),
        ]
        return custom + super().get_urls()

    def preview_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        get_object_or_404(Question, pk=pk)
        question = question_for_preview(pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Preview of {question.key}",
            "question": question,
            "choices": list(question.choices.all()),
            "show_key": request.GET.get("key") == "1",
        }
        return TemplateResponse(request, "admin/questions/question/preview.html", context)

    # The candidate's page is shown in a frame of its own, so the site's stylesheet styles the
    # question and never the admin around it. The frame may be embedded by this origin only.
    @method_decorator(xframe_options_sameorigin)
    @method_decorator(csp_replace({"frame-ancestors": [SELF]}))
    def preview_frame_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        get_object_or_404(Question, pk=pk)
        question = question_for_preview(pk)
        context = {
            "question": question,
            "choices": list(question.choices.all()),
            "show_key": request.GET.get("key") == "1",
        }
        return TemplateResponse(request, "questions/question_preview_frame.html", context)

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BankImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                fmt = format_for_path(Path(upload.name))
                # The size is known before reading: an oversized upload is never read whole.
                check_file_size(upload.size, upload.name)
                content = upload.read().decode("utf-8-sig")
                items = read_items(content, source=upload.name, fmt=fmt)
                report = import_bank(
                    [(upload.name, i, item) for i, item in enumerate(items, start=1)],
                    dry_run=form.cleaned_data["dry_run"],
                    author=request.user,
                )
            except UnicodeDecodeError:
                form.add_error("file", "The file is not UTF-8 text.")
            except BankFormatError as exc:
                form.add_error("file", str(exc))
            if report is not None:
                level = messages.SUCCESS if report.ok else messages.ERROR
                self.message_user(request, report.summary(), level)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import questions",
            "form": form,
            "report": report,
        }
        refused = bool(form.errors) or (report is not None and not report.ok)
        return TemplateResponse(
            request, "admin/questions/question/import.html", context, status=400 if refused else 200
        )


class BankImportForm(forms.Form):
    file = forms.FileField(
        help_text="A .json or .csv file in the format of docs/question-format.md."
    )
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label="Dry run",
        help_text="Check every item and show what would change, without writing anything.",
    )
