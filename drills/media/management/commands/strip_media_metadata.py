from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from drills.media import storage
from drills.models import CueMedia


class Command(BaseCommand):
    help = (
        "Remove private metadata (GPS position, camera serial numbers, owner names, comments, "
        "tags) from every stored original and video poster, as uploads are cleaned now. Changed "
        "files get new names, sizes and hashes, and apps receive the change in the next sync; "
        "running it twice changes nothing the second time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only report which media items carry metadata; store nothing.",
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        media = list(CueMedia.objects.order_by("created_at", "pk"))
        changed, failures = [], []
        for item in tqdm(media, desc="Metadata", unit="media", disable=verbosity == 0):
            try:
                fields = storage.strip_stored_metadata(item, dry_run=dry_run)
            except Exception as error:
                # One unreadable file must not stop the others; the summary names it.
                failures.append(f"{item.pk} ({item}): {_reason(error)}")
                continue
            if fields:
                changed.append(item)
                if verbosity > 1:
                    self.stdout.write(f"{item.pk} ({item}): {' and '.join(fields)}")
        if verbosity:
            verb = "Would remove" if dry_run else "Removed"
            self.stdout.write(
                f"{verb} metadata from {len(changed)} of {len(media)} media item(s); the others carry none."
            )
        if failures:
            raise CommandError(f"{len(failures)} media item(s) could not be checked:\n" + "\n".join(failures))


def _reason(error):
    messages = getattr(error, "messages", None)
    return " ".join(messages) if messages else str(error) or type(error).__name__
