from django.apps import AppConfig


class RuncmsConfig(AppConfig):
    name = "runcms"
    verbose_name = "runcms"

    def ready(self):
        from runcms import checks  # noqa: F401 (registers the checks)

        self.register_backup()
        self.register_caching()
        self.register_jobs()

    def register_caching(self):
        """Cached API answers are left behind as soon as a logged change commits."""
        from runcms import changelog
        from runcms.api import caching

        changelog.listen(caching.content_changed)

    def register_jobs(self):
        """Stale published documents are rendered again by a job once a change commits, not by the
        first reader (who still would, should the job not have run yet)."""
        from runcms import changelog, jobs, tasks

        changelog.listen(lambda names: jobs.enqueue(tasks.refresh_documents, sorted(names)), committed=True)

    def register_backup(self):
        from runcms import backup
        from runcms.models import ChangeLog, Document, DraftChange, OldSlug, OutdatedTranslation, Review, UnsentJob

        backup.register(OldSlug)
        # The sync journal travels too, with its positions: an app's sync token from before the
        # backup then still gets every change since, deletions included, from the restored site.
        backup.register(ChangeLog, journal=True)
        backup.exclude(Document, "derived: rendered again from the content when first read")
        backup.exclude(Review, "editorial history, like revisions: a restored site starts without it")
        backup.exclude(UnsentJob, "this site's jobs waiting for its broker, not content")
        backup.exclude(OutdatedTranslation, "derived from revisions, which a restored site starts without")
        backup.exclude(DraftChange, "pending edits of live items, kept as revisions are: publish or discard them first")
