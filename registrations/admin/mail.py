"""Sending a failed mail again, from the admin's start page ("Opnieuw versturen")."""

from __future__ import annotations

import logging
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _

from registrations import services, tasks
from registrations.models import Registration

logger = logging.getLogger(__name__)


class MailRetryMixin:
    """For the registration admin: POST to send a failed mail again (the button is on the
    start page, ``registrations_admin.mail_overview``)."""

    def get_urls(self):
        own = [
            path(
                "e-mail/<uuid:task_id>/opnieuw/",
                self.admin_site.admin_view(self.retry_mail_view),
                name="registrations_registration_mail_retry",
            )
        ]
        return own + super().get_urls()

    def retry_mail_view(self, request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
        from django_tasks_db.models import DBTaskResult  # the outbox's table

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("registrations.change_registration"):
            raise PermissionDenied
        row = get_object_or_404(
            DBTaskResult, pk=task_id, task_path=tasks.TASK_PATH, status="FAILED"
        )
        kwargs = row.args_kwargs["kwargs"]
        kind = kwargs["kind"]
        about = kwargs.get("change_id", kwargs.get("message_id"))
        registration = Registration.objects.filter(pk=kwargs["registration_id"]).first()
        label = tasks.MAIL_KIND_LABELS.get(kind, kind)
        try:
            if registration is None:
                raise services.MailNotRetried(_("Deze aanmelding bestaat niet meer."))
            services.retry_mail(registration=registration, kind=kind, about=about)
        except services.MailNotRetried as exc:
            self.message_user(
                request,
                _("De e-mail “%(kind)s” is niet opnieuw verstuurd: %(reason)s")
                % {"kind": label, "reason": exc.message},
                messages.ERROR,
            )
        else:
            self.log_change(
                request,
                registration,
                _("E-mail “%(kind)s” opnieuw in de uitgaande post gezet.") % {"kind": label},
            )
            logger.info(
                "mail %s for registration %s queued again by staff (failed task %s)",
                kind,
                registration.pk,
                row.pk,
            )
            self.message_user(
                request,
                _("De e-mail “%(kind)s” staat weer in de uitgaande post.") % {"kind": label},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:index"))
