"""How articles, their authors and topics look in API v1 (see PRODUCT.md, "API v1 contract")."""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from articles.api import examples
from articles.api.embeds import public_bodies
from articles.models import Article, Author, Source, Topic
from drills.api.serializers import DrillLinkSerializer, drill_links
from drills.media.api.serializers import MediaSerializer
from runcms.api.fields import AlwaysNullField, PageUrlField, StableIdField, TextLanguageField, TextLanguagesField
from runcms.api.help_texts import ID, PUBLISHED_OR_DRAFT, UPDATED
from runcms.links import public_url


@extend_schema_serializer(examples=examples.TOPIC_EXAMPLES)
class TopicSerializer(serializers.ModelSerializer):
    id = StableIdField(help_text=ID)
    url = PageUrlField(help_text="Absolute URL of the topic's public page.")
    published_at = AlwaysNullField(help_text="Always null: topics are not published on their own.")

    language = TextLanguageField()
    languages = TextLanguagesField()

    class Meta:
        model = Topic
        fields = ["id", "slug", "name", "description", "url", "language", "languages", "updated_at", "published_at"]
        extra_kwargs = {
            "slug": {"help_text": "Short name used in URLs and the articles' `topic` filter."},
            "name": {"help_text": "Name to show."},
            "description": {"help_text": "Optional longer explanation; may be empty."},
            "updated_at": {"help_text": UPDATED},
        }


class AuthorSerializer(serializers.ModelSerializer):
    """Authors have no page: `url` is the API list of their published articles."""

    id = StableIdField(help_text=ID)
    url = serializers.SerializerMethodField(help_text="Absolute URL of the API list of the author's articles.")
    photo = MediaSerializer(allow_null=True, help_text="Portrait; null when there is none.")
    published_at = AlwaysNullField(help_text="Always null: authors are not published on their own.")

    class Meta:
        model = Author
        fields = ["id", "slug", "name", "bio", "photo", "url", "updated_at", "published_at"]
        extra_kwargs = {
            "slug": {"help_text": "Short name used in the articles' `author` filter."},
            "name": {"help_text": "Name to show."},
            "bio": {"help_text": "Short biography; may be empty."},
            "updated_at": {"help_text": UPDATED},
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, author):
        path = reverse("api:article-list") + "?" + urlencode({"author": author.slug})
        return public_url(path, self.context["request"])


# A link or nothing. Not drf-spectacular's `oneOf` of a URI and an empty string: a validator that
# does not check formats finds "" matching both, so it refuses the response.
@extend_schema_field({"type": "string", "maxLength": 200, "pattern": "^([a-zA-Z][a-zA-Z0-9+.-]*://\\S+)?$"})
class OptionalUrlField(serializers.CharField):
    pass


class SourceSerializer(serializers.ModelSerializer):
    url = OptionalUrlField(read_only=True, help_text="Absolute link to it (http or https), or an empty string.")

    class Meta:
        model = Source
        fields = ["title", "author", "url"]
        extra_kwargs = {
            "title": {"help_text": "Title of the source, e.g. a book."},
            "author": {"help_text": "Who wrote it; may be empty."},
        }


@extend_schema_serializer(examples=examples.ARTICLE_SUMMARY_EXAMPLES)
class ArticleSummarySerializer(serializers.ModelSerializer):
    """An article as lists show it; the detail endpoint and sync add the body, sources and embeds."""

    id = serializers.UUIDField(read_only=True, help_text=ID)
    url = PageUrlField(help_text="Absolute URL of the article's public page.")
    author = AuthorSerializer(help_text="Who wrote it.")
    topics = TopicSerializer(many=True, help_text="What it is about.")
    hero = MediaSerializer(allow_null=True, help_text="The large picture at the top; null when there is none.")
    published_at = serializers.DateTimeField(source="first_published_at", allow_null=True, help_text=PUBLISHED_OR_DRAFT)

    language = TextLanguageField()
    languages = TextLanguagesField()

    class Meta:
        model = Article
        fields = [
            "id", "slug", "url", "title", "summary", "author", "topics", "hero", "featured", "reading_minutes",
            "language", "languages", "updated_at", "published_at",
        ]
        extra_kwargs = {
            "slug": {"help_text": "Part of the URL; can change (an old slug redirects), unlike `id`."},
            "title": {"help_text": "Title of the article."},
            "summary": {"help_text": "One or two sentences for lists, search results and sharing."},
            "featured": {"help_text": "True when editors feature it on the home page."},
            "reading_minutes": {"help_text": "Estimated reading time in minutes."},
            "updated_at": {"help_text": UPDATED},
        }


# Serializer context key: {article id: (body, body_html)} as the public may see them.
PUBLIC_BODIES = "article_public_bodies"


class ArticleListSerializer(serializers.ListSerializer):
    """Articles in full, many at once (sync): their bodies are cleaned of hidden embeds together."""

    def to_representation(self, data):
        articles = list(data.all() if hasattr(data, "all") else data)
        self.context[PUBLIC_BODIES] = public_bodies(articles)
        return super().to_representation(articles)


@extend_schema_serializer(examples=examples.ARTICLE_EXAMPLES)
class ArticleSerializer(ArticleSummarySerializer):
    """An article in full: the detail endpoint and sync.

    `body` and `body_html` leave out embeds of drills and media the public cannot see
    (see `articles.api.embeds`).
    """

    sources = SourceSerializer(many=True, help_text="Sources and citations, in order.")
    related_drills = serializers.SerializerMethodField(help_text="Published drills the body embeds.")
    media = serializers.SerializerMethodField(
        help_text="Public media the body embeds, in the order they appear; find each by its `id` in `body_html`."
    )

    class Meta(ArticleSummarySerializer.Meta):
        list_serializer_class = ArticleListSerializer
        fields = [
            *ArticleSummarySerializer.Meta.fields[:-2],
            "body", "body_html", "sources", "related_drills", "media", "updated_at", "published_at",
        ]
        extra_kwargs = {
            **ArticleSummarySerializer.Meta.extra_kwargs,
            "body": {
                "help_text": "The body as the editor wrote it, in Markdown with [[drill:slug]] and [[media:id]] "
                "embeds; a drill's embed names its current slug. "
                "Embeds of drills that are not published, or of media that no longer exists, are left out."
            },
            "body_html": {
                "help_text": 'The body as sanitised HTML. Each embed is an empty <div data-embed="drill" '
                'data-ref="slug"> or <div data-embed="media" data-ref="id"> to fill from `related_drills` and `media`; '
                "a drill's embed names its current slug, even when the editor wrote an old one. "
                "Embeds of drills that are not published, or of media that no longer exists, are left out."
            },
        }

    def to_representation(self, article):
        data = super().to_representation(article)
        bodies = self.context.get(PUBLIC_BODIES) or {}
        if article.pk not in bodies:  # a detail: one article alone
            bodies = public_bodies([article])
        data["body"], data["body_html"] = bodies[article.pk]
        return data

    @extend_schema_field(DrillLinkSerializer(many=True))
    def get_related_drills(self, article):
        return drill_links(article.related_drills.all(), self.context)

    @extend_schema_field(MediaSerializer(many=True))
    def get_media(self, article):
        def place(media):
            at = article.body_html.find(str(media.pk))
            return (at if at >= 0 else len(article.body_html), str(media.pk))

        embedded = sorted(article.embedded_media.all(), key=place)
        return MediaSerializer(embedded, many=True, context=self.context).data
