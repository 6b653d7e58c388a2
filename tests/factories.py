"""Plain factory functions with overridable defaults (no fixture files, no primary keys)."""

import base64
import functools
import hashlib
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
    return _image_bytes(tuple(size), tuple(color) if isinstance(color, list) else color, format, mode)


@functools.cache
def _image_bytes(size, color, format, mode):
    # The same bytes for the same picture, encoded once per test run.
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=format)
    return buffer.getvalue()


def image_upload(name="photo.jpg", **kwargs):
    content = image_bytes(**kwargs)
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def upload(content, name="upload.jpg"):
    """An uploaded file as an editor's browser sends it; the type it claims does not matter, the bytes decide."""
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def upload_media(content=None, filename="photo.jpg", poster=None, **fields):
    """Cue media made the way an editor's upload makes it: verified, stored and rendered."""
    from drills.media.storage import create_media

    fields.setdefault("alt_text", "Runner lying face down pulling one heel to the hip")
    content = image_bytes(size=(800, 600)) if content is None else content
    if poster is not None:
        poster = SimpleUploadedFile("poster.jpg", poster, content_type="image/jpeg")
    return create_media(SimpleUploadedFile(filename, content, content_type="application/octet-stream"),
                        poster=poster, **fields)


def referenced_files():
    """Every name the database points at: what storage should hold, no more, no less."""
    from drills.media.orphans import referenced_names

    return sorted(referenced_names())


def stored_files(root):
    """Every file under a MEDIA_ROOT, as names relative to it: what storage holds right now."""
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def make_author(**fields):
    from articles.models import Author

    slug = fields.pop("slug", _unique("author"))
    return Author.objects.create(**{"name": slug.replace("-", " ").title(), "slug": slug, **fields})


def make_topic(**fields):
    from articles.models import Topic

    slug = fields.pop("slug", _unique("topic"))
    return Topic.objects.create(**{"name": slug.replace("-", " ").title(), "slug": slug, **fields})


def make_article(body="Pull the support foot back under the hip.", topics=(), sources=(), **fields):
    """A published article whose body is rendered and whose embeds are linked, as the admin saves it."""
    from articles.models import Article, Source
    from articles.services import save_article

    slug = fields.pop("slug", _unique("article"))
    defaults = {
        "slug": slug,
        "title": slug.replace("-", " ").capitalize(),
        "summary": "Why the pull matters, and how to train it.",
        "author": fields.pop("author", None) or make_author(),
        "body": body,
        "status": Status.PUBLISHED,
    }
    article = save_article(Article(**{**defaults, **fields}))
    article.topics.set(topics)
    for position, source in enumerate(sources, start=1):
        Source.objects.create(article=article, position=position, **({"title": source} if isinstance(source, str)
                                                                         else source))
    return article


@functools.cache
def _media_pictures(size, color, widths, transparent):
    """The files make_media stores, encoded once for each look: Pillow's work is most of what media cost a test.

    Returns the fallback format, the placeholder, the original's bytes, the poster's bytes and
    (name, format, width, height, bytes) for each rendition.
    """
    from PIL import ImageDraw

    mode, fallback = ("RGBA", "png") if transparent else ("RGB", "jpeg")
    picture = Image.new(mode, size, (*color, 160) if transparent else color)
    ImageDraw.Draw(picture).ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill="white")

    def encoded(image, format):
        buffer = io.BytesIO()
        image.save(buffer, format=format.upper())
        return buffer.getvalue()

    tiny = picture.copy()
    tiny.thumbnail((12, 12))
    placeholder = "data:image/webp;base64," + base64.b64encode(encoded(tiny, "webp")).decode()
    sized = [(f"w{width}", picture.resize((width, round(width * size[1] / size[0])))) for width in widths]
    side = min(size)
    square = picture.crop(((size[0] - side) // 2, (size[1] - side) // 2, (size[0] + side) // 2, (size[1] + side) // 2))
    sized.append(("thumb", square.resize((320, 320))))
    renditions = tuple(
        (name, format, image.width, image.height, encoded(image, format))
        for name, image in sized for format in ("webp", fallback)
    )
    return fallback, placeholder, encoded(picture, fallback), encoded(picture.convert("RGB"), "jpeg"), renditions


def make_media(kind="image", size=(800, 600), color=(40, 120, 200), widths=(320, 640), renditions=True,
               transparent=False, **fields):
    """Cue media with real Pillow-made files and renditions stored through default_storage.

    Made directly, not through an upload, so page tests do not depend on the upload pipeline.
    """
    from django.core.files.base import ContentFile

    from drills.models import CueMedia, MediaKind, Rendition

    fallback, placeholder, picture, poster, sized = _media_pictures(tuple(size), tuple(color), tuple(widths),
                                                                    transparent)
    defaults = {
        "kind": kind,
        "alt_text": "Runner lying face down pulling one heel to the hip",
        "width": size[0],
        "height": size[1],
        "placeholder": placeholder,
        "dominant_color": "#" + bytes(color).hex(),
    }
    media = CueMedia(**{**defaults, **fields})
    if kind in (MediaKind.IMAGE, MediaKind.ANIMATION):
        media.mime_type, name, original = f"image/{fallback}", f"photo.{fallback}", picture
    elif kind == MediaKind.VIDEO:
        media.mime_type, name, original = "video/mp4", "clip.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(64)
        media.duration_seconds = 12.0
        media.poster.save("poster.jpg", ContentFile(poster), save=False)
    else:
        media.mime_type, name, original = "audio/mpeg", "cue.mp3", b"ID3" + bytes(64)
        media.duration_seconds, media.width, media.height = 3.0, None, None
    media.file.save(name, ContentFile(original), save=False)
    media.size_bytes, media.sha256 = len(original), hashlib.sha256(original).hexdigest()
    media.save()
    if not renditions or kind == MediaKind.AUDIO:
        return media
    rows = []
    for name, format, width, height, content in sized:
        rendition = Rendition(media=media, name=name, format=format, width=width, height=height,
                              bytes=len(content), sha256=hashlib.sha256(content).hexdigest())
        rendition.file.save(f"{name}.{format}", ContentFile(content), save=False)
        rows.append(rendition)
    Rendition.objects.bulk_create(rows)
    return media
