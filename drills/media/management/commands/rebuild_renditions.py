from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from drills.media import storage
from drills.models import CueMedia, MediaKind


class Command(BaseCommand):
    help = (
        "Remake the renditions of every image, animation and video poster (after changing the "
        "widths or the encoder settings, or to repair lost files). Old rendition files are deleted; "
        "running it twice gives the same result."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only media with no renditions, or with a rendition file missing from storage.",
        )

    def handle(self, *args, missing_only=False, verbosity=1, **options):
        media = CueMedia.objects.exclude(kind=MediaKind.AUDIO).order_by("created_at", "pk").prefetch_related(
            "renditions"
        )
        media = [item for item in media if not missing_only or storage.renditions_missing(item)]
        failures = []
        for item in tqdm(media, desc="Renditions", unit="media", disable=verbosity == 0):
            try:
                with storage.discard_files_on_error():
                    storage.make_renditions(item)
            except Exception as error:
                # One damaged file must not stop the others; the summary names it.
                failures.append(f"{item.pk} ({item}): {error}")
        if verbosity:
            self.stdout.write(f"Rebuilt the renditions of {len(media) - len(failures)} media item(s).")
        if failures:
            raise CommandError(f"{len(failures)} media item(s) failed:\n" + "\n".join(failures))
