"""In-memory index of every unit's names, and the matching of text against it.

Built once per process (two queries) and rebuilt when the territory changes, so resolving a
name costs a fingerprint query and one fetch of the answers instead of a scan of ~14,000 rows.
:mod:`regionlink.geography.names` turns what is found here into answers and messages.
"""

from __future__ import annotations

import datetime as dt
import difflib
import threading
from dataclasses import dataclass, field, fields, replace

from django.db.models import Count, F, Func, Max, Subquery

from regionlink.core.text import (
    compact,
    diacritic_agreement,
    fold,
    has_diacritics,
    marked_words,
    strip_diacritics,
)
from regionlink.geography.models import AdministrativeUnit, Level, Succession

AGREEMENT = {"exact": 1.0, "partial": 0.95, "conflict": 0.85}  # diacritics typed vs the name's
ALIAS, ENGLISH = 0.95, 0.9
SUCCESSOR = 0.9  # the text names what the place was, not what it is on the date
PARTIAL = 0.7  # a share of the territory, when another successor took the whole of it
OTHER_LEVEL = 0.5  # "Xã Bình Dương" does not mean the province
OTHER_TYPE = 0.97  # "Tỉnh Cần Thơ" for Thành phố Cần Thơ: right level, other kind
SPLIT = 0.97  # words split unlike the name's: "T. Hai Duong" is not Thái Dương
BELOW_PROVINCE = 0.6  # a bare "Bình Dương" means the province before any commune so named
FUZZY, FUZZY_CUTOFF, SUGGEST_CUTOFF = 0.8, 0.6, 0.5
TIE, FUZZY_LEAD = 0.01, 0.1  # how close two answers must be to count as equally good
LEVEL_RANK = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}

_P, _D, _C = frozenset({"province"}), frozenset({"district"}), frozenset({"commune"})
_CITY = (_P | _D, frozenset({"thanh_pho_tw", "thanh_pho"}))
# Written prefixes, with the level and kinds of unit they hint ("TP" is a province or a city).
_PREFIXES = sorted(
    (
        (tuple(marked_words(written)), levels, types)
        for written, levels, types in [
            ("Thành phố", *_CITY),
            ("T.P.", *_CITY),
            ("TP", *_CITY),
            ("Tỉnh", _P, frozenset({"tinh"})),
            ("T.", _P, frozenset({"tinh"})),
            ("Thị xã", _D, frozenset({"thi_xa"})),
            ("TX", _D, frozenset({"thi_xa"})),
            ("Quận", _D, frozenset({"quan"})),
            ("Huyện", _D, frozenset({"huyen"})),
            ("Thị trấn", _C, frozenset({"thi_tran"})),
            ("Xã", _C, frozenset({"xa"})),
            ("Phường", _C, frozenset({"phuong"})),
            ("Đặc khu", _C, frozenset({"dac_khu"})),
        ]
    ),
    key=lambda prefix: -len(prefix[0]),
)
_SUFFIXES = [(("province",), _P, None), (("city",), *_CITY)]


