"""The Curators group: staff who keep the record, with every permission on the curated models
of both apps (declarations, signatures, signatories, groups, sources, aliases, detainees,
mentions, status changes and their history) and none on users or groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED_APPS = ["signatories", "prisoners"]
GROUP_NAME = "Curators"


def create_curators(apps, schema_editor):
    # Permissions are normally created after migrate; a fresh database needs them now.
    for label in ["contenttypes", "auth", *CURATED_APPS]:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=CURATED_APPS)
    )


def remove_curators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("signatories", "0003_curation_sources_aliases_other_names"),
        ("prisoners", "0002_status_history_sources_aliases"),
    ]

    operations = [migrations.RunPython(create_curators, remove_curators)]
