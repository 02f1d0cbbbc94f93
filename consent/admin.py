from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consent import categories
from consent.models import ConsentRecord


class ConsentRecordAdmin(admin.ModelAdmin):
    """Read-only evidence of choices; nobody edits or adds consent by hand (registered by
    the backoffice app)."""

    list_display = ["created_at", "summary", "method", "version", "language", "receipt"]
    list_filter = ["method", "version", "language"]
    search_fields = ["receipt"]
    date_hierarchy = "created_at"
    fields = ["receipt", "created_at", "method", "summary", "version", "language"]
    readonly_fields = fields

    @admin.display(description=_("keuzes"))
    def summary(self, record: ConsentRecord) -> str:
        names = {category.key: category.name for category in categories.all_categories()}
        return ", ".join(
            f"{names.get(key, key)}: {gettext('toegestaan') if allowed else gettext('geweigerd')}"
            for key, allowed in record.choices.items()
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ConsentRecord | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ConsentRecord | None = None) -> bool:
        return False
