from functools import partial

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from runcms.backup import BackupError, describe_counts, export_content


class Command(BaseCommand):
    help = (
        "Back up all content (drafts, taxonomy, old slugs, timestamps, publishing state) and the "
        "original media files to one ZIP archive, with a manifest of SHA-256 hashes signed with SECRET_KEY. "
        "Revision history (older versions, deleted items) and user accounts are not included. "
        "Restore it with `manage.py import_content FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the archive to write, e.g. runcms-backup.zip.")

    def handle(self, *args, file, verbosity, **options):
        progress = partial(tqdm, file=self.stderr, disable=verbosity == 0, leave=True)
        try:
            counts = export_content(file, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Exported to {file}: {describe_counts(counts)}."))
