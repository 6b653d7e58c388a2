import pytest
from django.core.exceptions import ImproperlyConfigured

from drills.models import Drill, Program
from runcms.search import search
from tests.factories import make_drill

pytestmark = pytest.mark.django_db


def test_search_looks_in_what_the_app_registered_for_the_model():
    drill = make_drill(title="Wall drill", steps=["Lean into the wall."])
    make_drill(title="Skipping")

    assert list(search(Drill.objects.all(), "lean")) == [drill]


def test_searching_a_model_no_app_registered_says_so():
    with pytest.raises(ImproperlyConfigured, match="Program is not registered for search"):
        list(search(Program.objects.all(), "anything"))
