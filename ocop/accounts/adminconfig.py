from django.contrib.admin.apps import AdminConfig


class OCOPAdminConfig(AdminConfig):
    """django.contrib.admin with the site that asks for the second factor (ocop/accounts/admin_site.py)."""

    default_site = "ocop.accounts.admin_site.OCOPAdminSite"
