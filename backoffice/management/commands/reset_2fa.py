from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Remove a staff member's authenticator (lost or new phone): at their next login "
        "they link an app anew. Run by a superuser/operator after checking who asks."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as exc:
            raise CommandError(f"no user {username!r}") from exc
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        self.stdout.write(
            f"{username}: {removed} authenticator(s) removed; the next login sets one up again."
        )
