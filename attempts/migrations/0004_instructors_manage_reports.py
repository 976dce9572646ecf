from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("attempts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Instructors")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="attempts",
            content_type__model="questionreport",
            codename__in=["view_questionreport", "change_questionreport"],
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Instructors").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="attempts", content_type__model="questionreport"
            )
        )


class Migration(migrations.Migration):
    dependencies = [("attempts", "0003_drills_reviews_reports")]

    operations = [migrations.RunPython(grant, revoke)]
