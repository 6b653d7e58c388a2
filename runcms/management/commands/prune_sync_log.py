from django.conf import settings
from django.core.management.base import BaseCommand

from runcms import sync


class Command(BaseCommand):
    help = (
        "Delete sync change-log entries that no valid sync token can need any more "
        "(older than RUNCMS_SYNC_TOKEN_MAX_AGE). Run it daily, e.g. from cron."
    )

    def handle(self, *args, **options):
        deleted = sync.prune()
        days = settings.RUNCMS_SYNC_TOKEN_MAX_AGE / 86400
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} change-log entries older than {days:g} days."))
