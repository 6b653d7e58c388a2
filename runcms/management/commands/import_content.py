from functools import partial

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from runcms.backup import BackupError, describe_counts, import_content


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py export_content` into an empty site, keeping ids, "
        "slugs, old slugs, timestamps and publishing state, and making renditions again. The whole "
        "archive is checked first; a damaged or changed archive, or one not signed with this site's "
        "SECRET_KEY, is refused and nothing is written. "
        "Importing the same archive again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the archive to restore.")

    def handle(self, *args, file, verbosity, **options):
        progress = partial(tqdm, file=self.stderr, disable=verbosity == 0, leave=True)
        try:
            result = import_content(file, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        summary = describe_counts(result.counts)
        if result.restored:
            message = f"Restored from {file}: {summary}; {result.files} media files, {result.renditions} renditions."
        elif result.files or result.renditions:
            message = (
                f"{file} is already restored here. Put back what was missing: {result.files} media files "
                f"and {result.renditions} renditions; nothing else changed."
            )
        else:
            message = f"{file} is already restored here; nothing changed."
        self.stdout.write(self.style.SUCCESS(message))
        if result.unknown_editors:
            names = ", ".join(sorted(result.unknown_editors))
            self.stdout.write(
                f"No user here is called {names}, so “updated by” is empty where they were the last editor."
            )
