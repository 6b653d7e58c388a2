"""runcms's jobs: keeping published documents rendered ahead of their readers."""

from runcms import documents
from runcms.jobs import Job, app


@app.task(base=Job)
def refresh_documents(names=None):
    """Render again the stale documents of these collections (all when None): after a change, and
    periodically for the scheduled times that passed. A reader who comes first renders them itself."""
    return documents.refresh(names)
