from django.db import migrations
from django.db.models import Min


def backfill_article_uses(apps, schema_editor):
    """drills 0005 for the media articles use: public from the first publication of an article showing it."""
    CueMedia = apps.get_model("drills", "CueMedia")
    for path in ["article_heroes", "article_embeds", "author_photos__articles"]:
        rows = CueMedia.objects.annotate(first=Min(f"{path}__first_published_at")).filter(first__isnull=False)
        for media_id, first, known in rows.values_list("pk", "first", "first_public_at"):
            if known is None or first < known:
                CueMedia.objects.filter(pk=media_id).update(first_public_at=first)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0003_sensible_limits"),
        ("drills", "0005_cuemedia_first_public_at"),
    ]

    operations = [
        migrations.RunPython(backfill_article_uses, migrations.RunPython.noop),
    ]
