"""Free text → the administrative unit(s) it names on a date, with a confidence in [0, 1].

"tp hcm", "TP.HCM", "Sài Gòn" and "Ho Chi Minh City" all name Thành phố Hồ Chí Minh; a name
that had ended by the date ("Bình Dương" after 01/07/2025, Resolution 202/2025/QH15) answers
with what the unit became, saying why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from regionlink.core.text import compact, nfc
from regionlink.geography import name_index, queries
from regionlink.geography.models import AdministrativeUnit, Level
from regionlink.geography.name_index import (
    FUZZY_LEAD,
    LEVEL_RANK,
    SUGGEST_CUTOFF,
    TIE,
    Found,
    Link,
    NameIndex,
    answers,
    find,
    find_within,
    similar,
)

_COUNTRY = {"vietnam", "vn"}


@dataclass(frozen=True)
class Match:
    unit: AdministrativeUnit
    confidence: float
    matched_on: str  # "name", "alias", "english" or "fuzzy"
    explanation: str = ""
    via: AdministrativeUnit | None = None  # the historic unit the text named
    province: AdministrativeUnit | None = None  # where a district or commune lies

    def describe(self) -> str:
        level = str(Level(self.unit.level).label)
        where = [self.unit.code, level[:1].lower() + level[1:]]
        if self.province is not None:
            where.append(self.province.name)
        score = f"{self.confidence:.2f}".replace(".", ",")
        return _("%(name)s (%(where)s) — độ tin cậy %(score)s") % {
            "name": self.unit.name,
            "where": ", ".join(where),
            "score": score,
        }

    def as_dict(self) -> dict:
        u = self.unit
        return {
            "unit": {
                "code": u.code,
                "name": u.name,
                "level": u.level,
                "unit_type": u.unit_type,
                "valid_from": u.valid_from.isoformat() if u.valid_from else None,
                "valid_to": u.valid_to.isoformat() if u.valid_to else None,
            },
            "confidence": self.confidence,
            "matched_on": self.matched_on,
            "explanation": self.explanation,
            "via": {"code": self.via.code, "name": self.via.name} if self.via else None,
            "province": (
                {"code": self.province.code, "name": self.province.name} if self.province else None
            ),
        }


@dataclass(frozen=True)
class Resolution:
    query: str
    date: dt.date
    level: str | None
    status: str  # "resolved", "ambiguous" or "not_found"
    matches: tuple[Match, ...]
    message: str
    suggestions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.status == "resolved" else None

    def describe(self) -> list[str]:
        lines = [] if self.status == "resolved" else [self.message]
        for match in self.matches:
            lines.append(match.describe())
            if match.explanation:
                lines.append("    " + match.explanation)
        if self.status == "resolved" and (self.notes or self.suggestions):
            lines.append(self.message)
        return lines

    def as_dict(self) -> dict:
        return {
            "query": self.query,
            "date": self.date.isoformat(),
            "level": self.level,
            "status": self.status,
            "message": self.message,
            "suggestions": list(self.suggestions),
            "notes": list(self.notes),
            "matches": [m.as_dict() for m in self.matches],
        }


def _step(index: NameIndex, link: Link) -> str:
    before, after = index.units[link.predecessor_id], index.units[link.successor_id]
    values = {"old": before.name, "new": after.name, "date": f"{link.effective_date:%d/%m/%Y}"}
    merged = [
        x for x in index.links_in.get(after.id, ()) if x.effective_date == link.effective_date
    ]
    if link.kind != "whole":
        text = _("Một phần %(old)s đã chuyển vào %(new)s từ %(date)s") % values
    elif len(merged) > 1:
        text = _("%(old)s đã hợp nhất vào %(new)s từ %(date)s") % values
    else:
        text = _("%(old)s đã trở thành %(new)s từ %(date)s") % values
    return f"{text} ({link.legal_basis})." if link.legal_basis else f"{text}."


def _note(index: NameIndex, unit_id: int, date: dt.date) -> str:
    entry = index.units[unit_id]
    values = {"name": entry.name, "date": f"{date:%d/%m/%Y}"}
    if entry.valid_to and entry.valid_to < date:
        return _("%(name)s chỉ có hiệu lực đến %(end)s.") % {
            **values,
            "end": f"{entry.valid_to:%d/%m/%Y}",
        }
    text = _("%(name)s chưa tồn tại vào ngày %(date)s (có từ %(start)s).") % {
        **values,
        "start": f"{entry.valid_from:%d/%m/%Y}",
    }
    before = sorted(
        {index.units[x.predecessor_id].name for x in index.links_in.get(unit_id, ())} - {entry.name}
    )
    if before:
        text += " " + _("Trước đó địa bàn thuộc %(units)s.") % {"units": ", ".join(before)}
    return text


def _label(index: NameIndex, ids: list[int], date: dt.date) -> str:
    entry = index.units[next((i for i in ids if index.units[i].is_valid_on(date)), ids[-1])]
    if entry.level == Level.PROVINCE:
        return entry.short_name
    province = index.province_id(entry.id)
    return f"{entry.name} ({index.units[province].short_name})" if province else entry.name


def _rank(entry) -> tuple[int, str]:
    return LEVEL_RANK[entry.level], entry.code


def resolve(
    text: str, *, date: dt.date | None = None, level: str | None = None, limit: int = 10
) -> Resolution:
    """The unit(s) that ``text`` names on ``date`` (today by default), best first."""
    date, query = date or queries.today(), nfc(text)
    if level is not None and level not in Level.values:
        raise ValueError(_("Cấp không hợp lệ: %(level)s.") % {"level": level})
    parts = [part for part in query.split(",") if compact(part)]
    while len(parts) > 1 and compact(parts[-1]) in _COUNTRY:
        parts.pop()
    if not parts:
        message = _("Hãy nhập tên một địa danh, ví dụ “Hà Nội” hoặc “Phường Ba Đình, Hà Nội”.")
        return Resolution(query, date, level, "not_found", (), message)
    index = name_index.get_index()
    found = find_within(index, parts, date, level) if len(parts) > 1 else None
    found = found or find(index, " ".join(parts), date, level)
    return _resolution(index, query, date, level, max(limit, 1), found)


def _resolution(index, query, date, level, limit, found: Found) -> Resolution:
    routes = []
    for unit_id, route in found.routes.items():
        via = found.via.get(unit_id)
        if not route.path and via and via.path and via.base > route.base:
            route = replace(route, named_id=via.named_id, path=via.path)  # say what it was
        routes.append(route)
    routes.sort(key=lambda r: (-round(r.confidence, 6), *_rank(index.units[r.unit_id])))
    status = "resolved" if routes else "not_found"
    lead = FUZZY_LEAD if found.fuzzy else TIE
    if len(routes) > 1 and routes[0].confidence - routes[1].confidence < lead:
        status = "ambiguous"
    routes = routes[:limit]
    wanted = {r.unit_id for r in routes} | {r.named_id for r in routes if r.path}
    wanted |= {index.province_id(r.unit_id) for r in routes} - {None}
    units = AdministrativeUnit.objects.in_bulk(wanted)
    matches = tuple(
        Match(
            unit=units[r.unit_id],
            confidence=round(r.confidence, 4),
            matched_on=r.matched_on,
            explanation=" ".join(_step(index, link) for link in r.path),
            via=units.get(r.named_id) if r.path else None,
            province=units.get(index.province_id(r.unit_id))
            if index.units[r.unit_id].level != Level.PROVINCE
            else None,
        )
        for r in routes
        if r.unit_id in units  # a unit deleted since the index was built
    )
    shown = {(m.unit.short_name, m.unit.level) for m in matches}
    notes = []
    for unit_id in found.unanswered:
        entry = index.units[unit_id]
        note = _note(index, unit_id, date)
        if (entry.short_name, entry.level) not in shown and note not in notes:
            notes.append(note)
    notes = notes[:3]
    suggestions: list[str] = []
    if found.fuzzy or not matches:
        text, levels, scope = found.probe
        if Level.DISTRICT in levels:
            levels = levels | {Level.COMMUNE}  # districts ended in 2025; communes took them over
        for _ratio, ids in similar(index, text, levels, scope, SUGGEST_CUTOFF):
            ids = [i for i in ids if answers(index, i, date)]  # only names that lead somewhere
            label = _label(index, ids, date) if ids else None
            if label and label not in suggestions and len(suggestions) < 3:
                suggestions.append(label)
    message = _message(query, date, status, matches, suggestions, found.fuzzy)
    message = " ".join([message, *notes])
    if not matches:
        status = "not_found"
    return Resolution(
        query, date, level, status, matches, message, tuple(suggestions), tuple(notes)
    )


def _message(query, date, status, matches, suggestions, fuzzy) -> str:
    values = {"query": query, "date": f"{date:%d/%m/%Y}"}
    hint = ", ".join(suggestions)
    if not matches:
        message = _("Không tìm thấy địa danh “%(query)s”.") % values
        return message + (" " + _("Gợi ý: %(hint)s.") % {"hint": hint} if hint else "")
    if fuzzy:
        return _("Không có địa danh nào tên đúng “%(query)s”. Có phải bạn muốn tìm: %(hint)s?") % {
            **values,
            "hint": hint,
        }
    if status == "ambiguous":
        message = _("“%(query)s” ứng với nhiều đơn vị vào ngày %(date)s.") % values
        if matches[0].province is None:
            return message
        example = f"{query}, {matches[0].province.short_name}"
        return (
            message + " " + _("Hãy ghi kèm tên tỉnh, ví dụ “%(example)s”.") % {"example": example}
        )
    best = matches[0]
    message = _("“%(query)s” là %(name)s (%(code)s) vào ngày %(date)s.") % {
        **values,
        "name": best.unit.name,
        "code": best.unit.code,
    }
    return f"{message} {best.explanation}" if best.explanation else message
