from django.core.management.base import BaseCommand

from backoffice.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Give each staff group (Evenementbeheer) exactly the permissions in backoffice.roles."

    def handle(self, *args, **options) -> None:
        changes = sync_roles()
        for name, changed in changes.items():
            self.stdout.write(f"{name}: {len(ROLES[name])} permissions, {changed} added or removed")
