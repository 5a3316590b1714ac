"""Which role an actor held on an article's date.

Day precision: the roles whose range contains the day. Month precision (the date is the
first of the month): the roles held for the most days of that month, so a role
that ended on the 3rd does not count when its successor held office for the rest of
the month; roles held all month side by side (chancellor and party leader) all count.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from lagebild.enrich.registry import Role

_FAR_PAST, _FAR_FUTURE = date(1, 1, 1), date(9999, 12, 31)


def _overlap_days(role: Role, first: date, last: date) -> int:
    start = max(role.start or _FAR_PAST, first)
    end = min(role.end or _FAR_FUTURE, last)
    return (end - start).days + 1 if end >= start else 0


def roles_at(roles: tuple[Role, ...], day: date, precision: str = "day") -> list[Role]:
    """The roles held on `day`; with month precision, held for most of that month."""
    if precision != "month":
        return [r for r in roles if _overlap_days(r, day, day) > 0]
    first = day.replace(day=1)
    last = first + timedelta(days=calendar.monthrange(first.year, first.month)[1] - 1)
    days = {r: _overlap_days(r, first, last) for r in roles}
    most = max(days.values(), default=0)
    return [r for r in roles if most > 0 and days[r] == most]


def role_label(roles: tuple[Role, ...], day: date, precision: str = "day") -> str | None:
    """The role text for a mention: the held roles joined by '; ', or None."""
    held = roles_at(roles, day, precision)
    return "; ".join(r.label for r in held) or None
