"""Territory API: regions, administrative units, successions and name resolution on any date.

Public reference data: anonymous callers may read all of it. Every read takes a ``date``
(today by default) because the territory changed on 01/07/2025 (Resolution 202/2025/QH15)
and regions changed members under Resolution 306/NQ-CP.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from regionlink.core.api import ApiError, ErrorBody, IsoDate, Limit, tabular_response
from regionlink.core.paging import keyset_page
from regionlink.core.text import fold
from regionlink.geography import queries
from regionlink.geography.models import (
    AdministrativeUnit,
    Level,
    Region,
    RegionMembership,
    Succession,
    UnitType,
    valid_on_q,
)
from regionlink.geography.schemas import (
    LevelParam,
    RegionDetailOut,
    RegionOut,
    ResolutionNotFound,
    ResolutionOut,
    SuccessionPage,
    UnitDetailOut,
    UnitPage,
)

router = Router(tags=["territory"])

FORMATS = ("json", "csv", "xlsx")
UNIT_COLUMNS = (
    "code",
    "name",
    "short_name",
    "name_en",
    "level",
    "unit_type",
    "unit_type_label",
    "parent_code",
    "valid_from",
    "valid_to",
    "area_km2",
    "latitude",
    "longitude",
    "region_code",
)
UNIT_ORDER = ("code", "id")
SUCCESSION_ORDER = ("effective_date", "predecessor__code", "successor__code", "id")


# --- Helpers ---------------------------------------------------------------------------------


def _format(value: str) -> str:
    fmt = (value or "json").lower()
    if fmt not in FORMATS:
        raise ApiError(
            "invalid_format",
            _("Định dạng “%(value)s” không hỗ trợ (tham số format); dùng json, csv hoặc xlsx.")
            % {"value": value},
            field="format",
        )
    return fmt


def region_param(code: str) -> Region:
    region = Region.objects.filter(code__iexact=code).first()
    if region is None:
        known = ", ".join(
            Region.objects.order_by("sort_order", "code").values_list("code", flat=True)
        )
        raise ApiError(
            "unknown_region",
            _("Không có vùng mã “%(code)s” (tham số region); dùng một trong: %(known)s.")
            % {"code": code, "known": known},
            field="region",
        )
    return region


def _as_of(unit: AdministrativeUnit, date: dt.date) -> dt.date:
    """The requested date, or the nearest day the unit existed when it did not exist then."""
    if unit.valid_to is not None and unit.valid_to < date:
        return unit.valid_to
    if unit.valid_from is not None and unit.valid_from > date:
        return unit.valid_from
    return date


def _unit_type_labels() -> dict[str, str]:
    return {value: str(label) for value, label in UnitType.choices}


def _region_codes(units, date: dt.date) -> dict[int, str]:
    """Region of each province in ``units`` on ``date``, in one query."""
    ids = [u.pk for u in units if u.level == Level.PROVINCE]
    if not ids:
        return {}
    return dict(
        RegionMembership.objects.valid_on(date)
        .filter(unit_id__in=ids)
        .values_list("unit_id", "region__code")
    )


def _number(value) -> float | None:
    """A Decimal column as a JSON number."""
    return float(value) if value is not None else None


def _names(item) -> dict:
    """Code and names of a unit or region."""
    return {"code": item.code, "name": item.name, "name_en": item.name_en}


def _validity(item) -> dict:
    """The days ``item`` (a unit, region or membership) held: both ends included, None open."""
    return {"valid_from": item.valid_from, "valid_to": item.valid_to}


def _unit_row(unit: AdministrativeUnit, *, parent_code, region_code, labels) -> dict:
    return {
        **_names(unit),
        **_validity(unit),
        "short_name": unit.short_name,
        "level": unit.level,
        "unit_type": unit.unit_type,
        "unit_type_label": labels.get(unit.unit_type, unit.unit_type),
        "parent_code": parent_code,
        "area_km2": _number(unit.area_km2),
        "latitude": unit.latitude,
        "longitude": unit.longitude,
        "region_code": region_code,
    }


def _unit_rows(units, date: dt.date) -> list[dict]:
    regions = _region_codes(units, date)
    labels = _unit_type_labels()
    return [
        _unit_row(u, parent_code=u.parent_code, region_code=regions.get(u.pk), labels=labels)
        for u in units
    ]


def _side(unit: AdministrativeUnit) -> dict:
    return {"code": unit.code, "name": unit.name, **_validity(unit)}


def _succession_terms(succession: Succession) -> dict:
    return {
        "effective_date": succession.effective_date,
        "kind": succession.kind,
        "share": _number(succession.share),
        "legal_basis": succession.legal_basis,
        "note": succession.note,
    }


def _link(succession: Succession, unit: AdministrativeUnit) -> dict:
    """``unit`` on the other side of ``succession``, with the succession's terms."""
    return {**_side(unit), **_succession_terms(succession)}


