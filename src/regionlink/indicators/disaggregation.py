"""Canonical disaggregation keys: "" (total), "SEX=F", "SEX=F;URBAN=U" (dimensions sorted)."""

from __future__ import annotations

from django.utils.translation import gettext as _

TOTAL = ""


class DisaggregationError(ValueError):
    pass


def parse(key: str | None) -> dict[str, str]:
    """ "sex=f; urban=U" → {"SEX": "F", "URBAN": "U"}; "" or "TOTAL" → {}."""
    text = (key or "").strip()
    if text.upper() in ("", "TOTAL", "TONG", "_T"):
        return {}
    pairs: dict[str, str] = {}
    for part in text.replace(",", ";").split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise DisaggregationError(
                _("Phân tổ “%(value)s” không hợp lệ: dùng dạng CHIEU=MA, ví dụ SEX=F.")
                % {"value": part.strip()}
            )
        dim, member = (p.strip().upper() for p in part.split("=", 1))
        if dim in pairs:
            raise DisaggregationError(
                _("Chiều phân tổ %(dimension)s xuất hiện hai lần.") % {"dimension": dim}
            )
        pairs[dim] = member
    return pairs


def canonical(pairs: dict[str, str]) -> str:
    return ";".join(f"{dim}={pairs[dim]}" for dim in sorted(pairs))


def normalise(key: str | None) -> str:
    return canonical(parse(key))


def validate(key: str | None, allowed: dict[str, set[str]]) -> str:
    """Canonical key, checked against the indicator's dimensions {dimension: {members}}."""
    pairs = parse(key)
    for dim, member in pairs.items():
        if dim not in allowed:
            names = ", ".join(sorted(allowed)) or _("không có")
            raise DisaggregationError(
                _("Chỉ tiêu này không phân tổ theo %(dimension)s; các chiều được dùng: %(names)s.")
                % {"dimension": dim, "names": names}
            )
        if member not in allowed[dim]:
            raise DisaggregationError(
                _("Mã %(member)s không thuộc chiều %(dimension)s; dùng một trong: %(members)s.")
                % {"member": member, "dimension": dim, "members": ", ".join(sorted(allowed[dim]))}
            )
    return canonical(pairs)
