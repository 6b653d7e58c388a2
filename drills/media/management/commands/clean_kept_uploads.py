from django.core.management.base import BaseCommand

from drills.media import kept_uploads


class Command(BaseCommand):
    help = (
        "Delete files kept for admin forms that were never saved, once older than "
        "RUNCMS_KEPT_UPLOAD_MAX_AGE. Run it from cron; each new kept file also does this."
    )

    def handle(self, *args, **options):
        removed = kept_uploads.remove_expired()
        self.stdout.write(f"Deleted {removed} kept upload{'s' if removed != 1 else ''}.")
