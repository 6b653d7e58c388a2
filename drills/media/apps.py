from django.apps import AppConfig


class CueMediaConfig(AppConfig):
    # An app of its own so its commands, admin templates, static files and system checks are
    # found; its models keep the `drills` label (drills.models holds them), so no data moves.
    name = "drills.media"
    label = "cuemedia"
    verbose_name = "Cue media"

    def ready(self):
        from drills.media import checks, storage  # noqa: F401 (checks: registers the checks)
        from drills.models import CueMedia
        from runcms.drafts import draft_published

        draft_published.connect(storage.remake_published_focal_point, sender=CueMedia)
