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

from .enums import BATCH_ACTIONS, BATCH_TRANSITIONS, BatchState

PRINTABLE_STATES = {BatchState.APPROVED}


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


def may_act(user, batch, action):
    """May `user` take `action` (`BATCH_ACTIONS`) on `batch` now: the batch is in the action's state,
    the transition table allows the move, the user holds its permission. Views pass it as `can_*`."""
    source, target, perm = BATCH_ACTIONS[action]
    return batch.state == source and target in BATCH_TRANSITIONS[source] and user.has_perm(perm, batch)


def may_download(user, batch):
    """May `user` print `batch`'s stamps now: only an approved batch is printed (a requested, refused or
    blocked one is not), by whoever holds the download permission. Views pass it as `can_download`."""
    return batch.state in PRINTABLE_STATES and user.has_perm("stamps.download_batch", batch)
