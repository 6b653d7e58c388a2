"""Review before publishing: a contributor submits an item with a message, a publisher approves
it (publishing it now or at a set time) or asks for changes with a comment the author sees.

Every step is also a revision of the item with a comment saying who did what, so the item's
History tells the whole story; the publishers, and then the author, are told by e-mail.
"""

import reversion
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from runcms import drafts
from runcms.formats import admin_time
from runcms.models import Outcome, Review, ReviewQuerySet  # noqa: F401 (runcms.review.Review, as before)
from runcms.publishing import Status
from runcms.roles import publish_permission
from runcms.translation_status import changed_languages


def current_review(obj):
    """The item's latest submission, decided or not; None if it was never submitted."""
    return Review.objects.of(obj).select_related("submitted_by", "reviewed_by").first()


def submit(obj, user, message, admin_url):
    """Put `obj` in the review queue and tell the publishers. Refuses (ValueError) a second submission."""
    with transaction.atomic():
        if Review.objects.of(obj).awaiting().select_for_update().exists():
            raise ValueError(f"“{obj}” is already waiting for review.")
        last_decision = Review.objects.of(obj).filter(decided_at__isnull=False).order_by("-decided_at").first()
        draft = drafts.draft_of(obj)
        review = Review.objects.create(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
            object_repr=(draft.object_repr if draft else str(obj))[:200],
            message=message, submitted_by=user, draft_change=draft is not None,
            languages=" ".join(changed_languages(obj, since=last_decision and last_decision.decided_at)),
        )
        _log(obj, user, f"Submitted for review{_quoted(message)}")
        recipients = _publishers_of(type(obj)).exclude(pk=user.pk)
        _notify(
            recipients,
            f"Review requested: {obj}",
            f"{user.get_username()} submitted {'changes to the live' if draft else 'the'} "
            f"{obj._meta.verbose_name} “{obj}” for review"
            f"{_quoted(message)}.\n\nReview it here: {admin_url}",
        )
    return review


def approve(obj, user, comment, admin_url, publish_at=None):
    """Publish the item, now or at `publish_at`, and close its review; tell the author."""
    now = timezone.now()
    with transaction.atomic():
        review = _awaiting(obj)
        draft = drafts.DraftChange.objects.of(obj).first() if review.draft_change else None
        if draft is not None:
            return _approve_draft(obj, draft, review, user, comment, admin_url, publish_at)
        obj.status = Status.PUBLISHED
        obj.publish_at = publish_at if publish_at and publish_at > now else None
        if obj.unpublish_at and obj.unpublish_at <= (obj.publish_at or now):
            obj.unpublish_at = None  # an end already passed would hide what was just approved
        obj.updated_by = user
        when = f"scheduled for {admin_time(obj.publish_at)}" if obj.publish_at else "published"
        _log(obj, user, f"Approved and {when}{_quoted(comment)}", save=True)
        _decide(review, user, Outcome.APPROVED, comment)
        _notify(
            _author(review), f"Approved: {obj}",
            f"{user.get_username()} approved “{obj}”: it is {when}{_quoted(comment)}.\n\n{admin_url}",
        )
    return review


def _approve_draft(obj, draft, review, user, comment, admin_url, publish_at):
    """Approving changes to a live item publishes its draft change, now or at `publish_at`."""
    publish_at = publish_at if publish_at and publish_at > timezone.now() else None
    when = drafts.release_text(publish_at)
    if publish_at is None:
        obj = drafts.publish(draft, user)
    else:
        drafts.schedule(draft, user, publish_at)
    _log(obj, user, f"Approved the changes: {when}{_quoted(comment)}")
    _decide(review, user, Outcome.APPROVED, comment)
    _notify(
        _author(review), f"Approved: {obj}",
        f"{user.get_username()} approved your changes to “{obj}”: they are {when}{_quoted(comment)}.\n\n{admin_url}",
    )
    return review


def request_changes(obj, user, comment, admin_url):
    """Send the item back to its author with the reviewer's comment; it stays a draft."""
    with transaction.atomic():
        review = _awaiting(obj)
        _log(obj, user, f"Changes requested{_quoted(comment)}")
        _decide(review, user, Outcome.CHANGES_REQUESTED, comment)
        _notify(
            _author(review), f"Changes requested: {obj}",
            f"{user.get_username()} asked for changes to “{obj}”{_quoted(comment)}.\n\n{admin_url}",
        )
    return review


def _awaiting(obj):
    review = Review.objects.of(obj).awaiting().select_for_update(of=("self",)).select_related("submitted_by").first()
    if review is None:
        raise ValueError(f"“{obj}” is not waiting for review (someone may have decided on it already).")
    return review


def _decide(review, user, outcome, comment):
    review.outcome, review.comment, review.reviewed_by, review.decided_at = outcome, comment, user, timezone.now()
    review.save()


def _log(obj, user, comment, save=False):
    # A revision with a comment is a line of the item's History: who did what, when.
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        if save:
            obj.save()
        else:
            reversion.add_to_revision(obj)


def _quoted(text):
    return f": “{text.strip()}”" if text.strip() else ""


def _publishers_of(model):
    app_label, codename = publish_permission(model).split(".")
    has_it = Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label) | Q(
        groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label
    )
    return get_user_model().objects.filter(has_it | Q(is_superuser=True), is_active=True).distinct()


def _author(review):
    User = get_user_model()
    return User.objects.filter(pk=review.submitted_by_id, is_active=True)


def _notify(users, subject, body):
    addresses = sorted({user.email for user in users if user.email})
    if addresses:
        # After the commit: a refused review sends no mail; a failing mail server fails no review.
        transaction.on_commit(
            lambda: send_mail(f"[runcms] {subject}", body, None, addresses, fail_silently=True)
        )
