"""The project's settings (and so its middleware), with a URLconf of one minimal view."""

from importlib import import_module

from benchmarks.project import SETTINGS_MODULE

globals().update({name: value for name, value in vars(import_module(SETTINGS_MODULE)).items() if name.isupper()})
ROOT_URLCONF = "benchmarks.floor_urls"
