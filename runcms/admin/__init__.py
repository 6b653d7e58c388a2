"""The admin pieces every app's admin shares, one module per job."""

from runcms.admin import jobs  # noqa: F401 (the jobs' results, with their attempts)
from runcms.admin.concurrency import ConcurrencyAdminMixin, ConcurrencyForm
from runcms.admin.history import HistoryAdmin, HistoryAdminMixin
from runcms.admin.roles import PublishPermissionMixin
from runcms.admin.slugs import OldSlugInline
from runcms.admin.widgets import SafeAutocompleteMixin, SafeAutocompleteSelect, SafeAutocompleteSelectMultiple
from runcms.admin.workflow import PublishableAdmin, WorkflowFilter

__all__ = [
    "ConcurrencyAdminMixin",
    "ConcurrencyForm",
    "HistoryAdmin",
    "HistoryAdminMixin",
    "OldSlugInline",
    "PublishPermissionMixin",
    "PublishableAdmin",
    "SafeAutocompleteMixin",
    "SafeAutocompleteSelect",
    "SafeAutocompleteSelectMultiple",
    "WorkflowFilter",
]
