from django.apps import AppConfig


class RuncmsConfig(AppConfig):
    name = "runcms"
    verbose_name = "runcms"
