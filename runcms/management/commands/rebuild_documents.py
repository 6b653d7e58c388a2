from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from runcms import changelog, documents


class Command(BaseCommand):
    help = (
        "Render and store the published document (the JSON the API's lists, details and the sync "
        "serve) of every object the public can see, and delete those of objects it no longer sees. "
        "Run it after a deploy that changes how the API shows objects: documents rendered by older "
        "serializers are otherwise rendered again one by one when first read, which slows those "
        "first requests. `manage.py check --database default` and `migrate` warn when some are stale."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--collection",
            action="append",
            dest="collections",
            metavar="NAME",
            help="Only this API collection (drills, articles…); may be given more than once.",
        )

    def handle(self, *args, collections=None, verbosity=1, **options):
        chosen = self._chosen(collections)
        total = sum(collection.visible().count() for collection in chosen)
        with tqdm(total=total, desc="Documents", unit="document", disable=verbosity == 0) as bar:
            rendered = documents.rebuild({collection.name for collection in chosen}, progress=bar.update)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Rendered {rendered} published document(s)."))

    def _chosen(self, names):
        """The registered collections named in `names` (all of them when None); an unknown name stops the command."""
        known = changelog.collections()
        if not names:
            return known
        unknown = sorted(set(names) - {collection.name for collection in known})
        if unknown:
            valid = ", ".join(sorted(collection.name for collection in known))
            raise CommandError(f"Unknown collection {', '.join(unknown)}; the collections are: {valid}.")
        return [collection for collection in known if collection.name in names]
