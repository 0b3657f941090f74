"""The Django admin site, with the same second factor as the site's login page.

Django's own admin login asks only for the password; this site's login form also asks for the code
of an account that has a device, and `has_permission` refuses a session of such an account that no
device verified (whatever way it logged in)."""

from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm

from .forms import SecondFactorFormMixin
from .otp import SESSION_KEY


class AdminLoginForm(SecondFactorFormMixin, AdminAuthenticationForm):
    """The admin's login form with the site's second factor."""


class OCOPAdminSite(AdminSite):
    login_form = AdminLoginForm
    login_template = "admin/ocop_login.html"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return request.user.is_verified() or not request.session.get(SESSION_KEY)
