"""Drill embeds in stored bodies get the id of the drill they meant (see articles.markdown.link_drills).

The drill an article meant is the one it was linked to when it was saved (`related_drills`,
kept by id), found by its current slug or one of its old slugs; only a slug none of those
drills ever had is looked up among all drills, as a save would.
"""

import re

from django.db import migrations

_SLUG = r"[a-z0-9_-]+"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_UNLINKED = re.compile(rf'<div data-embed="drill" data-ref="(?P<slug>{_SLUG})"></div>')
_LINKED = re.compile(rf'(<div data-embed="drill" data-ref="{_SLUG}") data-id="{_UUID}"(></div>)')


def link(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Drill = apps.get_model("drills", "Drill")
    OldSlug = apps.get_model("runcms", "OldSlug")
    ContentType = apps.get_model("contenttypes", "ContentType")
    drill_type = ContentType.objects.filter(app_label="drills", model="drill").first()
    old_slugs = OldSlug.objects.filter(content_type=drill_type) if drill_type else OldSlug.objects.none()
    for article in Article.objects.filter(body_html__contains='data-embed="drill"').iterator():
        slugs = set(_UNLINKED.findall(article.body_html))
        if not slugs:
            continue
        linked = [str(pk) for pk in article.related_drills.values_list("pk", flat=True)]
        found = {}
        for scope in (Drill.objects.filter(pk__in=linked), Drill.objects.all()):
            missing = slugs - found.keys()
            ids = {str(pk) for pk in scope.values_list("pk", flat=True)} if missing else set()
            found.update(dict(scope.filter(slug__in=missing).values_list("slug", "pk")))
            for slug, pk in old_slugs.filter(slug__in=missing - found.keys()).values_list("slug", "object_id"):
                if str(pk) in ids:
                    found[slug] = pk

        def placeholder(match, found=found):
            pk = found.get(match["slug"])
            return match[0] if pk is None else match[0].replace("></div>", f' data-id="{pk}"></div>')

        Article.objects.filter(pk=article.pk).update(body_html=_UNLINKED.sub(placeholder, article.body_html))


def unlink(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.filter(body_html__contains=" data-id=").iterator():
        Article.objects.filter(pk=article.pk).update(body_html=_LINKED.sub(r"\1\2", article.body_html))


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0004_backfill_media_first_public_at"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("drills", "0005_cuemedia_first_public_at"),
        ("runcms", "0002_changelog"),
    ]

    operations = [
        migrations.RunPython(link, unlink),
    ]
