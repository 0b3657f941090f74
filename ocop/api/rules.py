"""Who manages partner API tokens: administrators and the ministry (any token), provincial OCOP
officers (tokens of their own province)."""

import rules

from ocop.accounts.enums import Role
from ocop.accounts.rules import (
    add_write_perm,
    is_admin,
    is_ministry_officer,
    is_province_officer,
    province_covers_province,
)


@rules.predicate
def province_officer_of_token(user, token):
    if token is None or token.province_id is None or not user.is_authenticated:
        return False
    # The successor's office manages the tokens its predecessors issued (Vĩnh Long 86 those of Bến Tre 83).
    return any(
        province_covers_province(u, token.province)
        for u in user.units(Role.PROVINCE_OFFICER)
        if u.level == "province"
    )


can_manage_any_token = is_admin | is_ministry_officer

rules.add_perm("api.list_tokens", can_manage_any_token | is_province_officer)
add_write_perm("api.add_national_token", can_manage_any_token)
add_write_perm("api.change_token", can_manage_any_token | province_officer_of_token)
