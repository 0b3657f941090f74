from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PRODUCER = "producer", _("Producer")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    PROVINCE_OFFICER = "province_officer", _("Provincial OCOP officer")
    ADVISORY_MEMBER = "advisory_member", _("Advisory group member")
    COUNCIL_MEMBER = "council_member", _("Council member")
    MINISTRY_OFFICER = "ministry_officer", _("Ministry officer")
    ADMIN = "admin", _("System administrator")


STAFF_ROLES = {
    Role.COMMUNE_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.ADVISORY_MEMBER,
    Role.COUNCIL_MEMBER,
    Role.MINISTRY_OFFICER,
    Role.ADMIN,
}
# Roles whose scope is an administrative unit (province or commune).
UNIT_SCOPED_ROLES = {Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.ADVISORY_MEMBER, Role.COUNCIL_MEMBER}
