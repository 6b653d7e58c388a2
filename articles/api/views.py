"""API v1 endpoints of articles and topics."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from articles.api.filters import ArticleFilter
from articles.api.serializers import ArticleSerializer, ArticleSummarySerializer, TopicSerializer
from articles.models import Article, Topic
from drills.api.views import TermViewSet
from runcms.api.views import ContentViewSet


@extend_schema_view(
    list=extend_schema(summary="Published articles", description="Newest first; with `search`, best match first."),
    retrieve=extend_schema(summary="One article, in full"),
)
class ArticleViewSet(ContentViewSet):
    model = Article
    serializer_class = ArticleSerializer
    list_serializer_class = ArticleSummarySerializer
    filterset_class = ArticleFilter
    etag_collections = ("articles",)


@extend_schema_view(list=extend_schema(summary="Topics of published articles"))
class TopicViewSet(TermViewSet):
    """Only topics that some published article is about (a draft's new topic stays private)."""

    model = Topic
    serializer_class = TopicSerializer
    etag_collections = ("articles",)
