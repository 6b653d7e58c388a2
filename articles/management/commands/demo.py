"""`manage.py demo`: the demo content, so that a newcomer's first run shows a real site.

Safe to run again: content is found by slug (also an old slug, if an editor renamed it)
and left exactly as it is, so a second run changes nothing and an editor's changes to
the demo content are never overwritten.
"""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.demo import content as demo
from articles.demo import figures as demo_figures
from articles.models import Article, Author, Source, Topic
from articles.services import save_article
from drills.media.storage import create_media, discard_files_on_error
from drills.models import Category, Cue, Drill, DrillMedia, Equipment, Muscle, Program, ProgramItem, Step
from runcms.models import OldSlug
from runcms.publishing import Status

REVISION_COMMENT = "Created by the demo content (manage.py demo)."


def existing(model, slug):
    """The item at `slug`, or at `slug` as an old slug (it was renamed), or None."""
    found = model.objects.filter(slug=slug).first()
    if found is None:
        object_id = (
            OldSlug.objects.filter(content_type=ContentType.objects.get_for_model(model), slug=slug)
            .values_list("object_id", flat=True)
            .first()
        )
        found = model.objects.filter(pk=object_id).first() if object_id else None
    return found


def translate_into_german(item):
    """The demo's German text of `item`, when it has some (`demo.GERMAN`): steps and cues in their order."""
    texts = dict(demo.GERMAN.get(item.slug, {}))
    if not texts:
        return
    for name in ("steps", "cues"):
        if name not in texts:
            continue
        for row, text in zip(getattr(item, name).all(), texts.pop(name), strict=True):
            row.text_de = text
            row.save()
    for field, text in texts.items():
        setattr(item, f"{field}_de", text)
    item.save()


def taxonomy_term(model, slug, name, **defaults):
    """Find a term by slug, then by name (names are unique too); create it only if neither exists."""
    term = model.objects.filter(slug=slug).first() or model.objects.filter(name=name).first()
    return term or model.objects.create(slug=slug, name=name, **defaults)


def diagram(png, *, name, alt_text, caption, focal_point=(0.5, 0.5)):
    return create_media(
        ContentFile(png, name=f"{name}.png"),
        alt_text=alt_text,
        caption=caption,
        title=caption,
        credit=demo.CREDIT,
        licence=demo.LICENCE,
        focal_point=focal_point,
    )


