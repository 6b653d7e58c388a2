from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from runcms.models import ChangeLog
from tests.factories import make_drill

pytestmark = pytest.mark.django_db


def test_prune_sync_log_deletes_only_entries_older_than_any_valid_token(settings, capsys):
    settings.RUNCMS_SYNC_TOKEN_MAX_AGE = 3600
    with time_machine.travel(timezone.now() - timedelta(hours=3)):
        make_drill()
    old_entries = ChangeLog.objects.count()
    make_drill()
    recent_entries = ChangeLog.objects.count() - old_entries

    call_command("prune_sync_log")

    assert ChangeLog.objects.count() == recent_entries
    assert f"Deleted {old_entries} change-log entries" in capsys.readouterr().out
