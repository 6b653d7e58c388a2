"""Seed the benchmark set fast: bulk_create for rows, the project's own code for what matters.

Images go through the project's upload path (verified, stored, real renditions), but only a
few of them, reused by every drill, program and article. Article bodies are rendered by the
project's Markdown renderer. Rows are written with bulk_create, then logged for the offline
sync with the project's own `touch()` (bulk_create sends no signals), so every endpoint,
the sync included, sees what an editor's work would have produced.

Deterministic: the same options give the same words, slugs and links.
"""

import io
import random
import time
from datetime import UTC, datetime, timedelta

from benchmarks import project

SEED = 11
EPOCH = datetime(2025, 3, 1, 7, 0, tzinfo=UTC)
BATCH = 1000

VOCABULARY = [
    "heel", "hip", "knee", "ankle", "foot", "ground", "pull", "lift", "land", "stride", "cadence", "posture",
    "lean", "balance", "hamstring", "glute", "calf", "core", "spine", "shoulder", "arm", "rhythm", "tempo",
    "light", "quick", "relaxed", "steady", "support", "push", "drop", "contact", "spring", "brace", "breathe",
    "control", "smooth", "short", "upright", "soft", "elastic", "tall", "level", "loaded", "fresh", "easy",
]
MOVES = ["Heel pull", "Hip lift", "Ankle hop", "Knee drive", "Foot switch", "Lean and fall", "Side step", "Lunge"]
PLACES = ["on the box", "at the wall", "with a band", "on one leg", "on the step", "lying down", "in place"]
MUSCLES = ["Hamstrings", "Glutes", "Quadriceps", "Calves", "Hip flexors", "Adductors", "Core", "Lower back"]
EQUIPMENT = ["Box", "Band", "Wall", "Mat", "Step", "Rope"]
CATEGORIES = ["Pull", "Fall", "Pose", "Strength", "Mobility"]
TOPICS = ["technique", "strength", "mobility", "beginners", "injury", "cadence", "trail", "recovery"]


def log(message):
    print(f"[bench seed {time.strftime('%H:%M:%S')}] {message}", flush=True)


def sentence(rng, low=6, high=14):
    return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(low, high))).capitalize() + "."


def paragraph(rng, count):
    return " ".join(sentence(rng) for _ in range(count))


def drill_slug(number):
    return f"drill-{number:04d}"


def article_slug(number):
    return f"article-{number:04d}"


def program_slug(number):
    return f"program-{number:02d}"


