from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "ocop.programme"
    label = "programme"
