from ocop.accounts.rules import add_write_perm, is_admin, is_province_officer

add_write_perm("criteria.change_set", is_admin | is_province_officer)
add_write_perm("criteria.publish_set", is_admin | is_province_officer)
