"""What the office may do with a producer now, from the transition table (`enums.PRODUCER_TRANSITIONS`)
and the permissions (registered with the others in `ocop.accounts.rules`). The domain functions
enforce the same rules; the views pass them to the templates as `can_*`."""

from .enums import PRODUCER_TRANSITIONS, ProducerStatus


def producer_moves(user, producer):
    """The statuses `user` may move `producer` to now (empty without the approval permission)."""
    if not user.has_perm("registry.approve_producer", producer):
        return frozenset()
    return PRODUCER_TRANSITIONS[producer.status]


def takes_products(producer):
    """Products are added to a producer once the province has approved it."""
    return producer.status == ProducerStatus.ACTIVE


def may_add_product(user, producer):
    return takes_products(producer) and user.has_perm("registry.change_producer", producer)
