"""API v1 of articles and topics: serializers, filters, viewsets, sync registration."""

from articles.api.views import ArticleViewSet, TopicViewSet

# (URL prefix, viewset, route name) for runcms/urls.py.
ROUTES = [
    ("articles", ArticleViewSet, "article"),
    ("topics", TopicViewSet, "topic"),
]
