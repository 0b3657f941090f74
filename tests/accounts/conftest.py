# The evaluation fixtures (a published demo rubric, a round, a producer's draft dossier) for the
# read-only checks of a former province's account.
from tests.evaluation.conftest import demo_set, draft, members, product, round_  # noqa: F401
