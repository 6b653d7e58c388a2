
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join

from articles.embeds import expand_body
from articles.markdown import BodyTooComplex, one_parse_per_body, render_markdown
from articles.models import Article, Author, Source, Topic
from articles.services import check_embeds, embed_problems, link_embeds, linked_html, render_body
from drills.admin import OrderedInline, TaxonomyAdmin
from runcms import languages
from runcms.admin import (
    ConcurrencyForm,
    HistoryAdmin,
    PublishableAdmin,
    SafeAutocompleteMixin,
    WorkflowFilter,
)
from runcms.admin.translations import TranslationsAdminMixin
from runcms.publishing import Status

# A long article is some 5,000 words; this leaves ample room and keeps a
# save or a preview request from tying up a server.
BODY_MAX_CHARS = 200_000

admin.site.register(Topic, TaxonomyAdmin)


@admin.register(Author)
class AuthorAdmin(SafeAutocompleteMixin, HistoryAdmin):
    list_display = ("name", "slug", "updated_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("photo",)


class SourceInline(OrderedInline):
    model = Source
    fields = ("position", "title", "author", "url")
    extra = 1
    verbose_name = "source"
    verbose_name_plural = "sources and citations (books, articles, coaches), in the order shown"
    # A link typed without a scheme ("example.com/book") is read as https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class MarkdownEditor(forms.Textarea):
    """A Markdown textarea with a live preview rendered by the server, exactly as the page."""

    template_name = "articles/admin/markdown_editor.html"

    class Media:
        js = ("articles/admin/markdown-editor.js",)
        css = {"all": ("articles/admin/markdown-editor.css",)}

    def __init__(self, preview_url, attrs=None):
        super().__init__(attrs={"rows": 24, "spellcheck": "true", **(attrs or {})})
        self.preview_url = preview_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["preview_url"] = self.preview_url
        return context


class ArticleForm(ConcurrencyForm):
    """Refuses a body the page cannot show; notes what readers will miss (`embed_warnings`).

    The body is rendered once, here; the admin saves that rendering (`rendered_body`).
    """

    embed_warnings = ()
    rendered_body = None

    def clean(self):
        cleaned = super().clean()
        live_from = None
        if cleaned.get("status") == Status.PUBLISHED:
            live_from = cleaned.get("publish_at") or timezone.now()
        if "body" in cleaned:
            self.rendered_body = self._check_body("body", live_from)
        # A translated body is what its language's pages and API show: it is checked the same way.
        for code in languages.stored():
            name = languages.column("body", code)
            if not languages.is_default(code) and cleaned.get(name):
                self._check_body(name, live_from, f"{languages.name(code)}: ")
        return cleaned

    def _check_body(self, name, live_from, prefix=""):
        """Render the body in field `name`, adding its errors to the field; its rendering, or None if refused."""
        body = self.cleaned_data[name]
        if len(body) > BODY_MAX_CHARS:
            self.add_error(name, ValidationError(
                f"The body has {len(body):,} characters; at most {BODY_MAX_CHARS:,} fit in one article. "
                "Split it into several articles."
            ))
            return None
        try:
            rendered = render_markdown(body)
        except BodyTooComplex as error:
            self.add_error(name, ValidationError(str(error)))
            return None
        check = check_embeds(rendered, live_from)
        for line, message in check.errors:
            error = ValidationError("Line %(line)s: %(message)s", params={"line": line, "message": message})
            self.add_error(name, error)
        warnings = [f"{prefix}Line {line}: {message}" for line, message in check.warnings]
        self.embed_warnings = [*self.embed_warnings, *warnings]
        return rendered


@admin.register(Article)
class ArticleAdmin(TranslationsAdminMixin, PublishableAdmin):
    form = ArticleForm
    list_display = ("title", "author", "featured", *PublishableAdmin.list_display[1:])
    list_filter = (WorkflowFilter, "featured", "topics", "author")
    list_select_related = ("author", "updated_by")
    search_fields = ("title", "slug", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("author", "topics", "hero")
    inlines = (SourceInline,)
    readonly_fields = (*PublishableAdmin.readonly_fields, "reading_minutes", "related_drill_list")
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "author", "topics", "hero", "featured")}),
        (
            "Body",
            {
                "fields": ("body", "reading_minutes", "related_drill_list"),
                "description": "The preview beside the text shows the article exactly as readers will see it.",
            },
        ),
        PublishableAdmin.workflow_fieldset,
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = MarkdownEditor(preview_url=reverse("admin:articles_article_markdown_preview"))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="related drills")
    def related_drill_list(self, obj):
        drills = obj.related_drills.all() if obj.pk else []
        return format_html_join(", ", "{}", ((drill.title,) for drill in drills)) or "Embed drills in the body."

    def changeform_view(self, request, *args, **kwargs):
        # The form renders the body while checking it; the save reuses that parse.
        with one_parse_per_body():
            return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        render_body(obj, getattr(form, "rendered_body", None))
        super().save_model(request, obj, form, change)
        for warning in form.embed_warnings:
            self.message_user(request, f"Saved, but readers will not see everything: {warning}", messages.WARNING)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        link_embeds(form.instance)

    def get_urls(self):
        preview = path(
            "markdown-preview/",
            self.admin_site.admin_view(self.markdown_preview),
            name="articles_article_markdown_preview",
        )
        return [preview, *super().get_urls()]

    def markdown_preview(self, request):
        """The posted body rendered through the public pipeline, as a page, with its embed problems."""
        if request.method != "POST":
            return JsonResponse({"detail": "Send the body with POST."}, status=405, headers={"Allow": "POST"})
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        body = request.POST.get("body", "")
        if len(body) > BODY_MAX_CHARS:
            return JsonResponse(
                {"detail": f"The body is too long to preview: at most {BODY_MAX_CHARS:,} characters."},
                status=400,
            )
        try:
            rendered = render_markdown(body)
        except BodyTooComplex as error:
            return JsonResponse({"detail": f"The body cannot be previewed. {error}"}, status=400)
        title_field, summary_field = Article._meta.get_field("title"), Article._meta.get_field("summary")
        context = {
            "title": request.POST.get("title", "")[: title_field.max_length],
            "summary": request.POST.get("summary", "")[: summary_field.max_length],
            "body": expand_body(linked_html(rendered)),
            "meta": {"document_title": "Preview", "noindex": True},
        }
        problems = [f"Line {line}: {message}" for line, message in embed_problems(rendered)]
        html = render_to_string("articles/body_preview.html", context, request=request)
        return JsonResponse({"html": html, "problems": problems})
