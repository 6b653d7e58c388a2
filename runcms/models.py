from django.contrib.contenttypes.models import ContentType
from django.db import models


class OldSlug(models.Model):
    """A slug an item used to have, so shared links and app bookmarks keep working (rule 5)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.UUIDField(db_index=True)
    slug = models.SlugField(max_length=200)
    retired_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "slug"], name="unique_old_slug_per_type"),
        ]

    def __str__(self):
        return self.slug
