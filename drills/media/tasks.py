"""Cue media's jobs: building renditions after an upload, outside the request that stored it."""

from drills.media import storage
from drills.models import CueMedia
from runcms.jobs import Job, app


@app.task(base=Job)
def make_renditions(media_id):
    """Build the renditions of a media item from what it stores now; nothing when it was deleted.

    Safe to run twice (a retry, a newer upload's job): each run replaces the renditions whole.
    """
    media = CueMedia.objects.filter(pk=media_id).first()
    if media is None:
        return 0
    return len(storage.make_renditions(media))
