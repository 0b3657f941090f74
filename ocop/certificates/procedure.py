"""The time rules of QĐ 26/2026/QĐ-TTg on a certificate's life, as pure functions (no state changes
here). The rest of the procedure (rounds, dossiers, product codes) is in `ocop.evaluation.procedure`,
which names these too; docs/evaluation.md maps each article to the code."""

import datetime

# Art. 7.6a: a re-evaluation dossier is filed "không sớm hơn 180 ngày và không muộn hơn 120 ngày tính đến
# ngày hết thời hạn của giấy chứng nhận".
REEVALUATION_EARLIEST_DAYS = 180
REEVALUATION_LATEST_DAYS = 120

# Art. 12.3: a certificate under re-evaluation stays in force until the result, "không quá 180 ngày tính
# từ ngày hết thời hạn".
TRANSITION_EXTENSION_DAYS = 180

# Art. 8.4: revocation within 15 days of the competent authority's conclusion.
REVOCATION_DAYS = 15


def reevaluation_window(certificate):
    """(first day, last day) on which a re-evaluation dossier may be filed. "Ngày hết thời hạn" is read
    as the certificate's last valid day (`valid_until`)."""
    end = certificate.valid_until
    return (
        end - datetime.timedelta(days=REEVALUATION_EARLIEST_DAYS),
        end - datetime.timedelta(days=REEVALUATION_LATEST_DAYS),
    )


def extension_end(certificate):
    """Art. 12.3: the first day on which an extended certificate is no longer valid."""
    return certificate.expires_on + datetime.timedelta(days=TRANSITION_EXTENSION_DAYS)
