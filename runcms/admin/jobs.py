"""The jobs' results in the admin (django-celery-results), with how many attempts each took, and
the jobs waiting for the broker."""

import json

from django.contrib import admin
from django_celery_results.admin import TaskResultAdmin
from django_celery_results.models import TaskResult

from runcms.models import UnsentJob


class JobResultAdmin(TaskResultAdmin):
    list_display = ["task_id", "task_name", "status", "attempts", "date_done", "error"]

    @admin.display(description="attempts")
    def attempts(self, result):
        try:
            return json.loads(result.meta or "{}").get("attempts", 1)
        except (TypeError, ValueError, AttributeError):
            return 1

    @admin.display(description="error")
    def error(self, result):
        if result.status not in ("FAILURE", "RETRY"):
            return ""
        last_line = (result.traceback or "").strip().splitlines()[-1:] or [result.result or ""]
        return last_line[0][:200]


admin.site.unregister(TaskResult)
admin.site.register(TaskResult, JobResultAdmin)


@admin.register(UnsentJob)
class UnsentJobAdmin(admin.ModelAdmin):
    """Read only: the worker's periodic check queues them once Redis answers again."""

    list_display = ["task", "created_at", "error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
