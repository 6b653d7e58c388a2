"""Every name the benchmarks take from the project, in one place.

The project's modules are being re-laid out: when one moves, change its line here and
nothing else in `benchmarks/`. Imports are made inside functions, after `django.setup()`.
"""

SETTINGS_MODULE = "runcms.settings"
WSGI_APPLICATION = "runcms.wsgi:application"


def models():
    """The models the seed writes, by name."""
    from articles.models import Article, Author, Source, Topic
    from drills import models as drills
    from runcms.publishing import Status

    found = {name: getattr(drills, name) for name in (
        "Category", "Cue", "CueMedia", "Difficulty", "Drill", "DrillMedia", "Equipment", "Muscle", "Program",
        "ProgramItem", "Step",
    )}
    return {**found, "Article": Article, "Author": Author, "Source": Source, "Topic": Topic, "Status": Status}


def create_media(file, **fields):
    """Verify and store an uploaded image and make its real renditions (the admin's own path)."""
    from drills.media.storage import create_media, discard_files_on_error

    with discard_files_on_error():
        return create_media(file, **fields)


def render_body(article):
    """Render an article's Markdown to body_html (without saving); returns what it embeds."""
    from articles.services import render_body

    return render_body(article)


def log_for_sync(model, pks):
    """Write the sync log for rows created with bulk_create (which sends no signals)."""
    from runcms import changelog

    changelog.touch(model, pks)
