"""Plain factory functions with overridable defaults (no fixture files, no primary keys)."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from drills.models import Category, Cue, Drill, Equipment, Muscle, Program, ProgramItem, Step
from runcms.publishing import Status

_counter = itertools.count(1)


def _unique(prefix):
    return f"{prefix}-{next(_counter)}"


def make_category(**fields):
    slug = fields.pop("slug", _unique("category"))
    return Category.objects.create(**{"name": slug.replace("-", " ").title(), "slug": slug, **fields})


def make_muscle(**fields):
    slug = fields.pop("slug", _unique("muscle"))
    return Muscle.objects.create(**{"name": slug.replace("-", " ").title(), "slug": slug, **fields})


def make_equipment(**fields):
    slug = fields.pop("slug", _unique("equipment"))
    return Equipment.objects.create(**{"name": slug.replace("-", " ").title(), "slug": slug, **fields})


def make_drill(steps=(), cues=(), **fields):
    slug = fields.pop("slug", _unique("drill"))
    defaults = {
        "slug": slug,
        "title": slug.replace("-", " ").capitalize(),
        "summary": "Pull the heel toward the hip.",
        "category": fields.pop("category", None) or make_category(),
        "status": Status.PUBLISHED,
        "reps": 10,
        "per_side": True,
    }
    drill = Drill.objects.create(**{**defaults, **fields})
    for position, text in enumerate(steps, start=1):
        Step.objects.create(drill=drill, position=position, text=text)
    for position, text in enumerate(cues, start=1):
        Cue.objects.create(drill=drill, position=position, text=text)
    return drill


def make_program(drills=(), **fields):
    slug = fields.pop("slug", _unique("program"))
    program = Program.objects.create(
        **{"slug": slug, "title": slug.capitalize(), "summary": "A program.", "status": Status.PUBLISHED, **fields}
    )
    for position, drill in enumerate(drills, start=1):
        ProgramItem.objects.create(program=program, drill=drill, position=position)
    return program


def image_bytes(size=(64, 48), color=(200, 80, 40), format="JPEG", mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=format)
    return buffer.getvalue()


def image_upload(name="photo.jpg", **kwargs):
    content = image_bytes(**kwargs)
    return SimpleUploadedFile(name, content, content_type="image/jpeg")
