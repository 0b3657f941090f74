"""The time rules and codes of QĐ 26/2026/QĐ-TTg, as pure functions (no state changes here).

Each function names the provision it follows; docs/evaluation.md maps them. Where the decision is silent
the choice made is said in the docstring."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The rules of a certificate's life (Art. 7.6a window, Art. 8.4, Art. 12.3) are the certificates app's;
# they are named here too, beside the rest of the procedure.
from ocop.certificates.procedure import (  # noqa: F401
    REEVALUATION_EARLIEST_DAYS,
    REEVALUATION_LATEST_DAYS,
    REVOCATION_DAYS,
    TRANSITION_EXTENSION_DAYS,
    extension_end,
    reevaluation_window,
)
from ocop.core.errors import DomainError

from .enums import OPEN_STATES, DossierState

# Art. 11.1: the decision is in force from 22/5/2026.
QD26_IN_FORCE = datetime.date(2026, 5, 22)

# Art. 7.2: the commune checks the dossier and issues its report (Mẫu 03) "trong thời hạn 15 ngày làm
# việc kể từ ngày tiếp nhận hồ sơ sản phẩm".
COMMUNE_WORKING_DAYS = 15

# Art. 7.6g: a re-evaluation is done within 45 days of the complete proposal.
REEVALUATION_DAYS = 45

# Art. 3.3a: 5★ from 90 points; Art. 7.3e: "Đối với các sản phẩm có tiềm năng đạt 5 sao (đạt từ 90 trở lên)".
FIVE_STAR_POINTS = 90


# --- Working days (Art. 7.2) ---------------------------------------------------------------------------

# Public holidays on fixed solar dates (Labour Code 2019, Art. 112). The lunar holidays (Tết, Hùng Kings)
# and the day added to 2/9 move every year: the province lists them in settings.OCOP_EXTRA_HOLIDAYS.
FIXED_HOLIDAYS = ((1, 1), (4, 30), (5, 1), (9, 2))


def is_working_day(day):
    if day.weekday() >= 5 or (day.month, day.day) in FIXED_HOLIDAYS:
        return False
    return day not in set(getattr(settings, "OCOP_EXTRA_HOLIDAYS", ()))


def add_working_days(start, days):
    """The day on which `days` working days after `start` have passed (start itself not counted)."""
    day, left = start, days
    while left > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start, end):
    """Working days after `start` up to and including `end` (negative when end < start)."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count


def commune_due_on(received_on):
    return add_working_days(received_on, COMMUNE_WORKING_DAYS)


@dataclass(frozen=True)
class Clock:
    """The commune's clock on a dossier: working days left (or overdue) on `day`. A subclass names
    another limit by its three sentences."""

    due_on: datetime.date
    left: int  # working days left; negative when overdue
    done: bool

    DONE = gettext_lazy("Commune report issued")
    OVERDUE = gettext_lazy("Overdue by %(n)s working days (due %(due)s)")
    LEFT = gettext_lazy("%(n)s working days left (due %(due)s)")

    @property
    def overdue(self):
        return not self.done and self.left < 0

    def label(self):
        if self.done:
            return str(self.DONE)
        due = self.due_on.strftime("%d/%m/%Y")
        if self.left < 0:
            return str(self.OVERDUE) % {"n": -self.left, "due": due}
        return str(self.LEFT) % {"n": self.left, "due": due}


def commune_clock(dossier, day):
    if dossier.commune_due_on is None:
        return None
    done = dossier.commune_reported_on is not None
    end = dossier.commune_reported_on if done else day
    if end <= dossier.commune_due_on:
        left = working_days_between(end, dossier.commune_due_on)
    else:
        left = -working_days_between(dossier.commune_due_on, end)
    return Clock(due_on=dossier.commune_due_on, left=left, done=done)


# --- Calendar of rounds (Art. 5.1) ---------------------------------------------------------------------


@dataclass(frozen=True)
class LegalDates:
    commune_deadline: datetime.date  # the commune proposes before this day's date (exclusive)
    council_date: datetime.date  # the province evaluates before this day's date (exclusive)
    submission_deadline: datetime.date  # derived: leaves the commune its 15 working days


def legal_calendar(year, number):
    """Art. 5.1: "Đợt 01 trước ngày 30 tháng 6 đối với các hồ sơ được UBND cấp xã đề nghị trước ngày 30
    tháng 4; đợt 02 trước ngày 30 tháng 12 đối với các hồ sơ được UBND cấp xã đề nghị trước ngày 30 tháng
    10". "Trước ngày 30" is read as "at the latest on the 29th". The producer's filing deadline is not in
    the decision: the platform proposes the last day that leaves the commune its 15 working days
    (Art. 7.2)."""
    if number not in (1, 2):
        raise DomainError(
            _("The decision fixes two rounds a year; extra rounds follow the council's rules (Art. 5.1)."),
            code="bad_round_number",
        )
    commune, council = ((4, 29), (6, 29)) if number == 1 else ((10, 29), (12, 29))
    commune_deadline = datetime.date(year, *commune)
    submission = commune_deadline
    while working_days_between(submission, commune_deadline) < COMMUNE_WORKING_DAYS:
        submission -= datetime.timedelta(days=1)
    return LegalDates(
        commune_deadline=commune_deadline,
        council_date=datetime.date(year, *council),
        submission_deadline=submission,
    )


