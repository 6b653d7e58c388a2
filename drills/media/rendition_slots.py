"""At most RUNCMS_RENDITION_JOBS rendition builds at once on one machine, across every worker.

Building renditions of the largest picture allowed holds a few hundred MB while it runs
(see drills.media.renditions and `make benchmark`). Each gunicorn worker is its own process, so
a lock inside one would not stop four workers from doing it together: the slots are
files, locked with flock(2) by whoever is building. The kernel releases a lock when its
holder exits or dies, so a crashed worker never keeps a slot. A build waits, polling,
for a free slot.
"""

import fcntl
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

_POLL_SECONDS = 0.05


@contextmanager
def rendition_slot():
    """Hold one of the RUNCMS_RENDITION_JOBS slots for the block (0 or less: no limit)."""
    slots = getattr(settings, "RUNCMS_RENDITION_JOBS", 2)
    if slots <= 0:
        yield
        return
    folder = Path(getattr(settings, "RUNCMS_RENDITION_LOCK_DIR", "") or tempfile.gettempdir())
    folder = folder / "runcms-rendition-slots"
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        for number in range(slots):
            handle = open(folder / f"slot-{number}", "ab")  # noqa: SIM115 (held for the block, closed below)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        time.sleep(_POLL_SECONDS)
