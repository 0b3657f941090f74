# Evaluation fixtures for the home page's to-do panel.
from tests.evaluation.conftest import demo_set, draft, product, round_  # noqa: F401
