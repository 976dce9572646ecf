from django.contrib.auth.management import create_permissions
from django.db import migrations

BANK_MODELS = ["exam", "domain", "taskstatement", "service", "topic", "question", "choice"]


def create_instructors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the group
    # can be granted them in a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Instructors")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="questions", content_type__model__in=BANK_MODELS
        )
    )


def remove_instructors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Instructors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_instructors_group, remove_instructors_group)]
