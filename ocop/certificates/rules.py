"""Who may see and change certificates. The register is the province's; producers see their own."""

import rules

from ocop.accounts.rules import (
    add_write_perm,
    is_admin,
    is_ministry_officer,
    is_province_officer,
    officer_provinces,
    owns,
    province_covers_province,
    province_officer_covers,
    staff_covers,
)


@rules.predicate
def owns_certificate(user, certificate):
    return certificate is not None and owns(user, certificate.product)


@rules.predicate
def province_officer_of(user, province):
    """A province officer of `province` (a province AdminUnit) or of its successor."""
    if province is None:
        return False

    return any(province_covers_province(unit, province) for unit in officer_provinces(user))


@rules.predicate
def is_five_star(user, certificate):
    return certificate is not None and certificate.star == 5


can_view = is_admin | is_ministry_officer | staff_covers | owns_certificate
can_manage = is_admin | province_officer_covers

rules.add_perm("certificates.view_certificate", can_view)
add_write_perm("certificates.manage_certificate", can_manage)
# QĐ 26/2026 Art. 8.2: the provincial chairman revokes 3★/4★, the Minister 5★.
add_write_perm(
    "certificates.revoke_certificate",
    is_admin | (province_officer_covers & ~is_five_star) | (is_ministry_officer & is_five_star),
)
rules.add_perm("certificates.view_register", is_admin | is_ministry_officer | is_province_officer)
add_write_perm("certificates.configure_numbers", is_admin | province_officer_of)


# What a user may do on a certificate now, from the rules and its dates (the domain functions refuse the
# same); the certificate page passes these to its template as `can_*`.


def is_held(certificate):
    """Under the office's internal hold: suspended and not lifted yet."""
    return bool(certificate.suspended_on and not certificate.suspension_lifted_on)


def may_revoke(user, certificate):
    """`domain.revoke_certificate`: not revoked yet, by the authority of its star (QĐ 26/2026 Art. 8.2)."""
    return not certificate.revoked_on and user.has_perm("certificates.revoke_certificate", certificate)


def may_suspend(user, certificate, day):
    """`domain.suspend_certificate`: a certificate in force on `day`, not already held, by the office."""
    return (
        not is_held(certificate)
        and certificate.is_valid_on(day)
        and user.has_perm("certificates.manage_certificate", certificate)
    )


def may_lift(user, certificate):
    """`domain.lift_suspension`: a held certificate that is not revoked, by the office."""
    return (
        is_held(certificate)
        and not certificate.revoked_on
        and user.has_perm("certificates.manage_certificate", certificate)
    )
