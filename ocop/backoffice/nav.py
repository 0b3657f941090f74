"""Office menu entries: (url name, label, permission or None). Each area appends its own."""

from django.utils.translation import gettext_lazy as _

OFFICE_NAV = [
    ("backoffice:producer_list", _("Producers"), None),
    ("backoffice:product_list", _("Products"), None),
    ("backoffice:import_products", _("Import"), "registry.import_products"),
    ("backoffice:change_request_list", _("Change requests"), "registry.review_changes"),
    ("backoffice:evaluation_dossiers", _("Dossiers"), None),
    ("backoffice:evaluation_rounds", _("Evaluation rounds"), "backoffice.access"),
    ("backoffice:criteria_sets", _("Criteria sets"), "criteria.change_set"),
    ("backoffice:api_token_list", _("API tokens"), "api.list_tokens"),
    ("backoffice:account_list", _("Staff accounts"), "accounts.manage_staff"),
    ("backoffice:certificate_list", _("Certificates"), None),
    ("backoffice:stamp_batch_list", _("Stamps"), "backoffice.access"),
    ("backoffice:counterfeit_dashboard", _("Counterfeits"), "stamps.view_dashboard"),
    ("backoffice:reports_dashboard", _("Reports"), "reports.access"),
    ("backoffice:plan_list", _("Plans"), "programme.access"),
    ("backoffice:course_list", _("Training"), "programme.access"),
    ("backoffice:support_list", _("Support"), "programme.access"),
    ("backoffice:market_sale_points", _("Sale points"), "market.access"),
    ("backoffice:market_fairs", _("Fairs and events"), "market.view_fair"),
    ("backoffice:market_routes", _("Tourism routes"), "market.view_fair"),
]

# Menu groups: url names of OFFICE_NAV gathered under a heading (entries not listed go to "More").
OFFICE_GROUPS = [
    (
        _("Registry"),
        [
            "backoffice:producer_list",
            "backoffice:product_list",
            "backoffice:import_products",
            "backoffice:change_request_list",
        ],
    ),
    (
        _("Evaluation"),
        ["backoffice:evaluation_dossiers", "backoffice:evaluation_rounds", "backoffice:criteria_sets"],
    ),
    (
        _("Certificates and stamps"),
        ["backoffice:certificate_list", "backoffice:stamp_batch_list", "backoffice:counterfeit_dashboard"],
    ),
    (
        _("Programme"),
        [
            "backoffice:reports_dashboard",
            "backoffice:plan_list",
            "backoffice:course_list",
            "backoffice:support_list",
        ],
    ),
    (_("Market"), ["backoffice:market_sale_points", "backoffice:market_fairs", "backoffice:market_routes"]),
    (_("System"), ["backoffice:account_list", "backoffice:api_token_list"]),
]

# Panels on the office home page: dotted paths of functions `panel(request)` returning
# (template name, context) or None when the panel does not concern this user.
HOME_PANELS = ["ocop.backoffice.panels.todo", "ocop.backoffice.panels.open_rounds"]
