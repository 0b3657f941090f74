from django.apps import AppConfig

# Imports inside functions: ready() runs once every app's models are loaded; importing them earlier fails.


class EvaluationConfig(AppConfig):
    name = "ocop.evaluation"
    label = "evaluation"

    def ready(self):
        from ocop.certificates.queries import register_rubric_finder

        from .queries import rubric_of_certificate

        register_rubric_finder(rubric_of_certificate)
