"""Only a publisher publishes: the admin side of `runcms.roles`, for every path an editor has.

Without the model's publish permission an editor sees the status and schedule but cannot
set them (the form shows them read-only, a POST that carries them is refused, a restored
version or a recovered item keeps the item's current state or comes back as a draft, the
publish and unpublish actions are not offered). What an editor saves of a live or scheduled
item, or of media that live content shows, is kept as its draft change (runcms.admin.drafts),
which only a publisher makes live.
"""

import re

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from reversion.models import Version

from runcms.publishing import Publishable, Status, WorkflowState
from runcms.roles import WORKFLOW_FIELDS, may_publish

# A field and the parts of its split date and time widget ("publish_at_0", "publish_at_1").
_WORKFLOW_INPUT = re.compile(rf"^({'|'.join(WORKFLOW_FIELDS)})(_[01])?$")
_DRAFT = {"status": Status.DRAFT, "publish_at": None, "unpublish_at": None}


class PublishPermissionMixin:
    def has_publish_permission(self, request):
        # Django's admin asks this for actions declared with permissions=["publish"].
        return may_publish(request.user, self.model)

    def is_public(self, obj):
        """Whether the public sees `obj` now or by a schedule already set."""
        return obj.workflow_state(timezone.now()) in (WorkflowState.LIVE, WorkflowState.SCHEDULED)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self.has_publish_permission(request):
            return fields
        return (*fields, *(name for name in self._workflow_fields() if name not in fields))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and not self.has_publish_permission(request):
            crafted = sorted({_WORKFLOW_INPUT.match(key)[1] for key in request.POST if _WORKFLOW_INPUT.match(key)})
            if crafted:
                raise PermissionDenied(
                    f"Only a publisher may set {', '.join(crafted)} of a {self.opts.verbose_name}."
                )
        return super().changeform_view(request, object_id, form_url, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        self._keep_workflow_state(request, unquote(object_id))
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        version = Version.objects.filter(pk=version_id).first()
        if version is not None:
            self._keep_workflow_state(request, version.object_id)
        return super().recover_view(request, version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        # A restore writes the old version's rows back before the form is built: without the
        # publish permission the item keeps the state it had (a recovered one comes back a draft).
        obj = super().get_object(request, object_id, from_field)
        kept = getattr(request, "runcms_workflow_state", None)
        if obj is not None and kept is not None:
            for name, value in kept.items():
                setattr(obj, name, value)
        return obj

    def save_model(self, request, obj, form, change):
        if not self.has_publish_permission(request):
            kept = getattr(request, "runcms_workflow_state", None)
            for name, value in (kept or self._stored_workflow_state(obj.pk if change else None)).items():
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)

    def _keep_workflow_state(self, request, object_id):
        if self._workflow_fields() and not self.has_publish_permission(request):
            request.runcms_workflow_state = self._stored_workflow_state(object_id)

    def _workflow_fields(self):
        return WORKFLOW_FIELDS if issubclass(self.model, Publishable) else ()

    def _stored_workflow_state(self, pk):
        fields = self._workflow_fields()
        if not fields:
            return {}
        stored = self.model._default_manager.filter(pk=pk).values(*fields).first() if pk else None
        return stored or _DRAFT
