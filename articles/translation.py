"""The text of articles and topics in every content language (django-modeltranslation; see drills/translation.py).

The body's HTML is rendered from the body of its own language, embeds included.
"""

from modeltranslation.translator import TranslationOptions, register

from articles.models import Article, Topic
from drills.translation import TaxonomyTranslation
from runcms.languages import keep_in_revisions

register(Topic)(TaxonomyTranslation)


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "body_html")


keep_in_revisions(Article, Topic)
