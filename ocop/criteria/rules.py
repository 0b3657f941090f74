import rules

from ocop.accounts.rules import is_admin, is_province_officer

rules.add_perm("criteria.change_set", is_admin | is_province_officer)
rules.add_perm("criteria.publish_set", is_admin | is_province_officer)
