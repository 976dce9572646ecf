import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Q

BATCH = 2000


def count_finished_attempts(apps, schema_editor):
    """The counts of every attempt finished before this migration, as scoring now writes them
    for each attempt it finishes (attempts/services/deadline.py: domain_results_record)."""
    Attempt = apps.get_model("attempts", "Attempt")
    AttemptQuestion = apps.get_model("attempts", "AttemptQuestion")
    AttemptDomainResult = apps.get_model("attempts", "AttemptDomainResult")
    finished = Attempt.objects.filter(status="finished").order_by("pk").values_list("pk", flat=True)
    ids = list(finished)
    for start in range(0, len(ids), BATCH):
        rows = (
            AttemptQuestion.objects.filter(attempt_id__in=ids[start : start + BATCH])
            .order_by()
            .values("attempt_id", "domain_id")
            .annotate(served=Count("pk"), right=Count("pk", filter=Q(is_correct=True)))
        )
        AttemptDomainResult.objects.bulk_create(
            AttemptDomainResult(
                attempt_id=row["attempt_id"], domain_id=row["domain_id"],
                served=row["served"], right=row["right"],
            )
            for row in rows
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("attempts", "0016_question_note"),
        ("questions", "0006_mla_kinds_case_studies"),
    ]

    operations = [
        migrations.CreateModel(
            name="AttemptDomainResult",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("served", models.PositiveSmallIntegerField()),
                ("right", models.PositiveSmallIntegerField()),
                (
                    "attempt",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="domain_results",
                        to="attempts.attempt",
                    ),
                ),
                (
                    "domain",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="questions.domain",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("attempt", "domain"),
                        name="one_domain_result_per_attempt_and_domain",
                    )
                ],
            },
        ),
        migrations.RunPython(count_finished_attempts, migrations.RunPython.noop),
    ]