def _region_out(region: Region, members) -> dict:
    return {
        **_names(region),
        **_validity(region),
        "legal_basis": region.legal_basis,
        "members": [_names(u) for u in members],
    }


# --- Regions ---------------------------------------------------------------------------------


@router.get(
    "/regions",
    response=list[RegionOut],
    summary="Danh sách vùng kinh tế - xã hội và các tỉnh thành viên",
    description=(
        "Socio-economic regions valid on `date` (today by default), each with the provinces "
        "that belong to it on that date. On 2026-01-01 these are the six regions of "
        "Resolution 306/NQ-CP; before 2025-07-01 the six regions of Resolution 81/2023/QH15."
    ),
)
def list_regions(request, date: IsoDate | None = None):
    date = date or queries.today()
    return [
        _region_out(region, [m.unit for m in region.members_on])
        for region in queries.regions_on(date)
    ]


@router.get(
    "/regions/{code}",
    response={200: RegionDetailOut, 404: ErrorBody},
    summary="Chi tiết một vùng: tỉnh thành viên và lịch sử thành viên",
    description=(
        "One region by code (case-insensitive): its provinces on `date` and its whole "
        "membership history, each membership with the date range it held."
    ),
)
def get_region(request, code: str, date: IsoDate | None = None):
    date = date or queries.today()
    region = queries.region_by_code(code)
    members = queries.units_of_region(region, date)
    history = (
        RegionMembership.objects.filter(region=region)
        .select_related("unit")
        .order_by(F("valid_from").asc(nulls_first=True), "unit__code")
    )
    return {
        **_region_out(region, members),
        "date": date,
        "history": [
            {**_names(m.unit), **_validity(m), "legal_basis": m.legal_basis} for m in history
        ],
    }


# --- Units -----------------------------------------------------------------------------------


def _units_queryset(*, date, level, region, parent, q):
    qs = AdministrativeUnit.objects.valid_on(date).annotate(parent_code=F("parent__code"))
    if level:
        qs = qs.filter(level=level)
    if region:
        provinces = (
            RegionMembership.objects.valid_on(date)
            .filter(region=region_param(region))
            .values("unit_id")
        )
        # Communes hang from a province since 2025, from a district before.
        qs = qs.filter(
            Q(pk__in=provinces) | Q(parent_id__in=provinces) | Q(parent__parent_id__in=provinces)
        )
    if parent:
        qs = qs.filter(valid_on_q(date, prefix="parent__"), parent__code=parent)
    if q:
        key = fold(q)
        if key:
            qs = qs.filter(search_key__icontains=key)
    return qs


@router.get(
    "/units",
    response={200: UnitPage, 400: ErrorBody},
    summary="Danh sách đơn vị hành chính theo ngày (tải CSV/XLSX)",
    description=(
        "Administrative units valid on `date`, filtered by `level`, `region` (a region's "
        "provinces and the units below them), `parent` (code of the parent unit on that date) "
        "and `q` (name, diacritics optional: `tuyen quang` finds Tuyên Quang). Keyset paging by "
        "code: pass the previous page's `next` as `after`. `format=csv` or `format=xlsx` "
        "returns the whole filtered list as a file, without paging."
    ),
)
def list_units(
    request,
    level: LevelParam | None = None,
    region: str | None = None,
    parent: str | None = None,
    date: IsoDate | None = None,
    q: str | None = None,
    after: str | None = None,
    limit: Limit = 100,
    format: str = Query("json", description="json (mặc định), csv hoặc xlsx"),
):
    date = date or queries.today()
    fmt = _format(format)
    qs = _units_queryset(date=date, level=level, region=region, parent=parent, q=q)
    if fmt != "json":
        rows = _unit_rows(list(qs.order_by(*UNIT_ORDER)), date)
        name = f"don-vi-hanh-chinh-{level or 'tat-ca'}-{date.isoformat()}"
        return tabular_response(rows, UNIT_COLUMNS, fmt=fmt, filename=name)
    units, next_cursor = keyset_page(
        qs, order=UNIT_ORDER, kinds=(str, int), after=after, limit=limit
    )
    return {"items": _unit_rows(units, date), "next": next_cursor}


