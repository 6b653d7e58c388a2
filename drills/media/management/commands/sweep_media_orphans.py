from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from tqdm import tqdm

from drills.media.orphans import orphaned_files


class Command(BaseCommand):
    help = (
        "Delete media files (originals, posters, renditions) that are in media storage but that no "
        "media item or rendition points at. Files younger than --older-than are left alone: they "
        "may belong to an upload in progress."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be deleted.")
        parser.add_argument(
            "--older-than",
            type=int,
            default=3600,
            metavar="SECONDS",
            help="Only files stored at least this long ago (default: 3600, an hour).",
        )

    def handle(self, *args, dry_run=False, older_than=3600, verbosity=1, **options):
        if older_than < 0:
            raise CommandError("--older-than is a number of seconds, 0 or more.")
        found = orphaned_files(older_than=timedelta(seconds=older_than), now=timezone.now())
        swept, total_bytes, failures = [], 0, []
        for name in tqdm(found, desc="Orphaned media files", unit="file", disable=verbosity == 0):
            try:
                size = default_storage.size(name)
                if not dry_run:
                    default_storage.delete(name)
            except Exception as error:
                failures.append(f"{name}: {error}")
                continue
            swept.append(name)
            total_bytes += size
            if verbosity > 1 or dry_run:
                self.stdout.write(f"{'would delete' if dry_run else 'deleted'} {name}")
        if verbosity:
            verb = "Would delete" if dry_run else "Deleted"
            self.stdout.write(
                f"{verb} {len(swept)} orphaned media file(s), {filesizeformat(total_bytes)}; "
                "every other file is used by a media item or a rendition."
            )
        if failures:
            raise CommandError(f"{len(failures)} file(s) could not be deleted:\n" + "\n".join(failures))
