from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User


@pytest.fixture
def staff_client(client):
    """A logged-in council staff member: staff, in Evenementbeheer, not a superuser."""
    # Transactional tests flush the database, data migrations included; re-run ours
    # (it is idempotent) so the group exists whatever ran before.
    import_module("registrations.migrations.0002_evenementbeheer_group").create_group(apps, None)
    user = User.objects.create_user("medewerker", password="geheim-wachtwoord", is_staff=True)
    user.groups.add(Group.objects.get(name="Evenementbeheer"))
    client.force_login(user)
    return client