@dataclass(frozen=True, slots=True)
class Entry:
    """The few fields of a unit that name matching needs."""

    id: int
    code: str
    level: str
    unit_type: str
    name: str
    short_name: str
    name_en: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    parent_id: int | None

    def is_valid_on(self, date: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (
            self.valid_to is None or self.valid_to >= date
        )


@dataclass(frozen=True, slots=True)
class Link:
    """One succession, as :class:`~regionlink.geography.models.Succession` stores it."""

    predecessor_id: int
    successor_id: int
    effective_date: dt.date
    kind: str
    legal_basis: str


class NameIndex:
    """Units by compact name key ("bariavungtau" → ids), with successions for date questions."""

    def __init__(
        self, entries: list[tuple[Entry, list[str]]], links: list[Link], fingerprint: tuple = ()
    ):
        self.fingerprint = fingerprint
        self.units: dict[int, Entry] = {}
        # key → [(unit id, what matched: "short", "full", "alias" or "english")]
        self.keys: dict[str, list[tuple[int, str]]] = {}
        # Folded names for fuzzy suggestions, kept per level so a commune scan is opt-in.
        self.fuzzy_keys: dict[str, dict[str, list[int]]] = {level: {} for level in Level.values}
        self.links_out: dict[int, list[Link]] = {}
        self.links_in: dict[int, list[Link]] = {}
        for link in links:
            self.links_out.setdefault(link.predecessor_id, []).append(link)
            self.links_in.setdefault(link.successor_id, []).append(link)
        for entry, aliases in entries:
            self._add(entry, aliases)
        # Same order as Succession.Meta.ordering, so paths come out as queries.became gives them.
        for out in self.links_out.values():
            out.sort(key=lambda link: (link.effective_date, self.units[link.successor_id].code))

    def _add(self, entry: Entry, aliases: list[str]) -> None:
        self.units[entry.id] = entry
        keyed = [(compact(entry.short_name), "short"), (compact(entry.name), "full")]
        keyed += [(compact(a), "alias") for a in aliases]
        keyed.append((compact(entry.name_en), "english"))
        for key, how in keyed:
            if key and (entry.id, how) not in self.keys.get(key, ()):
                self.keys.setdefault(key, []).append((entry.id, how))
        self.fuzzy_keys[entry.level].setdefault(fold(entry.short_name), []).append(entry.id)

    def lineage(self, unit_id: int) -> list[int]:
        """The unit and its ancestors up to its province."""
        chain = []
        while unit_id is not None and unit_id in self.units and unit_id not in chain:
            chain.append(unit_id)
            unit_id = self.units[unit_id].parent_id
        return chain

    def province_id(self, unit_id: int) -> int | None:
        chain = self.lineage(unit_id)
        return chain[-1] if chain and self.units[chain[-1]].level == Level.PROVINCE else None

    def became(self, unit_id: int, date: dt.date) -> list[list[Link]]:
        """Mirror of :func:`regionlink.geography.queries.became` without a query per step."""
        paths: list[list[Link]] = []

        def walk(node: int, path: list[Link], seen: frozenset[int]) -> None:
            forward = [
                link
                for link in self.links_out.get(node, ())
                if link.effective_date <= date and link.successor_id not in seen
            ]
            if self.units[node].is_valid_on(date):
                paths.append(path)
            for link in forward:
                walk(link.successor_id, [*path, link], seen | {link.successor_id})

        walk(unit_id, [], frozenset({unit_id}))
        return paths


def _fingerprint() -> tuple:
    # Counts and maxima catch loads, merges and ended units; a rename in place needs invalidate().
    links = Succession.objects.order_by().annotate(n=Func(F("id"), function="COUNT")).values("n")
    row = AdministrativeUnit.objects.aggregate(
        units=Count("id"),
        last=Max("id"),
        ended=Count("valid_to"),
        last_end=Max("valid_to"),
        links=Max(Subquery(links)),
    )
    return tuple(sorted(row.items()))


def build(fingerprint: tuple = ()) -> NameIndex:
    links = [
        Link(*row)
        for row in Succession.objects.values_list(
            "predecessor_id", "successor_id", "effective_date", "kind", "legal_basis"
        )
    ]
    names = [f.name for f in fields(Entry)]
    rows = AdministrativeUnit.objects.values_list(*names, "aliases")
    entries = [(Entry(*row[:-1]), row[-1] or []) for row in rows]
    return NameIndex(entries, links, fingerprint)


_lock = threading.Lock()
_current: NameIndex | None = None


def get_index() -> NameIndex:
    """The index for the territory as it is now (one cheap query when nothing changed)."""
    global _current
    fingerprint = _fingerprint()
    with _lock:
        if _current is None or _current.fingerprint != fingerprint:
            _current = build(fingerprint)
        return _current


def invalidate() -> None:
    """Forget the index, e.g. after renaming units in place."""
    global _current
    with _lock:
        _current = None


@dataclass(frozen=True)
class _Reading:
    """One way to read the text: as written, or with a prefix or English suffix taken off."""

    words: tuple[str, ...]
    levels: frozenset[str] | None = None
    types: frozenset[str] | None = None

    @property
    def key(self) -> str:
        return compact(" ".join(self.words))


@dataclass(frozen=True)
class _Route:
    unit_id: int  # the answer, valid on the date
    named_id: int  # the unit the text named
    confidence: float
    base: float  # the name score alone
    matched_on: str
    path: tuple[Link, ...] = ()


@dataclass
class Found:
    """What a text led to: the best route to each answer, and the units it named."""

    routes: dict[int, _Route] = field(default_factory=dict)
    via: dict[int, _Route] = field(default_factory=dict)
    named: set[int] = field(default_factory=set)
    unanswered: list[int] = field(default_factory=list)
    fuzzy: bool = False
    probe: tuple = ()  # (folded text, levels, scope) for suggestions


def _same_word(typed: str, written: str) -> bool:
    return typed == written or (not has_diacritics(typed) and typed == strip_diacritics(written))


def _readings(text: str) -> list[_Reading]:
    rest = tuple(marked_words(text))
    readings, levels, types = [_Reading(rest)], None, None
    for prefix, levels_, types_ in _PREFIXES:
        n = len(prefix)
        if len(rest) > n and all(map(_same_word, rest[:n], prefix)):
            rest, levels, types = rest[n:], levels_, types_
            readings.append(_Reading(rest, levels, types))
            break
    else:
        if rest and rest[0].startswith("tp") and len(rest[0]) > 2:  # glued on: "TPCần Thơ"
            rest, (levels, types) = (rest[0][2:], *rest[1:]), _CITY
            readings.append(_Reading(rest, levels, types))
    stripped = True
    while stripped:
        stripped = False
        for suffix, levels_, types_ in _SUFFIXES:
            if len(rest) > len(suffix) and rest[-len(suffix) :] == suffix:
                rest, levels, types = rest[: -len(suffix)], levels or levels_, types or types_
                readings.append(_Reading(rest, levels, types))
                stripped = True
    return readings


def _hits(index: NameIndex, reading: _Reading) -> dict[int, tuple[float, str]]:
    hits: dict[int, tuple[float, str]] = {}
    marked, spaced = "".join(reading.words), fold(" ".join(reading.words))
    for unit_id, how in index.keys.get(reading.key, ()):
        entry = index.units[unit_id]
        written = {"short": entry.short_name, "full": entry.name, "english": entry.name_en}
        if how in ("short", "full"):
            hit = (AGREEMENT[diacritic_agreement(marked, written[how])], "name")
        else:
            hit = (ALIAS, "alias") if how == "alias" else (ENGLISH, "english")
        if how in written and fold(written[how]) != spaced:
            hit = (hit[0] * SPLIT, hit[1])
        if hit[0] > hits.get(unit_id, (0.0, ""))[0]:
            hits[unit_id] = hit
    return hits


def answers(index: NameIndex, unit_id: int, date: dt.date) -> list[tuple[int, tuple, float]]:
    """(answer, succession path, factor) for a named unit; none if it did not exist then."""
    entry = index.units[unit_id]
    if entry.is_valid_on(date):
        return [(unit_id, (), 1.0)]
    if entry.valid_from and entry.valid_from > date:
        return []
    paths = [tuple(p) for p in index.became(unit_id, date) if p]
    partial = [any(link.kind != "whole" for link in p) for p in paths]
    carried = not all(partial)  # one successor took the whole territory
    return [
        (p[-1].successor_id, p, SUCCESSOR * (PARTIAL if carried and part else 1))
        for p, part in zip(paths, partial, strict=True)
    ]


def _in_scope(index: NameIndex, scope: set[int] | None, *unit_ids: int) -> bool:
    return scope is None or any(scope.intersection(index.lineage(u)) for u in unit_ids)


def _collect(index, reading, hits, date, level, scope, found: Found) -> None:
    """Score one reading's hits on the date and keep the best route to each answer."""
    routes = []
    for unit_id, (score, matched_on) in hits.items():
        entry = index.units[unit_id]
        factor = 1.0
        if reading.levels and entry.level not in reading.levels:
            factor = OTHER_LEVEL
        elif reading.types and entry.unit_type not in reading.types:
            factor = OTHER_TYPE
        leads = answers(index, unit_id, date)
        for answer, path, date_factor in leads:
            if (not level or index.units[answer].level == level) and _in_scope(
                index, scope, unit_id, answer
            ):
                routes.append(
                    _Route(answer, unit_id, score * factor * date_factor, score, matched_on, path)
                )
                found.named.add(unit_id)
        if not leads and (not level or entry.level == level) and _in_scope(index, scope, unit_id):
            found.named.add(unit_id)
            if factor > OTHER_LEVEL:  # "Xã Tân Phú" says nothing about Huyện Tân Phú
                found.unanswered.append(unit_id)
    # Without a prefix, a name shared by a province and a commune means the province.
    if not reading.levels and any(index.units[r.unit_id].level == Level.PROVINCE for r in routes):
        routes = [
            r
            if index.units[r.unit_id].level == Level.PROVINCE
            else replace(r, confidence=r.confidence * BELOW_PROVINCE)
            for r in routes
        ]
    for r in routes:
        best = found.routes.get(r.unit_id)
        if best is None or _strength(r) > _strength(best):
            found.routes[r.unit_id] = r
        strongest = found.via.get(r.unit_id)
        if r.path and (strongest is None or r.base > strongest.base):
            found.via[r.unit_id] = r


def _strength(route: _Route) -> tuple[float, float, bool]:
    return route.confidence, route.base, not route.path  # a direct answer wins a tie


def similar(index, text, levels, scope, cutoff) -> list[tuple[float, list[int]]]:
    """(similarity, unit ids) of names at ``levels`` at least ``cutoff`` alike, best first."""
    matcher = difflib.SequenceMatcher(a=None, b=fold(text))
    found = []
    for level in levels:
        for key, ids in index.fuzzy_keys[level].items():
            matcher.set_seq1(key)
            if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
                ratio = matcher.ratio()
                ids = [i for i in ids if _in_scope(index, scope, i)]
                if ratio >= cutoff and ids:
                    found.append((ratio, ids))
    return sorted(found, key=lambda item: -item[0])


def find(index, text, date, level, scope=None, fuzzy=True) -> Found:
    """Units the text names exactly; by similarity only when nothing is named at all."""
    found = Found()
    readings = _readings(text)
    for reading in readings:
        _collect(index, reading, _hits(index, reading), date, level, scope, found)
    last = readings[-1]
    levels = {level} if level else {Level.PROVINCE, *(last.levels or ())}
    if scope is not None and not level:
        levels |= {Level.DISTRICT, Level.COMMUNE}
    found.probe = (" ".join(last.words), levels, scope)
    if fuzzy and not found.routes and not found.unanswered:
        close = similar(index, *found.probe, FUZZY_CUTOFF)
        hits = {i: (ratio * FUZZY, "fuzzy") for ratio, ids in reversed(close) for i in ids}
        _collect(index, last, hits, date, level, scope, found)
        found.fuzzy = True
    return found


def find_within(index, parts, date, level) -> Found | None:
    """ "Phường Ba Đình, Hà Nội": the last part is a province, the first a unit inside it."""
    province = find(index, parts[-1], date, Level.PROVINCE, fuzzy=False)
    scopes = [province.named | set(province.routes)]
    if not scopes[0]:
        return None
    for part in reversed(parts[1:-1]):
        inner = find(index, part, date, None, scopes[0], fuzzy=False)
        if inner.named:
            scopes.insert(0, inner.named | set(inner.routes))
    for scope in scopes:
        found = find(index, parts[0], date, level, scope, fuzzy=scope is scopes[-1])
        if found.routes:
            break
    return found
