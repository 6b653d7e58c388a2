from django.apps import AppConfig


class CueMediaConfig(AppConfig):
    # An app of its own so its commands, admin templates and static files are found; its
    # models keep the `drills` label (drills.models imports them), so no data moves.
    name = "drills.media"
    label = "cuemedia"
    verbose_name = "Cue media"
