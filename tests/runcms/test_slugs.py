import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404

from drills.models import Drill, Program
from runcms.models import OldSlug
from runcms.publishing import Status
from runcms.slugs import SlugMoved, get_by_slug, get_many_by_slug
from tests.factories import make_drill, make_program

pytestmark = pytest.mark.django_db


def rename(item, slug):
    item.slug = slug
    item.save()
    return item


def test_current_slug_finds_the_item():
    drill = make_drill(slug="heel-to-hip")

    assert get_by_slug(Drill.objects.published(), "heel-to-hip") == drill


def test_old_slug_points_to_the_current_one():
    drill = rename(make_drill(slug="old-name"), "new-name")

    with pytest.raises(SlugMoved) as moved:
        get_by_slug(Drill.objects.published(), "old-name")

    assert (moved.value.obj, moved.value.current_slug) == (drill, "new-name")


def test_every_earlier_slug_keeps_working_after_several_renames():
    drill = make_drill(slug="first")
    rename(drill, "second")
    rename(drill, "third")

    for old in ("first", "second"):
        with pytest.raises(SlugMoved) as moved:
            get_by_slug(Drill.objects.published(), old)
        assert moved.value.current_slug == "third"


def test_an_old_slug_of_a_draft_is_a_404_not_a_redirect():
    drill = rename(make_drill(slug="was-public"), "now-hidden")
    drill.status = Status.DRAFT
    drill.save()

    with pytest.raises(Http404):
        get_by_slug(Drill.objects.published(), "was-public")


def test_another_item_cannot_take_an_old_slug():
    owner = rename(make_drill(slug="shared", title="Heel pull"), "moved-away")

    with pytest.raises(ValidationError) as refused:
        make_drill(slug="shared")

    assert "Heel pull" in str(refused.value.message_dict["slug"])
    assert not Drill.objects.filter(slug="shared").exists()
    with pytest.raises(SlugMoved) as moved:
        get_by_slug(Drill.objects.published(), "shared")
    assert moved.value.obj == owner


def test_renaming_onto_another_items_old_slug_is_refused_by_validation():
    rename(make_drill(slug="shared", title="Heel pull"), "moved-away")
    other = make_drill(slug="other")
    other.slug = "shared"

    with pytest.raises(ValidationError) as refused:
        other.full_clean()

    assert "Heel pull" in refused.value.message_dict["slug"][0]


def test_a_released_old_slug_can_be_taken():
    rename(make_drill(slug="shared"), "moved-away")
    OldSlug.objects.filter(slug="shared").delete()  # what the admin's "old addresses" does

    newcomer = make_drill(slug="shared")

    assert get_by_slug(Drill.objects.published(), "shared") == newcomer


def test_a_current_slug_wins_over_an_old_slug_taken_before_the_rule():
    owner = make_drill(slug="moved-away")
    newcomer = make_drill(slug="shared")
    OldSlug.objects.create(content_type=ContentType.objects.get_for_model(Drill), slug="shared", object_id=owner.pk)
    newcomer.summary = "Edited since."
    newcomer.full_clean()
    newcomer.save()  # keeping the slug it has is no taking

    assert get_by_slug(Drill.objects.published(), "shared") == newcomer


def test_old_slugs_of_one_type_do_not_bind_another_type():
    rename(make_drill(slug="pull"), "pull-drill")

    assert make_program(slug="pull").slug == "pull"


def test_taking_back_an_old_slug_makes_it_current_again():
    drill = rename(make_drill(slug="a"), "b")
    rename(drill, "a")

    with pytest.raises(SlugMoved) as moved:
        get_by_slug(Drill.objects.published(), "b")
    assert get_by_slug(Drill.objects.published(), "a") == drill
    assert moved.value.current_slug == "a"


def test_old_slugs_are_per_content_type():
    rename(make_drill(slug="pull"), "pull-drill")
    make_program(slug="other")

    with pytest.raises(Http404):
        get_by_slug(Program.objects.published(), "pull")


def test_unknown_slug_is_a_404():
    with pytest.raises(Http404):
        get_by_slug(Drill.objects.published(), "nothing-here")


def test_restoring_an_older_slug_keeps_the_newer_address_working():
    from django.core import serializers

    drill = make_drill(slug="first")
    snapshot = serializers.serialize("json", [drill])
    rename(drill, "second")

    for restored in serializers.deserialize("json", snapshot):  # how django-reversion restores: a raw save
        restored.save()

    with pytest.raises(SlugMoved) as moved:
        get_by_slug(Drill.objects.published(), "second")
    assert moved.value.current_slug == "first"


def test_many_slugs_resolve_at_once_following_old_ones():
    current = make_program(slug="current")
    renamed = rename(make_program(slug="old-program"), "new-program")

    found = get_many_by_slug(Program.objects.all(), ["current", "old-program", "unknown"])

    assert found == {"current": current, "old-program": renamed}


def test_many_slugs_leave_out_an_old_slug_of_an_item_outside_the_queryset():
    rename(make_drill(slug="old-draft", status=Status.DRAFT), "new-draft")

    assert get_many_by_slug(Drill.objects.published(), ["old-draft"]) == {}


def test_many_slugs_resolve_in_the_same_few_queries_however_many(django_assert_max_num_queries):
    drills = [rename(make_drill(slug=f"old-{n}"), f"new-{n}") for n in range(5)]

    with django_assert_max_num_queries(3):
        found = get_many_by_slug(Drill.objects.all(), [f"old-{n}" for n in range(5)])

    assert found == {f"old-{n}": drill for n, drill in enumerate(drills)}
