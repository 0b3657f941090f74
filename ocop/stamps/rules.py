"""Stamps: producers order for their own certified products; the province office approves and blocks."""

import rules

from ocop.accounts.rules import (
    add_write_perm,
    is_admin,
    is_ministry_officer,
    is_province_officer,
    owns,
    province_officer_covers,
    staff_covers,
)


@rules.predicate
def owns_batch(user, batch):
    return batch is not None and owns(user, batch.product)


rules.add_perm("stamps.view_batch", is_admin | is_ministry_officer | staff_covers | owns_batch)
add_write_perm("stamps.order_batch", is_admin | province_officer_covers | owns)
add_write_perm("stamps.approve_batch", is_admin | province_officer_covers)
add_write_perm("stamps.block_batch", is_admin | province_officer_covers)
rules.add_perm("stamps.download_batch", is_admin | province_officer_covers | owns_batch)
rules.add_perm("stamps.view_dashboard", is_admin | is_ministry_officer | is_province_officer)
add_write_perm("stamps.handle_signal", is_admin | province_officer_covers)