class Command(BaseCommand):
    help = (
        "Load the demo content: an article on the pull phase of running, its five hamstring drills, "
        "a program and their diagrams. Content that is already there (found by slug) is left as it is."
    )

    def handle(self, *args, **options):
        try:
            # One transaction; the media service deletes the files it wrote if anything fails.
            with discard_files_on_error(), transaction.atomic():
                self.step("Taxonomy")
                categories, muscles, equipment, topics = self.load_taxonomy()
                self.step("Drills")
                drills = self.load_drills(categories, muscles, equipment)
                self.step("Program")
                self.load_program(drills)
                self.step("Article")
                self.load_article(topics)
        except ValidationError as error:
            raise CommandError(
                f"The demo content could not be loaded, so nothing was changed: {' '.join(error.messages)}"
            ) from error
        self.stdout.write(self.style.SUCCESS("Demo content ready."))

    def step(self, title):
        self.stdout.write(f"  {title}")

    def report(self, obj, created):
        state = "created" if created else "already there, left as it is"
        self.stdout.write(f"    {obj._meta.verbose_name} “{obj}”: {state}")

    def load_taxonomy(self):
        categories = {
            slug: taxonomy_term(Category, slug, name, position=position, description=description)
            for slug, name, position, description in demo.CATEGORIES
        }
        muscles = {slug: taxonomy_term(Muscle, slug, name, description=text) for slug, name, text in demo.MUSCLES}
        equipment = {
            slug: taxonomy_term(Equipment, slug, name, description=text) for slug, name, text in demo.EQUIPMENT
        }
        topics = {slug: taxonomy_term(Topic, slug, name, description=text) for slug, name, text in demo.TOPICS}
        self.stdout.write(
            f"    {len(categories)} categories, {len(muscles)} muscles, "
            f"{len(equipment)} pieces of equipment, {len(topics)} topics"
        )
        return categories, muscles, equipment, topics

    def load_drills(self, categories, muscles, equipment):
        drills, created = {}, []
        for data in demo.DRILLS:
            drill = existing(Drill, data["slug"])
            if drill is None:
                drill = self.create_drill(data, categories, muscles, equipment)
                created.append(data)
            drills[data["slug"]] = drill
            self.report(drill, created=bool(created) and created[-1] is data)
        # Links between drills once all exist; only on drills made now, so no editor's drill changes.
        for data in created:
            drill = drills[data["slug"]]
            drill.progressions.set([drills[slug] for slug in data["progressions"]])
            drill.regressions.set([drills[slug] for slug in data["regressions"]])
        return drills

    def create_drill(self, data, categories, muscles, equipment):
        with reversion.create_revision():
            reversion.set_comment(REVISION_COMMENT)
            drill = Drill.objects.create(
                slug=data["slug"],
                title=data["title"],
                summary=data["summary"],
                category=categories[data["category"]],
                difficulty=data["difficulty"],
                start_position=data["start_position"],
                reps=data["reps"],
                per_side=data["per_side"],
                prescription_note=data["prescription_note"],
                safety_notes=data["safety_notes"],
                follow_up=demo.FOLLOW_UP,
                status=Status.PUBLISHED,
            )
            drill.equipment.set([equipment[slug] for slug in data["equipment"]])
            drill.primary_muscles.set([muscles[slug] for slug in data["primary_muscles"]])
            drill.secondary_muscles.set([muscles[slug] for slug in data["secondary_muscles"]])
            picture = diagram(
                demo_figures.drill_figure(data["figure"]),
                name=data["slug"],
                alt_text=data["alt_text"],
                caption=data["title"],
                focal_point=data["focal_point"],
            )
            DrillMedia.objects.create(drill=drill, media=picture, position=1)
            for position, text in enumerate(data["steps"], start=1):
                # The diagram shows the pull itself, which is always the second step.
                Step.objects.create(drill=drill, position=position, text=text, media=picture if position == 2 else None)
            for position, (kind, text) in enumerate(data["cues"], start=1):
                Cue.objects.create(drill=drill, position=position, kind=kind, text=text)
            translate_into_german(drill)
        return drill

    def load_program(self, drills):
        data = demo.PROGRAM
        program = existing(Program, data["slug"])
        if program is not None:
            self.report(program, created=False)
            return program
        with reversion.create_revision():
            reversion.set_comment(REVISION_COMMENT)
            cover = diagram(
                demo_figures.cover_figure(), name=data["slug"], alt_text=data["cover_alt_text"], caption=data["title"]
            )
            program = Program.objects.create(
                slug=data["slug"],
                title=data["title"],
                summary=data["summary"],
                description=data["description"],
                featured=data["featured"],
                cover=cover,
                status=Status.PUBLISHED,
            )
            for position, slug in enumerate(data["drills"], start=1):
                ProgramItem.objects.create(program=program, drill=drills[slug], position=position)
            translate_into_german(program)
        self.report(program, created=True)
        return program

    def load_article(self, topics):
        data = demo.ARTICLE
        article = existing(Article, data["slug"])
        if article is not None:
            self.report(article, created=False)
            return article
        author = Author.objects.filter(slug=demo.AUTHOR["slug"]).first() or Author.objects.create(**demo.AUTHOR)
        with reversion.create_revision():
            reversion.set_comment(REVISION_COMMENT)
            hero = diagram(
                demo_figures.hero_figure(),
                name=data["slug"],
                alt_text=data["hero_alt_text"],
                caption=data["hero_caption"],
                focal_point=(0.45, 0.55),
            )
            article = Article(
                slug=data["slug"],
                title=data["title"],
                summary=data["summary"],
                author=author,
                hero=hero,
                body=data["body"],
                featured=data["featured"],
                status=Status.PUBLISHED,
            )
            # Renders the Markdown and links the embedded drills, as the admin does.
            save_article(article)
            article.topics.set([topics[slug] for slug in data["topics"]])
            for position, source in enumerate(data["sources"], start=1):
                Source.objects.create(article=article, position=position, **source)
        self.report(article, created=True)
        return article
