from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BackofficeConfig(AppConfig):
    """Assembles the Django admin and the staff role from what the other apps export.

    Last in ``INSTALLED_APPS``: it may import every app, and no app imports it.
    """

    name = "backoffice"
    verbose_name = "Bijeen backoffice"

    def ready(self) -> None:
        # The staff session's clocks start at login (a user_logged_in receiver).
        from backoffice import roles, twofactor  # noqa: F401

        # After every `migrate` (and every test database flush), once the permissions of
        # all apps exist: this app is last, so its post_migrate comes after theirs.
        post_migrate.connect(roles.sync_after_migrate, sender=self, dispatch_uid="sync_roles")