@router.get(
    "/units/{code}",
    response={200: UnitDetailOut, 404: ErrorBody},
    summary="Chi tiết đơn vị hành chính: vùng, tiền thân và kế thừa",
    description=(
        "The unit with `code` valid on `date` (or, if none was, the latest unit that had the "
        "code), with its region, what it was made of (`made_of`), what it became (`became`) "
        "and how many units it had directly below it. For a unit that no longer existed on "
        "`date`, region and children are taken on its last day."
    ),
)
def get_unit(request, code: str, date: IsoDate | None = None):
    date = date or queries.today()
    unit = queries.unit_on(code, date)
    as_of = _as_of(unit, date)
    region = queries.region_of(unit, as_of)
    labels = _unit_type_labels()
    parent_code = unit.parent.code if unit.parent_id else None
    row = _unit_row(
        unit,
        parent_code=parent_code,
        region_code=region.code if region and unit.level == Level.PROVINCE else None,
        labels=labels,
    )
    return {
        **row,
        "region": _names(region) if region else None,
        "made_of": [_link(s, s.predecessor) for s in queries.predecessors(unit)],
        "became": [_link(s, s.successor) for s in queries.successors(unit)],
        "children_count": unit.children.filter(valid_on_q(as_of)).count(),
    }


# --- Successions -----------------------------------------------------------------------------


@router.get(
    "/successions",
    response={200: SuccessionPage, 400: ErrorBody},
    summary="Quan hệ kế thừa giữa các đơn vị hành chính",
    description=(
        "Successions (territory of a predecessor passed wholly or partly to a successor on "
        "`effective_date`), filtered by date range, `level` of the predecessor and the "
        "predecessor's or successor's code. Keyset paging: pass `next` as `after`."
    ),
)
def list_successions(
    request,
    date_from: IsoDate | None = None,
    date_to: IsoDate | None = None,
    level: LevelParam | None = None,
    predecessor: str | None = None,
    successor: str | None = None,
    after: str | None = None,
    limit: Limit = 100,
):
    if date_from and date_to and date_from > date_to:
        raise ApiError(
            "invalid_range",
            _("date_from (%(start)s) phải trước hoặc bằng date_to (%(end)s).")
            % {"start": date_from.isoformat(), "end": date_to.isoformat()},
            field="date_from",
        )
    qs = queries.successions_between(date_from, date_to, level)
    if predecessor:
        qs = qs.filter(predecessor__code=predecessor)
    if successor:
        qs = qs.filter(successor__code=successor)
    rows, next_cursor = keyset_page(
        qs,
        order=SUCCESSION_ORDER,
        kinds=(dt.date, str, str, int),
        after=after,
        limit=limit,
    )
    items = [
        {
            "predecessor": _side(s.predecessor),
            "successor": _side(s.successor),
            **_succession_terms(s),
            "share_basis": s.share_basis,
        }
        for s in rows
    ]
    return {"items": items, "next": next_cursor}


# --- Name resolution -------------------------------------------------------------------------


@router.get(
    "/resolve",
    response={200: ResolutionOut, 404: ResolutionNotFound},
    summary="Nhận diện tên địa danh thành đơn vị hành chính",
    description=(
        "Resolve a place name as people write it (with or without diacritics, old or new "
        "tone placement, abbreviations such as `TP.HCM`, names of units merged in 2025) to the "
        "administrative units valid on `date`. `status` says whether the match is exact, "
        "ambiguous or missing; a name that matches nothing answers 404 with `code: not_found`."
    ),
)
def resolve_name(request, q: str, date: IsoDate | None = None, level: LevelParam | None = None):
    # Imported here so the territory API keeps working while the resolver is deployed.
    from regionlink.geography import names

    if not q.strip():
        raise ApiError(
            "invalid_request",
            _("Tham số q trống; nhập tên địa danh cần tra, ví dụ q=Thanh Hoá."),
            status=422,
            field="q",
        )
    body = names.resolve(q, date=date or queries.today(), level=level).as_dict()
    if body.get("status") == "not_found":
        message = body.get("message") or _(
            "Không tìm thấy đơn vị hành chính nào khớp với “%(q)s”; kiểm tra chính tả hoặc ngày."
        ) % {"q": q}
        return Status(404, {**body, "code": "not_found", "message": message})
    return body
