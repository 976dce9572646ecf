from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from attempts import item_analysis
from attempts.models import Accommodation, ItemAnalysis, QuestionReport
from questions.models import Exam, Question
from questions.reports import bank_report


class AccommodationForm(forms.ModelForm):
    """Instructors name the candidate by username: they have no access to the user list."""

    username = forms.CharField(max_length=150)

    class Meta:
        model = Accommodation
        fields = ["username", "extra_minutes", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["username"].initial = self.instance.user.username

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(f"No candidate has the username {username!r}.")
        existing = Accommodation.objects.filter(user=user).exclude(pk=self.instance.pk)
        if existing.exists():
            raise forms.ValidationError(f"{username} already has an accommodation: edit that one.")
        self.instance.user = user
        return username


@admin.register(Accommodation)
class AccommodationAdmin(admin.ModelAdmin):
    form = AccommodationForm
    list_display = ["user", "extra_minutes", "note", "granted_by", "granted_at"]
    list_select_related = ["user", "granted_by"]
    search_fields = ["user__username", "note"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(QuestionReport)
class QuestionReportAdmin(admin.ModelAdmin):
    list_display = [
        "question_key", "kind", "excerpt", "revision_seen", "status", "created_at",
    ]  # fmt: skip
    list_display_links = ["question_key", "excerpt"]
    list_editable = ["status"]
    list_filter = ["status", "kind"]
    list_select_related = ["question"]
    search_fields = ["question_key", "text"]
    readonly_fields = [
        "question_link", "question_key", "question_revision", "current_revision", "kind",
        "text", "created_at",
    ]  # fmt: skip
    fields = readonly_fields + ["status", "reply", "instructor_note"]

    def has_add_permission(self, request):
        return False  # reports come from candidates

    @admin.display(description="Report")
    def excerpt(self, obj):
        return obj.text[:90]

    @admin.display(description="Revision seen / now")
    def revision_seen(self, obj):
        current = obj.question.revision if obj.question else "deleted"
        return f"{obj.question_revision} / {current}"

    @admin.display(description="Current revision")
    def current_revision(self, obj):
        return obj.question.revision if obj.question else "question deleted"

    @admin.display(description="Question")
    def question_link(self, obj):
        if obj.question is None:
            return "deleted"
        url = reverse("admin:questions_question_change", args=[obj.question_id])
        return format_html('<a href="{}">Edit {}</a>', url, obj.question_key)


class FlagFilter(admin.SimpleListFilter):
    title = "flag"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return list(item_analysis.FLAGS.items())

    def queryset(self, request, queryset):
        if self.value() not in item_analysis.FLAGS:
            return queryset
        return queryset.filter(pk__in=item_analysis.flagged_ids(self.value(), queryset))


class ItemAnalysisChangeList(ChangeList):
    def get_results(self, request):
        """Statistics for the page's questions only, in a fixed number of queries."""
        super().get_results(request)
        stats = item_analysis.item_stats([q.pk for q in self.result_list])
        for question in self.result_list:
            question.stats = item_analysis.current(stats, question)


@admin.register(ItemAnalysis)
class ItemAnalysisAdmin(admin.ModelAdmin):
    list_display = [
        "key", "domain", "revision", "served", "facility", "discrimination", "median_time",
        "flags",
    ]  # fmt: skip
    list_filter = ["exam", FlagFilter, "domain", "status"]
    list_select_related = ["domain", "domain__exam"]
    search_fields = ["key", "stem"]
    change_list_template = "admin/attempts/itemanalysis/change_list.html"

    def get_changelist(self, request, **kwargs):
        return ItemAnalysisChangeList

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Served")
    def served(self, obj):
        return obj.stats.served if obj.stats else 0

    @admin.display(description="Facility")
    def facility(self, obj):
        return _fixed(obj.stats and obj.stats.facility, 2)

    @admin.display(description="Discrimination")
    def discrimination(self, obj):
        return _fixed(obj.stats and obj.stats.discrimination, 0)

    @admin.display(description="Median time (s)")
    def median_time(self, obj):
        return _fixed(obj.stats and obj.stats.median_seconds, 0)

    @admin.display(description="Flags")
    def flags(self, obj):
        if not obj.stats:
            return ""
        return ", ".join(item_analysis.FLAGS[f] for f in obj.stats.flags)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A read-only page of every revision's figures, newest first."""
        question = self.get_object(request, object_id)
        if question is None or not self.has_view_permission(request, question):
            raise Http404
        stats = item_analysis.item_stats([question.pk])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Item analysis: {question.key}",
            "question": question,
            "revisions": sorted(stats.values(), key=lambda s: -s.revision),
            "flag_names": item_analysis.FLAGS,
            "min_responses": item_analysis.MIN_RESPONSES,
        }
        return TemplateResponse(request, "admin/attempts/itemanalysis/detail.html", context)

    def get_urls(self):
        health = self.admin_site.admin_view(self.bank_health_view)
        csv_view = self.admin_site.admin_view(self.csv_view)
        return [
            path("bank-health/", health, name="attempts_itemanalysis_health"),
            path("bank-health/csv/", csv_view, name="attempts_itemanalysis_csv"),
            *super().get_urls(),
        ]

    def _exam(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        code = request.GET.get("exam")
        exams = Exam.objects.order_by("code")
        exam = exams.filter(code=code).first() if code else exams.first()
        if exam is None:
            raise Http404("No exam yet.")
        return exam, exams

    def bank_health_view(self, request):
        exam, exams = self._exam(request)
        questions = list(Question.objects.for_exam(exam).order_by("key"))
        stats, computed_at = item_analysis.exam_stats(
            exam, now=timezone.now(), fresh="fresh" in request.GET
        )
        flagged = [(q, s) for q in questions if (s := item_analysis.current(stats, q)) and s.flags]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Bank health: {exam.code}",
            "exam": exam,
            "exams": exams,
            "report": bank_report(exam),
            "flagged": flagged,
            "flag_names": item_analysis.FLAGS,
            "computed_at": computed_at,
            "fresh": "fresh" in request.GET,
        }
        return TemplateResponse(request, "admin/attempts/itemanalysis/health.html", context)

    def csv_view(self, request):
        exam, _ = self._exam(request)
        questions = {q.pk: q for q in Question.objects.for_exam(exam)}
        stats, _ = item_analysis.exam_stats(exam, now=timezone.now(), fresh="fresh" in request.GET)
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{exam.code}-items.csv"'
        item_analysis.write_csv(response, questions, stats)
        return response


def _fixed(value, places):
    return "" if value is None else f"{value:.{places}f}"
