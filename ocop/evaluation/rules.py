"""Who may do what in evaluation. Scope comes from the dossier's commune (legacy and current map) or,
for rounds, from the round's province; council and advisory work from membership of the round."""

import rules

from ocop.accounts.rules import (
    add_write_perm,
    commune_officer_covers,
    is_acting_province_officer,
    is_admin,
    is_ministry_officer,
    officer_provinces,
    owns,
    province_covers_province,
    province_officer_covers,
    staff_covers,
)

from .enums import (
    COUNCIL_STATES,
    EDITABLE_STATES,
    MINISTRY_STATES,
    MOVE_PERMS,
    SAMPLE_STATES,
    SCORESHEET_STATES,
    TRANSITION_PERMS,
    TRANSITIONS,
    Body,
    DecisionStatus,
    DossierState,
    RoundStatus,
)
from .queries import producer_provinces


def _round_of(obj):
    return obj if obj._meta.model_name == "round" else getattr(obj, "round", None)


def _member_of(user, obj, body):
    round_ = _round_of(obj) if obj is not None else None
    if round_ is None or not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_evaluation_bodies", {})
    if round_.pk not in cache:
        cache[round_.pk] = set(round_.memberships.filter(user=user).values_list("body", flat=True))
    return body in cache[round_.pk]


def _officer_of_round(user, obj, *, acting):
    round_ = _round_of(obj) if obj is not None else None
    if round_ is None or not user.is_authenticated:
        return False
    return any(
        province_covers_province(unit, round_.province) for unit in officer_provinces(user, acting=acting)
    )


@rules.predicate
def province_officer_of_round(user, obj):
    """An officer of the round's province or of its successor (reads the round, on either map)."""
    return _officer_of_round(user, obj, acting=False)


@rules.predicate
def acting_officer_of_round(user, obj):
    """An officer of the round's province or its successor, on the map in force: manages and signs.
    A legacy Bến Tre officer reads Bến Tre's 2023 round; the Vĩnh Long officer finishes it."""
    return _officer_of_round(user, obj, acting=True)


@rules.predicate
def council_member_of_round(user, obj):
    return _member_of(user, obj, Body.COUNCIL)


@rules.predicate
def advisory_member_of_round(user, obj):
    return _member_of(user, obj, Body.ADVISORY)


@rules.predicate
def producer_of_round(user, obj):
    """A producer sees a round it has a dossier in, or an open round of its province."""
    round_ = _round_of(obj) if obj is not None else None
    if round_ is None or not user.is_authenticated or user.producer is None:
        return False

    if round_.status == RoundStatus.OPEN and round_.province_id in producer_provinces(user.producer):
        return True
    return round_.dossiers.filter(producer=user.producer).exists()


can_manage = is_admin | province_officer_covers

add_write_perm("evaluation.add_round", is_admin | is_acting_province_officer)
add_write_perm("evaluation.manage_round", is_admin | province_officer_of_round)
add_write_perm("evaluation.sign_decision", is_admin | acting_officer_of_round)
rules.add_perm(
    "evaluation.view_round",
    is_admin
    | province_officer_of_round
    | council_member_of_round
    | advisory_member_of_round
    | producer_of_round,
)
# The round's full page (every dossier, council, minutes): the office and the round's bodies.
rules.add_perm(
    "evaluation.view_round_details",
    is_admin | province_officer_of_round | council_member_of_round | advisory_member_of_round,
)
rules.add_perm(
    "evaluation.view_dossier",
    is_admin | is_ministry_officer | staff_covers | owns | council_member_of_round | advisory_member_of_round,
)
add_write_perm("evaluation.change_dossier", owns)
add_write_perm("evaluation.submit_dossier", owns)
add_write_perm("evaluation.withdraw_dossier", owns | can_manage)
add_write_perm("evaluation.review_dossier", is_admin | commune_officer_covers)
add_write_perm("evaluation.appraise_dossier", can_manage | advisory_member_of_round)
add_write_perm("evaluation.manage_dossier", can_manage)
add_write_perm("evaluation.score_dossier", council_member_of_round)
add_write_perm("evaluation.record_national_result", is_admin | is_ministry_officer)
rules.add_perm("evaluation.view_results", can_manage | council_member_of_round | is_ministry_officer)
rules.add_perm(
    "evaluation.view_round_results",
    is_admin | province_officer_of_round | council_member_of_round | is_ministry_officer,
)


def may_move(user, dossier, target):
    """May `user` move `dossier` to `target` now: the transition table allows the move from its state and
    the user holds the permission the move asks (what `domain.check_transition` enforces). The views
    pass this to the templates as `can_*`, so no template decides from a state's name."""
    if target not in TRANSITIONS[dossier.state]:
        return False
    return user.has_perm(MOVE_PERMS.get((dossier.state, target), TRANSITION_PERMS[target]), dossier)


def may_edit(user, dossier):
    """The producer's registration, self-assessment and evidence (`domain.filing._editable`)."""
    return dossier.state in EDITABLE_STATES and user.has_perm("evaluation.change_dossier", dossier)


def may_record_samples(user, dossier):
    """The office records the samples received with a forwarded dossier (a tourism service has none);
    `domain.record_samples` refuses the same."""
    return (
        dossier.needs_samples
        and dossier.state in SAMPLE_STATES
        and user.has_perm("evaluation.manage_dossier", dossier)
    )


def may_score(user, dossier):
    """A council member of the round sees the dossier's council block (scoresheet, conflict of interest)
    once it is appraised and while it is scored."""
    return dossier.state in COUNCIL_STATES and user.has_perm("evaluation.score_dossier", dossier)


def may_fill_scoresheet(user, dossier):
    """A council member fills in a scoresheet while scoring is open (`domain.scoring._scorer_check`)."""
    return dossier.state in SCORESHEET_STATES and user.has_perm("evaluation.score_dossier", dossier)


def may_send_to_ministry(user, dossier):
    """A 5★ product's re-evaluation, forwarded or appraised, is sent by the province to the Ministry
    (QĐ 26/2026 Art. 6.3b, 7.6e); `domain.send_to_ministry` refuses the same."""
    return (
        dossier.goes_to_ministry
        and dossier.state in MINISTRY_STATES
        and may_move(user, dossier, DossierState.NOMINATED_5STAR)
    )


def accepts_dossiers(round_, day):
    """A round takes new dossiers while it is open and its submission deadline is not past on `day`
    (`domain.open_dossier` refuses the others)."""
    return round_.status == RoundStatus.OPEN and round_.submission_deadline >= day


def may_close_round(user, round_):
    """The office closes an open round to new dossiers (`rounds.close_round`)."""
    return round_.status == RoundStatus.OPEN and user.has_perm("evaluation.manage_round", round_)


def may_record_decision(user, decision):
    """The office records a draft decision once signed (`domain.record_decision`)."""
    return decision.status == DecisionStatus.DRAFT and user.has_perm(
        "evaluation.sign_decision", decision.round
    )
