"""Who may see a unit's dashboard and download its reports and the national export."""

import rules

from ocop.accounts.rules import is_admin, is_ministry_officer
from ocop.programme.rules import is_province_staff, is_unit_staff, staff_of_unit

rules.add_perm("reports.access", is_admin | is_ministry_officer | is_unit_staff)
rules.add_perm("reports.view_unit", is_admin | is_ministry_officer | staff_of_unit)
rules.add_perm("reports.national_export", is_admin | is_ministry_officer | is_province_staff)