def jpeg(number, rng, size=(800, 600)):
    """A photo-like JPEG: a gradient with a few shapes, different for every number."""
    from PIL import Image, ImageDraw

    width, height = size
    base = [rng.randrange(256) for _ in range(3)]
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 3):
        draw.rectangle([0, y, width, y + 2], fill=tuple((c + y // 2) % 256 for c in base))
    for _ in range(5):
        x, y = rng.randrange(width - 120), rng.randrange(height - 120)
        box = [x, y, x + rng.randint(40, 260), y + rng.randint(40, 200)]
        fill = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=fill)
    draw.text((16, 16), f"runcms benchmark {number}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def counts():
    m = project.models()
    return {name: m[name].objects.count() for name in ("Drill", "Article", "Program", "CueMedia")}


def seed(drills=2000, articles=1000, programs=20, images=12):
    """Create the benchmark set in an empty database; returns the counts."""
    from django.core.files.base import ContentFile
    from django.db import transaction

    m = project.models()
    rng = random.Random(SEED)
    published = m["Status"].PUBLISHED
    started = time.monotonic()

    log(f"{images} images through the project's upload path (renditions made once, then reused)")
    media = []
    for number in range(1, images + 1):
        with transaction.atomic():
            title = f"Benchmark photo {number}"
            media.append(project.create_media(
                ContentFile(jpeg(number, rng), name=f"bench-{number}.jpg"),
                alt_text=f"A runner doing drill figure {number}", title=title, caption=title,
            ))
        if number % 4 == 0 or number == images:
            log(f"  {number}/{images} images ({time.monotonic() - started:.0f} s)")

    with transaction.atomic():
        muscles = m["Muscle"].objects.bulk_create(
            m["Muscle"](name=n, slug=n.lower().replace(" ", "-")) for n in MUSCLES
        )
        equipment = m["Equipment"].objects.bulk_create(m["Equipment"](name=n, slug=n.lower()) for n in EQUIPMENT)
        categories = m["Category"].objects.bulk_create(
            m["Category"](name=n, slug=n.lower(), position=k) for k, n in enumerate(CATEGORIES, start=1)
        )
        topics = m["Topic"].objects.bulk_create(m["Topic"](name=n.capitalize(), slug=n) for n in TOPICS)

        drill_rows = _drills(m, rng, drills, media, muscles, equipment, categories, published)
        log(f"  {drills} drills with steps, cues, gallery, muscles, equipment ({time.monotonic() - started:.0f} s)")
        program_rows = _programs(m, rng, programs, drill_rows, media, published)
        log(f"  {programs} programs ({time.monotonic() - started:.0f} s)")
        article_rows = _articles(m, rng, articles, drills, media, topics, published)
        log(f"  {articles} articles, bodies rendered by the project ({time.monotonic() - started:.0f} s)")

        for model, rows in ((m["Drill"], drill_rows), (m["Program"], program_rows), (m["Article"], article_rows)):
            pks = [row.pk for row in rows]
            for start in range(0, len(pks), 500):
                project.log_for_sync(model, pks[start : start + 500])
        log(f"  sync log written ({time.monotonic() - started:.0f} s)")
    log(f"seeded {counts()} in {time.monotonic() - started:.0f} s")
    return counts()


def _drills(m, rng, count, media, muscles, equipment, categories, published):
    Drill, Step, Cue, DrillMedia = m["Drill"], m["Step"], m["Cue"], m["DrillMedia"]
    difficulties = [d.value for d in m["Difficulty"]]
    drills, steps, cues, gallery = [], [], [], []
    for number in range(1, count + 1):
        drill = Drill(
            slug=drill_slug(number),
            title=f"{rng.choice(MOVES)} {rng.choice(PLACES)} {number}",
            summary=paragraph(rng, 2),
            start_position=sentence(rng),
            category=categories[number % len(categories)],
            difficulty=difficulties[number % len(difficulties)],
            sets=rng.randint(2, 4),
            reps=rng.choice([6, 8, 10, 12, 15]),
            rest_seconds=rng.choice([None, 30, 60]),
            per_side=rng.random() < 0.5,
            safety_notes=sentence(rng) if number % 3 == 0 else "",
            status=published,
            first_published_at=EPOCH + timedelta(minutes=number),
        )
        drills.append(drill)
        for position in range(1, rng.randint(3, 6) + 1):
            step_media = media[(number + position) % len(media)] if position == 1 and number % 4 == 0 else None
            steps.append(Step(drill=drill, position=position, text=paragraph(rng, rng.randint(1, 2)), media=step_media))
        for position in range(1, rng.randint(2, 4) + 1):
            cues.append(Cue(drill=drill, position=position, kind="cue", text=sentence(rng, 2, 6)))
        gallery.append(DrillMedia(drill=drill, media=media[number % len(media)], position=1))
    Drill.objects.bulk_create(drills, batch_size=BATCH)
    Step.objects.bulk_create(steps, batch_size=BATCH)
    Cue.objects.bulk_create(cues, batch_size=BATCH)
    DrillMedia.objects.bulk_create(gallery, batch_size=BATCH)

    primary, secondary = Drill.primary_muscles.through, Drill.secondary_muscles.through
    kit, harder = Drill.equipment.through, Drill.progressions.through
    links = {primary: [], secondary: [], kit: [], harder: []}
    for index, drill in enumerate(drills):
        chosen = rng.sample(muscles, rng.randint(1, 4))
        links[primary] += [primary(drill_id=drill.pk, muscle_id=x.pk) for x in chosen[:2]]
        links[secondary] += [secondary(drill_id=drill.pk, muscle_id=x.pk) for x in chosen[2:]]
        links[kit] += [kit(drill_id=drill.pk, equipment_id=x.pk) for x in rng.sample(equipment, rng.randint(0, 2))]
        if index + 1 < len(drills) and index % 5 == 0:
            links[harder].append(harder(from_drill_id=drill.pk, to_drill_id=drills[index + 1].pk))
    for through, rows in links.items():
        through.objects.bulk_create(rows, batch_size=BATCH)
    return drills


def _programs(m, rng, count, drills, media, published):
    Program, ProgramItem = m["Program"], m["ProgramItem"]
    programs, items = [], []
    for number in range(1, count + 1):
        program = Program(
            slug=program_slug(number),
            title=f"Program {number}: {sentence(rng, 2, 4)[:-1]}",
            summary=paragraph(rng, 2),
            description=paragraph(rng, 4),
            cover=media[number % len(media)],
            status=published,
            first_published_at=EPOCH + timedelta(days=number),
        )
        programs.append(program)
        for position, drill in enumerate(rng.sample(drills, min(10, len(drills))), start=1):
            items.append(ProgramItem(program=program, drill=drill, position=position, sets=rng.choice([None, 3])))
    Program.objects.bulk_create(programs, batch_size=BATCH)
    ProgramItem.objects.bulk_create(items, batch_size=BATCH)
    return programs


def _articles(m, rng, count, drill_count, media, topics, published):
    Article, Author, Source = m["Article"], m["Author"], m["Source"]
    author = Author.objects.create(name="Benchmark coach", slug="benchmark-coach", bio=sentence(rng), photo=media[0])
    media_by_id = {str(item.pk): item for item in media}
    articles, sources, embeds = [], [], []
    for number in range(1, count + 1):
        embedded = media[(number + 3) % len(media)]
        drill = drill_slug(rng.randint(1, drill_count))
        parts = []
        for index in range(rng.randint(5, 8)):
            if index == 2:
                parts.append(f"## {sentence(rng, 2, 5)[:-1]}")
            if index == 3:
                parts.append(f"[[media:{embedded.pk}]]")
            if index == 4:
                parts.append(f"[[drill:{drill}]]")
            text = paragraph(rng, rng.randint(3, 5))
            if index == 1:
                text += " Read [the other articles](/articles/) too."
            parts.append(text)
        parts.append("- " + "\n- ".join(sentence(rng, 3, 6) for _ in range(3)))
        article = Article(
            slug=article_slug(number),
            title=f"Article {number}: {sentence(rng, 3, 6)[:-1]}",
            summary=paragraph(rng, 2),
            body="\n\n".join(parts) + "\n",
            author=author,
            hero=media[number % len(media)],
            status=published,
            first_published_at=EPOCH + timedelta(hours=5 * number),
        )
        rendered = project.render_body(article)
        embeds.append(rendered.embeds)
        articles.append(article)
        sources.append(Source(article=article, position=1, title=f"Notes {number}", url=f"https://example.com/{number}"))
    Article.objects.bulk_create(articles, batch_size=BATCH)
    Source.objects.bulk_create(sources, batch_size=BATCH)

    drill_ids = dict(m["Drill"].objects.values_list("slug", "pk"))
    topic_link, drill_link = Article.topics.through, Article.related_drills.through
    media_link = Article.embedded_media.through
    rows = {topic_link: [], drill_link: [], media_link: []}
    for article, found in zip(articles, embeds, strict=True):
        rows[topic_link] += [topic_link(article_id=article.pk, topic_id=t.pk) for t in rng.sample(topics, 2)]
        for embed in found:
            if embed.kind == "drill" and embed.ref in drill_ids:
                rows[drill_link].append(drill_link(article_id=article.pk, drill_id=drill_ids[embed.ref]))
            elif embed.kind == "media" and str(embed.ref) in media_by_id:
                rows[media_link].append(media_link(article_id=article.pk, cuemedia_id=media_by_id[str(embed.ref)].pk))
    for through, links in rows.items():
        through.objects.bulk_create(links, batch_size=BATCH)
    return articles
