import pytest

from ocop.api import domain
from ocop.api.models import Scope
from tests.factories import unit


@pytest.fixture
def issue(province_officer):
    """issue(scopes=..., province=..., rate=...) -> (token, "Bearer <raw>")."""

    def make(scopes=(Scope.REGISTRY, Scope.CERTIFICATES), province="83", rate=120, actor=None):
        from ocop.accounts.enums import Role
        from tests.factories import UserFactory, with_role

        actor = actor or province_officer
        if province is None:
            actor = with_role(UserFactory(), Role.ADMIN)
        token, raw = domain.issue_token(
            actor=actor,
            name="Sàn TMĐT",
            partner="Postmart",
            scopes=list(scopes),
            province=unit(province) if province else None,
            rate_limit_per_minute=rate,
        )
        return token, f"Bearer {raw}"

    return make

# The evaluation fixtures (a published demo rubric, a round, a producer's draft dossier) for the
# partner dossier endpoints.
from tests.evaluation.conftest import demo_set, draft, members, product, round_  # noqa: E402, F401
