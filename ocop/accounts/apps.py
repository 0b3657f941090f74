from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ocop.accounts"
    label = "accounts"

    def ready(self):
        from . import otp  # noqa: F401  (connects the user_logged_in receiver)
