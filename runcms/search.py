"""Search: one rule for every surface that finds content by words (the API's `search`, the site's `?q=`).

Apps register each searchable model in `AppConfig.ready()` with what is searched and how
much each part weighs (`register(Drill, [("title", "A"), ...])`): pairs of (lookup, weight),
weight "A" (most important) to "D"; a lookup may cross relations (`steps__text`,
`primary_muscles__name`). Translated text is searched in the active language, falling back as
its pages do. On PostgreSQL that becomes a full-text search with the language's configuration
(stemmed, so "hamstring" finds "Hamstrings"), best match first. Elsewhere (SQLite) every
word must be in some part, in any case; each word is one condition of id subqueries
without joins, so the work grows with the number of words and never multiplies.
"""

from functools import reduce
from operator import add

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import F, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce, NullIf

from runcms import languages

# PostgreSQL's text-search configuration per language (stemming, stop words); others use "simple".
SEARCH_CONFIGS = {
    "da": "danish", "de": "german", "en": "english", "es": "spanish", "fi": "finnish", "fr": "french",
    "hu": "hungarian", "it": "italian", "nb": "norwegian", "nl": "dutch", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sv": "swedish", "tr": "turkish",
}
# On SQLite each word is a condition of its own; more words than this are ignored.
MAX_SEARCH_WORDS = 12

_documents: dict = {}


def register(model, document):
    """Make `model` searchable: `document` is its (lookup, weight) pairs, weight "A" weighing most."""
    _documents[model] = tuple(document)


def document_of(model):
    """The (lookup, weight) pairs registered for `model`."""
    try:
        return _documents[model]
    except KeyError:
        raise ImproperlyConfigured(
            f"{model.__name__} is not registered for search: call runcms.search.register() in its app's ready()."
        ) from None


def search(queryset, text):
    """`queryset` narrowed to the items matching `text`, best first on PostgreSQL; all of it for blank text."""
    text = (text or "").strip()
    if not text:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return _ranked(queryset, text)
    return _every_word(queryset, text)


def _ranked(queryset, text):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    model = queryset.model
    config = search_config(languages.active())
    vector = reduce(
        add,
        (SearchVector(_text_of(model, lookup), weight=weight, config=config) for lookup, weight in document_of(model)),
    )
    query = SearchQuery(text, search_type="websearch", config=config)
    # Ties keep the list's own order, and the primary key makes paging stable.
    order = [*(queryset.query.order_by or model._meta.ordering), "pk"]
    return (
        queryset.annotate(search_vector=vector)
        .filter(search_vector=query)
        .annotate(search_rank=SearchRank(F("search_vector"), query))
        .order_by("-search_rank", *order)
    )


def search_config(language):
    """The text-search configuration of `language` (e.g. "german" for de and de-at)."""
    return SEARCH_CONFIGS.get(language, SEARCH_CONFIGS.get(language.split("-")[0], "simple"))


def _text_of(model, lookup):
    """The text at `lookup` in the active language (after fallback): the field itself, or all the related
    rows' texts joined into one."""
    text = _in_language(model, lookup)
    if not _is_multi_valued(model, lookup):
        return text
    from django.contrib.postgres.aggregates import StringAgg

    rows = model._base_manager.filter(pk=OuterRef("pk")).order_by().values("pk")
    return Subquery(rows.annotate(joined=StringAgg(text, " ")).values("joined")[:1])


def _columns(model, lookup):
    """The lookups of the text at `lookup` along the active language's fallback chain (one when not translated)."""
    *path, name = lookup.split("__")
    for step in path:
        model = model._meta.get_field(step).related_model
    if name not in languages.translated_fields(model):
        return [lookup]
    prefix = "".join(f"{step}__" for step in path)
    return [prefix + languages.column(name, code) for code in languages.chain(languages.active())]


def _in_language(model, lookup):
    columns = _columns(model, lookup)
    if len(columns) == 1:
        return F(columns[0])
    return Coalesce(*(NullIf(F(column), Value("")) for column in columns), output_field=TextField())


def _is_multi_valued(model, lookup):
    for name in lookup.split("__")[:-1]:
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        model = field.related_model
    return False


def _every_word(queryset, text):
    model = queryset.model
    conditions = (
        reduce(Q.__or__, (_contains(model, lookup, word) for lookup, _ in document_of(model)))
        for word in text.split()[:MAX_SEARCH_WORDS]
    )
    return queryset.filter(*conditions)


def _contains(model, lookup, word):
    """Items of `model` whose text at `lookup` contains `word`, as a condition on their own columns.

    A relation becomes an id subquery rather than a join: a join per word of steps, cues or
    muscles would multiply the rows with every word.
    """
    name, _, rest = lookup.partition("__")
    if not rest:
        return reduce(Q.__or__, (Q(**{f"{column}__icontains": word}) for column in _columns(model, name)))
    field = model._meta.get_field(name)
    related = field.related_model
    matching = related._base_manager.filter(_contains(related, rest, word))
    if field.many_to_one or field.one_to_one and field.concrete:
        return Q(**{f"{name}__in": matching.values("pk")})
    if field.one_to_many:
        return Q(pk__in=matching.values(field.field.attname))
    if field.many_to_many and field.concrete:
        through = field.remote_field.through
        rows = through._base_manager.filter(**{f"{field.m2m_reverse_field_name()}__in": matching.values("pk")})
        return Q(pk__in=rows.values(field.m2m_field_name()))
    raise ValueError(f"Search cannot look in {model.__name__} through {lookup}")
