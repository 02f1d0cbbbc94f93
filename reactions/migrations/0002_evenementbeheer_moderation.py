"""Let the Evenementbeheer group moderate reactions and set them per event, and no more.

Moderating is viewing reactions and changing their status (the admin's approve and reject
actions need the change permission); the per-event settings are an inline on the event
page, which needs add (an event's first settings), change and view. No delete: a reaction
is rejected, not removed.
"""

from django.db import migrations

GROUP_NAME = "Evenementbeheer"
PERMISSIONS = [
    ("reactions", "view_reaction"),
    ("reactions", "change_reaction"),
    ("reactions", "view_reactionsettings"),
    ("reactions", "add_reactionsettings"),
    ("reactions", "change_reactionsettings"),
]


def _permissions(apps):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran (post_migrate); create
    # them now so that a fresh database gets a complete group in one `migrate`.
    app_config = apps.get_app_config("reactions")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in PERMISSIONS
    ]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("registrations", "0002_evenementbeheer_group"),
        ("reactions", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
