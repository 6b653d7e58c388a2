"""List filters of the article endpoint (django-filter)."""

import django_filters

from articles.models import Article
from runcms.api.filters import BooleanFilter, SearchFilter, UpdatedSinceFilter


class ArticleFilter(django_filters.FilterSet):
    topic = django_filters.CharFilter(method="filter_topic", label="Only articles about the topic with this slug.")
    author = django_filters.CharFilter(field_name="author__slug", label="Only articles by the author with this slug.")
    featured = BooleanFilter(label="Only articles featured on the home page (true) or not (false).")
    search = SearchFilter(
        label="Words to find in the title, summary and body. Results come best match first on PostgreSQL.",
    )
    updated_since = UpdatedSinceFilter(collection="articles")

    class Meta:
        model = Article
        fields = []

    def filter_topic(self, queryset, name, value):
        return queryset.filter(pk__in=Article.objects.filter(topics__slug=value).values("pk"))
