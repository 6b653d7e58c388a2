"""The site's languages: which are on, the fallback chain of each, and which one a request asks for.

Text is translated with django-modeltranslation: every translated field has a column per
content language on the model's own row (`title_en`, `title_de`…), and reading `obj.title`
gives the active language's text or the first one along its fallback chain. So an object
reads in any language with no extra query. Settings (see runcms/settings.py): `LANGUAGES`
(the languages published), `LANGUAGE_CODE` (the default) and `LANGUAGE_FALLBACKS`.
"""

import reversion
from django.conf import settings
from django.db.models import F
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.utils.translation.trans_real import parse_accept_lang_header
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname, resolution_order
from reversion.revisions import _get_options


class UnknownLanguage(ValueError):
    """A language the site does not publish in was asked for by name."""


def default():
    return settings.LANGUAGE_CODE


def enabled():
    """The codes of the languages published, the default first."""
    return [code for code, _ in settings.LANGUAGES]


def stored():
    """The languages text has columns for (CONTENT_LANGUAGES), published or not."""
    return list(settings.MODELTRANSLATION_LANGUAGES)


def name(code):
    """The language's name in English, as settings.LANGUAGES gives it (e.g. "German")."""
    return dict(settings.LANGUAGES).get(code, code)


def is_default(code):
    return code == default()


def chain(code):
    """The languages text is looked for in when asked for `code`: itself, its fallbacks, the default.

    Only published languages: a fallback that is not on is skipped.
    """
    on = set(enabled())
    order = [code, *settings.LANGUAGE_FALLBACKS.get(code, ()), default()]
    return tuple(lang for lang in dict.fromkeys(order) if lang in on)


def choose(requested=None, accept_language=""):
    """The published language a client asked for: `requested` (`?lang=`) by name, else the best of its
    Accept-Language header, else the default. An unknown `requested` raises UnknownLanguage."""
    on = enabled()
    if requested is not None and requested.strip():  # `lang=` is the same as leaving it out
        code = requested.strip().lower()
        if code in on:
            return code
        raise UnknownLanguage(
            f"“{requested[:20]}” is not a language this site publishes in; choose one of {', '.join(on)}."
        )
    for tag, _ in parse_accept_lang_header(accept_language or ""):
        tag = tag.lower()
        if tag == "*":
            break
        for code in (tag, tag.split("-")[0]):
            if code in on:
                return code
        # zh-tw and zh-hk read traditional, zh-cn and zh-sg simplified Chinese
        script = {"zh-tw": "zh-hant", "zh-hk": "zh-hant", "zh-mo": "zh-hant", "zh-cn": "zh-hans", "zh-sg": "zh-hans"}
        if script.get(tag) in on:
            return script[tag]
    return default()


def of_request(request):
    """The language a request asks for, by `?lang=` or its Accept-Language header; raises UnknownLanguage."""
    return choose(request.GET.get("lang"), request.headers.get("Accept-Language", ""))


class PathLanguageMiddleware:
    """Pages answer in the language of their address: /de/drills/… in German, unprefixed ones in the default.

    Only the path counts (not Accept-Language or a cookie): an address shows one language to
    everyone, so it can be shared, cached and indexed. The admin works in the default
    language; the API chooses its own (`?lang=`, Accept-Language).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = get_language_from_path(request.path_info) or default()
        with translation.override(code):
            request.LANGUAGE_CODE = code
            return self.get_response(request)


def translated_fields(model):
    """The names of `model`'s translated fields (empty when it has none)."""
    try:
        return tuple(translator.get_options_for_model(model).get_field_names())
    except NotRegistered:
        return ()


def column(field, code):
    """The column holding `field` in language `code`, e.g. title_zh_hans."""
    return build_localized_fieldname(field, code)


def key_field(model):
    """The field whose text says a translation exists: its title or name (else its first translated one)."""
    fields = translated_fields(model)
    return next((name for name in ("title", "name") if name in fields), fields[0] if fields else None)


def available(obj, fields=None):
    """The published languages `obj` has text in (its first translated field filled), the default first."""
    names = fields or translated_fields(type(obj))
    found = []
    for code in enabled():
        if is_default(code) or any(getattr(obj, column(name, code), None) for name in names):
            found.append(code)
    return found


def language_of(obj, code=None, fields=None):
    """The language `obj` shows its text in when asked for `code` (default: the active language), after fallback."""
    code = code or active()
    has = set(available(obj, fields))
    return next((lang for lang in chain(code) if lang in has), default())


def field_language(obj, field):
    """The language `obj.<field>` shows its text in for the active language: the first along its fallback
    chain that has text (as django-modeltranslation reads it), or None when no language has any."""
    order = resolution_order(translation.get_language() or default())
    return next((code for code in order if getattr(obj, column(field, code), None)), None)


def active():
    """The active language when it is published, else the default."""
    code = translation.get_language() or default()
    return code if code in enabled() else default()


def keep_in_revisions(*models):
    """Make django-reversion's revisions (history, undo, recover) hold every language's text.

    django-reversion fixes the fields a revision holds when a model registers, before
    django-modeltranslation adds the translation columns: register each model again with them,
    following what it followed. (Its options can only be read through `_get_options`.)
    """
    for model in models:
        if not reversion.is_registered(model):
            continue
        follow = _get_options(model).follow
        reversion.unregister(model)
        reversion.register(model, follow=follow)


def fill_default_language(apps, model_fields):
    """For a migration: copy each field's text into its default-language column, e.g. title into title_en."""
    for label, fields in model_fields.items():
        apps.get_model(label)._base_manager.update(**{column(name, default()): F(name) for name in fields})
