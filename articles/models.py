import reversion
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse

from drills.models import CueMedia, Drill, MediaKind, Taxonomy, register_media_use
from runcms.publishing import PUBLISHABLE_PERMISSIONS, Publishable, PublishableQuerySet, schedule_constraint
from runcms.slugs import SlugHistory, track_slug_history


@reversion.register()
class Topic(Taxonomy):
    public_uses = (("articles.Article", "topics"),)

    def get_absolute_url(self):
        return reverse("topic-detail", kwargs={"slug": self.slug})


@reversion.register()
class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField("short bio", blank=True, max_length=600)
    photo = models.ForeignKey(
        CueMedia, null=True, blank=True, on_delete=models.SET_NULL, related_name="author_photos",
        limit_choices_to={"kind": MediaKind.IMAGE},
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ArticleQuerySet(PublishableQuerySet):
    def for_api(self):
        return self.select_related("author__photo", "hero").prefetch_related(
            "topics",
            "sources",
            "hero__renditions",
            "author__photo__renditions",
            Prefetch("related_drills", queryset=Drill.objects.published().for_links()),
            Prefetch("embedded_media", queryset=CueMedia.objects.with_renditions()),
        )

    def for_api_list(self):
        return self.for_cards().select_related("author__photo").prefetch_related("author__photo__renditions")

    def for_cards(self):
        # Lists and the home page: one query for articles + author + hero, one each
        # for topics and hero renditions; none per article.
        return self.select_related("author", "hero").prefetch_related("topics", "hero__renditions")

    def for_page(self):
        return self.for_cards().select_related("author__photo").prefetch_related(
            "sources",
            "author__photo__renditions",
            Prefetch("related_drills", queryset=Drill.objects.published().only("id", "slug", "title")),
        )


@reversion.register(follow=["sources"])
@track_slug_history
class Article(SlugHistory, Publishable):
    slug = models.SlugField(
        max_length=200, unique=True,
        help_text="The last part of the web address, e.g. /articles/the-pull/. "
        "You can change it; the old address keeps working.",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=500, help_text="One or two sentences for lists, search results and sharing.")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="articles")
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    hero = models.ForeignKey(
        CueMedia, null=True, blank=True, on_delete=models.SET_NULL, related_name="article_heroes",
        limit_choices_to={"kind__in": [MediaKind.IMAGE, MediaKind.ANIMATION]},
        help_text="The large image at the top of the article and in shared links.",
    )
    body = models.TextField(
        help_text="Markdown. Put a drill card on a line of its own with [[drill:slug]], "
        "and a picture, video or audio with [[media:id]].",
    )
    body_html = models.TextField(blank=True, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    related_drills = models.ManyToManyField(
        Drill, blank=True, editable=False, related_name="articles",
        help_text="Derived from the drills embedded in the body.",
    )
    embedded_media = models.ManyToManyField(CueMedia, blank=True, editable=False, related_name="article_embeds")
    featured = models.BooleanField(default=False, help_text="Show on the home page.")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-first_published_at", "-created_at"]
        default_permissions = PUBLISHABLE_PERMISSIONS
        indexes = [
            models.Index(fields=["status", "publish_at", "unpublish_at"], name="article_visibility"),
            # The API list's page, in order: newest first, the id last.
            models.Index(fields=["-first_published_at", "-created_at", "id"], name="article_list_order"),
        ]
        constraints = [schedule_constraint("article")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("article-detail", kwargs={"slug": self.slug})


@reversion.register()
class Source(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    position = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(9999)])
    title = models.CharField(max_length=300, help_text="e.g. the book title.")
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField(blank=True, help_text="Optional link; must start with http:// or https://.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


register_media_use("article_heroes", Article)
register_media_use("article_embeds", Article)
# An author's photo is shown on their published articles, so it is public with them.
register_media_use("author_photos__articles", Article)
