"""The build's date: SOURCE_DATE_EPOCH (reproducible-builds.org) when set, else today (UTC).

Every date a build writes into its files (the "Dibangun pada" line, the DOCX properties) comes
from here, so two builds of the same inputs with the same SOURCE_DATE_EPOCH give the same bytes.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone


def build_time() -> datetime:
    """SOURCE_DATE_EPOCH if set (naive UTC), else today at midnight UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).replace(tzinfo=None)
    today = datetime.now(tz=timezone.utc).date()
    return datetime(today.year, today.month, today.day)


def build_date() -> date:
    """The day of :func:`build_time`."""
    return build_time().date()
