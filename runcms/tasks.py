"""runcms's jobs: keeping published documents rendered ahead of their readers."""

from runcms import documents, drafts
from runcms.jobs import Job, app


@app.task(base=Job)
def refresh_documents(names=None):
    """Render again the stale documents of these collections (all when None): after a change, and
    periodically for the scheduled times that passed. A reader who comes first renders them itself."""
    return documents.refresh(names)


@app.task(base=Job)
def publish_due_drafts():
    """Publish the draft changes whose scheduled moment has come (periodic, every RUNCMS_SCHEDULE_CHECK_SECONDS)."""
    return drafts.publish_due()
