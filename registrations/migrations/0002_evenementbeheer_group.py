"""Formerly created the Evenementbeheer group. The staff role now lives in one table,
backoffice.roles.ROLES, applied after every migrate and by `manage.py sync_roles`; this
migration stays, empty, so that the migration graph of existing databases is unchanged."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0001_initial"),
        ("registrations", "0001_initial"),
    ]

    operations = []
