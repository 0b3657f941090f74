"""State changes of evaluation: one function per change. Each checks role and scope, locks the row,
checks the transition table, saves with update_fields, writes one ActivityLog row and queues notices on
commit.

One module per stage (`rounds`, `filing`, `review`, `scoring`, `decisions`, `notifications`; helpers in
`_common`); every name is re-exported here, so callers keep `from ocop.evaluation import domain` and
`domain.submit_dossier(...)`."""

from ._common import (  # noqa: F401
    ACTING_PERMS,
    LEGACY_READ_ONLY,
    S,
    _commune_officers,
    _council,
    _end_renewal_extension,
    _legacy_officer,
    _lock,
    _producer_users,
    _province_officers,
    _queue,
    _require,
    _valid_partial,
    check_transition,
    is_open,
)
from .decisions import (  # noqa: F401
    DECIDABLE_STATES,
    _provincial_outcome,
    _standing_certificate,
    create_decision,
    record_decision,
    record_national_result,
    send_to_ministry,
)
from .filing import (  # noqa: F401
    REGISTRATION_FIELDS,
    REQUIRED_REGISTRATION,
    _certificate_to_renew,
    _check_producer_kind,
    _editable,
    add_evidence,
    missing_items,
    open_dossier,
    previous_filing,
    remove_evidence,
    resubmit_to_province,
    save_registration,
    save_self_assessment,
    send_dossier,
    submit_dossier,
    withdraw_dossier,
)
from .notifications import (  # noqa: F401
    mark_notifications_read,
)
from .review import (  # noqa: F401
    COMMUNE_FORM_ITEMS,
    _assign_product_code,
    appraise_dossier,
    commune_form_labels,
    forward_dossier,
    record_samples,
    request_completion,
    return_dossier,
)
from .rounds import (  # noqa: F401
    MAX_QUORUM,
    add_member,
    check_round_dates,
    create_round,
    reevaluations_due_before,
    remove_member,
    reschedule_round,
    round_opened_on,
    set_round_status,
)
from .scoring import (  # noqa: F401
    CLOSE_FIELDS,
    NotAllowedConflict,
    _close,
    _knockouts_of,
    _scorer_check,
    close_scoring,
    close_scoring_many,
    correct_scoresheet,
    current_sheet,
    declare_conflict,
    disqualify_dossier,
    open_scoring,
    save_scoresheet,
)
