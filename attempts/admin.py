from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import format_html

from attempts.models import Accommodation, QuestionReport


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
    fields = readonly_fields + ["status", "instructor_note"]

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