def departs_from_calendar(year, submission_deadline, review_deadline, council_date):
    """True when a round's dates do not fit the legal round of its council date: a council on or before
    29/6 is round 1 (communes propose by 29/4), a later one round 2 (communes by 29/10, council by 29/12).
    An extra round is lawful only if the council's rules provide for it (Art. 5.1): the office then gives
    the reason."""
    number = 1 if council_date <= datetime.date(council_date.year, 6, 29) else 2
    legal = legal_calendar(council_date.year, number)
    return council_date > legal.council_date or review_deadline > legal.commune_deadline


# --- Re-evaluation window (Art. 7.6a) and transition (Art. 12.3) ---------------------------------------


def check_reevaluation_filing(certificate, day):
    """Refuse a filing before the window; a filing after it is accepted only in the case of Art. 12.3
    (the certificate's window closed before the decision came into force, so it could not be met),
    and never after the certificate ended."""
    first, last = reevaluation_window(certificate)
    if day < first:
        raise DomainError(
            _(
                "A re-evaluation dossier may be filed from %(first)s to %(last)s (180 to 120 days before "
                "the certificate ends, QĐ 26/2026 Art. 7.6a)."
            )
            % {"first": first.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")},
            code="too_early",
            status=422,
        )
    if day >= certificate.expires_on:
        raise DomainError(
            _("The certificate has ended; register the product as a new dossier."),
            code="certificate_ended",
            status=422,
        )
    if day > last and last >= QD26_IN_FORCE:
        raise DomainError(
            _(
                "The filing window ended on %(last)s (no later than 120 days before the certificate ends, "
                "QĐ 26/2026 Art. 7.6a)."
            )
            % {"last": last.strftime("%d/%m/%Y")},
            code="too_late",
            status=422,
        )
    return day > last  # True: late filing under Art. 12.3


# --- Time limit of a re-evaluation (Art. 7.6g) -----------------------------------------------------------


def reevaluation_due_on(dossier):
    """Art. 7.6g: "Thời gian tổ chức đánh giá, phân hạng lại sản phẩm OCOP không quá 45 ngày kể từ ngày nhận
    đủ hồ sơ đề nghị của UBND cấp xã hoặc UBND cấp tỉnh". Calendar days (the text says "ngày", where Art. 7.2
    says "ngày làm việc"), from the day the deciding level received the complete dossier. Only a
    re-evaluation (công nhận lại): an upgrade follows the steps of Art. 7.1–7.4 (Art. 7.5b), which set no
    such limit."""
    if dossier.kind != "reevaluation" or dossier.complete_received_on is None:
        return None
    return dossier.complete_received_on + datetime.timedelta(days=REEVALUATION_DAYS)


@dataclass(frozen=True)
class DayClock(Clock):
    """A limit in calendar days (Art. 7.6g): days left (negative when overdue) on a day, or done."""

    DONE = gettext_lazy("Re-evaluation decided")
    OVERDUE = gettext_lazy("Re-evaluation overdue by %(n)s days (due %(due)s, Art. 7.6g)")
    LEFT = gettext_lazy("%(n)s days left to decide the re-evaluation (due %(due)s, Art. 7.6g)")


def reevaluation_clock(dossier, day):
    """The 45-day clock of a re-evaluation dossier on `day` (None for other dossiers or before the deciding
    level received it). Done once the deciding level has decided: the province (any state past scoring),
    or for a 5★ product the Ministry (its national result)."""

    due = reevaluation_due_on(dossier)
    if due is None or dossier.state == DossierState.COMPLETION:
        return None  # sent back for completion: the 45 days start again when the complete dossier returns
    waiting = set(OPEN_STATES)
    if dossier.goes_to_ministry:
        waiting.add(DossierState.NOMINATED_5STAR)
    return DayClock(due_on=due, left=(due - day).days, done=dossier.state not in waiting)


# --- Product code (Annex II heading of every set) ------------------------------------------------------


def product_code(province_code, commune_code, number, year):
    """ "Mã số sản phẩm (T)-(X)-(STT)-20…; T: Mã tỉnh - X: Mã xã - STT: Số thứ tự sản phẩm do xã lập thống
    kê - Năm đánh giá. Mã đơn vị hành chính theo Quyết định số 19/2025/QĐ-TTg". The annex shows no
    padding for STT: it is written as the plain number."""
    return f"{province_code}-{commune_code}-{int(number)}-{int(year)}"
