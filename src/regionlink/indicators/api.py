"""Data hub API: the indicator catalogue and data values for units, regions and the country.

Anonymous callers read public, released data; a signed-in caller (session or Bearer token)
also reads the data sets shared with their organisation. Every value passes through
``sharing.readable_datasets``: restricted data is missing for those who may not read it, in
JSON, CSV, XLSX and SDMX-CSV alike, and in every aggregate.
"""

from __future__ import annotations

import csv
import io
import json

from django.db.models import Count
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from regionlink.core.api import ApiError, ErrorBody, Limit, require_user, tabular_response
from regionlink.core.paging import decode_cursor, encode_cursor
from regionlink.core.text import fold
from regionlink.geography import queries as geography_queries
from regionlink.geography.models import Region
from regionlink.indicators import data_cache, data_versions
from regionlink.indicators import values as reads
from regionlink.indicators.aggregation_territory import snapshot as territory_snapshot
from regionlink.indicators.catalogue import snapshot as catalogue_snapshot
from regionlink.indicators.formula import FormulaError
from regionlink.indicators.formula import parse as parse_formula
from regionlink.indicators.models import (
    DataSet,
    Indicator,
    IndicatorGroup,
    SpatialRule,
    TemporalRule,
    ValueStatus,
)
from regionlink.indicators.schemas import (
    DataPage,
    GroupOut,
    IndicatorDetailOut,
    IndicatorPage,
    SdmxImportOut,
)

router = Router(tags=["data hub"])

FORMATS = ("json", "csv", "xlsx", "sdmx-csv")
INDICATOR_ORDER = ("group__sort_order", "code")
DATA_CURSOR = (str, int, str, str, str)
# SDMX-CSV 1.0 (SDMX Technical Working Group, "SDMX-CSV format", v1.0): DATAFLOW first, then
# the dimensions, OBS_VALUE, then attributes. OBS_STATUS follows the SDMX code list CL_OBS_STATUS.
SDMX_DATAFLOW = "VN_REGIONLINK:DF_REGIONAL_DATA(1.0)"
SDMX_STATUS = {
    ValueStatus.PRELIMINARY: "P",
    ValueStatus.OFFICIAL: "A",
    ValueStatus.ESTIMATED: "E",
    ValueStatus.FORECAST: "F",
}
SDMX_MISSING = "M"


def _query_error(exc: reads.QueryError) -> ApiError:
    return ApiError(exc.code, exc.message, field=exc.field)


# --- Catalogue -------------------------------------------------------------------------------


@router.get(
    "/indicator-groups",
    response=list[GroupOut],
    summary="Các nhóm chỉ tiêu (20 nhóm của hệ thống chỉ tiêu thống kê cấp tỉnh)",
)
def list_groups(request):
    groups = IndicatorGroup.objects.annotate(indicator_count=Count("indicators")).order_by(
        "sort_order"
    )
    return [
        {"code": g.code, "name": g.name, "name_en": g.name_en, "indicator_count": g.indicator_count}
        for g in groups
    ]


def _indicator_item(indicator: Indicator) -> dict:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "name_en": indicator.name_en,
        "group": indicator.group.code,
        "group_name": indicator.group.name,
        "unit_of_measure": indicator.unit_of_measure,
        "periodicity": indicator.periodicity,
        "spatial_rule": indicator.spatial_rule,
        "temporal_rule": indicator.temporal_rule,
        "responsible_agency": indicator.responsible_agency,
        "dimensions": [d.code for d in indicator.dimensions.all()],
    }


def _agencies_matching(text: str) -> list[str]:
    """Responsible agencies whose name contains ``text``, diacritics optional (one query)."""
    key = fold(text)
    agencies = Indicator.objects.values_list("responsible_agency", flat=True).distinct()
    return [a for a in agencies if key in fold(a)]


@router.get(
    "/indicators",
    response={200: IndicatorPage, 400: ErrorBody},
    summary="Danh mục chỉ tiêu: tìm kiếm, lọc theo nhóm và cơ quan",
    description=(
        "The indicator catalogue, by group then code. `q` searches code and names without "
        "needing diacritics (`dan so` finds Dân số); `group` is a group code (G01…G20); "
        "`agency` matches the responsible agency (`thong ke` finds Cục Thống kê). Keyset "
        "paging: pass the previous page's `next` as `after`."
    ),
)
def list_indicators(
    request,
    q: str | None = None,
    group: str | None = None,
    agency: str | None = None,
    after: str | None = None,
    limit: Limit = 100,
):
    qs = Indicator.objects.select_related("group").prefetch_related("dimensions")
    if q and (key := fold(q)):
        qs = qs.filter(search_key__contains=key)
    if group:
        qs = qs.filter(group__code__iexact=group.strip())
    if agency and agency.strip():
        qs = qs.filter(responsible_agency__in=_agencies_matching(agency))
    qs = qs.order_by(*INDICATOR_ORDER)
    if after:
        sort_order, code = decode_cursor(after, (int, str))
        qs = qs.filter(group__sort_order__gte=sort_order).exclude(
            group__sort_order=sort_order, code__lte=code
        )
    items = list(qs[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    last = items[-1] if more and items else None
    return {
        "items": [_indicator_item(i) for i in items],
        "next": encode_cursor([last.group.sort_order, last.code]) if last else None,
    }


def _detail(indicator: Indicator) -> dict:
    try:
        references = [str(r) for r in parse_formula(indicator.formula).references]
    except FormulaError:
        references = []
    dimensions = list(indicator.dimensions.all())
    return {
        **_indicator_item(indicator),
        "unit_of_measure_en": indicator.unit_of_measure_en,
        "concept": indicator.concept,
        "calculation_method": indicator.calculation_method,
        "data_source": indicator.data_source,
        "spatial_rule_label": str(SpatialRule(indicator.spatial_rule).label),
        "temporal_rule_label": str(TemporalRule(indicator.temporal_rule).label),
        "weight": indicator.weight.code if indicator.weight_id else None,
        "numerator": indicator.numerator.code if indicator.numerator_id else None,
        "numerator_disaggregation": indicator.numerator_disaggregation,
        "denominator": indicator.denominator.code if indicator.denominator_id else None,
        "denominator_disaggregation": indicator.denominator_disaggregation,
        "scale": float(indicator.scale),
        "formula": indicator.formula,
        "formula_references": references if indicator.formula else [],
        "not_aggregable_reason": indicator.not_aggregable_reason,
        "min_value": float(indicator.min_value) if indicator.min_value is not None else None,
        "max_value": float(indicator.max_value) if indicator.max_value is not None else None,
        "is_percentage": indicator.is_percentage,
        "decimals": indicator.decimals,
        "dimension_details": [
            {
                "code": d.code,
                "name": d.name,
                "name_en": d.name_en,
                "members": [
                    {"code": m.code, "name": m.name, "name_en": m.name_en} for m in d.members.all()
                ],
            }
            for d in dimensions
        ],
    }


@router.get(
    "/indicators/{code}",
    response={200: IndicatorDetailOut, 404: ErrorBody},
    summary="Định nghĩa một chỉ tiêu (các trường theo Nghị định 94/2022/NĐ-CP) và quy tắc tổng hợp",
)
def get_indicator(request, code: str):
    indicator = (
        Indicator.objects.select_related("group", "weight", "numerator", "denominator")
        .prefetch_related("dimensions__members")
        .filter(code__iexact=code.strip())
        .first()
    )
    if indicator is None:
        raise ApiError(
            "unknown_indicator",
            _("Không có chỉ tiêu mã “%(code)s”; xem danh mục tại /api/v1/indicators.")
            % {"code": code},
            status=404,
        )
    return _detail(indicator)


# --- Data ------------------------------------------------------------------------------------


def _sdmx_response(rows, query: reads.DataQuery, catalogue) -> HttpResponse:
    """SDMX-CSV 1.0, hand-written: the format is one header and plain rows (see report)."""
    from regionlink.indicators import disaggregation as dis

    units = {code: catalogue.by_code[code].unit_of_measure for code in query.indicators}
    dimensions = sorted(dis.parse(query.disaggregation))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ["DATAFLOW", "REF_AREA", "INDICATOR", *dimensions, "TIME_PERIOD", "OBS_VALUE",
         "OBS_STATUS", "UNIT_MEASURE", "BOUNDARIES", "COMMENT"]
    )  # fmt: skip
    pairs = dis.parse(query.disaggregation)
    for row in rows:
        value = reads.output_number(row.value)
        writer.writerow(
            [
                SDMX_DATAFLOW,
                row.target.code,
                row.indicator,
                *(pairs[d] for d in dimensions),
                row.period,
                format(value, "f") if value is not None else "",
                SDMX_STATUS.get(row.status, SDMX_MISSING) if value is not None else SDMX_MISSING,
                units.get(row.indicator, ""),
                row.boundaries,
                row.reason,
            ]
        )
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="so-lieu-sdmx.csv"'
    return response


@router.get(
    "/data",
    response={200: DataPage, 400: ErrorBody},
    summary="Số liệu cho đơn vị, vùng hoặc cả nước, theo địa giới khi đó hoặc hiện nay",
    description=(
        "`indicator=POP_AVG[,GRDP]` with `unit=08[,68]` (administrative unit codes), "
        "`region=DBSH[,TN]` and/or `country=1`; `period=2016`, `2010:2020` or `2024-Q1` "
        "(comma-separated lists allowed). `boundaries=asof` takes each period on the territory "
        "of its end (2016: 63 provinces, old regions); `current` re-expresses it on today's "
        "units through successions. Each row has value (null when not computable), status, "
        "coverage (expected, contributing and missing units) and the reason when not "
        "computable. `min_coverage` (0–1, default 1) lowers the share of expected units "
        "required. Keyset paging (`after` = previous `next`); `format=csv|xlsx|sdmx-csv` "
        "returns every row as a file. Responses carry an ETag; send it as If-None-Match to get "
        "304 when nothing changed."
    ),
)
def get_data(
    request,
    indicator: str,
    period: str,
    unit: str | None = None,
    region: str | None = None,
    country: bool = False,
    boundaries: str = "asof",
    disaggregation: str = "",
    min_coverage: str | None = None,
    format: str = Query("json", description="json (mặc định), csv, xlsx hoặc sdmx-csv"),
    after: str | None = None,
    limit: Limit = 100,
):
    fmt = (format or "json").lower()
    if fmt not in FORMATS:
        raise ApiError(
            "invalid_format",
            _("Định dạng “%(value)s” không hỗ trợ; dùng json, csv, xlsx hoặc sdmx-csv.")
            % {"value": format},
            field="format",
        )
    user = request.user if request.user.is_authenticated else None
    dataset_ids, demo_ids = reads.readable_dataset_flags(user)
    versions = data_versions.read(dataset_ids)
    snapshots = {
        "catalogue": catalogue_snapshot(versions.catalogue),
        "territory": territory_snapshot(versions.territory),
    }
    try:
        query = reads.parse_query(
            indicator=indicator,
            period=period,
            unit=unit,
            region=region,
            country=country,
            boundaries=boundaries,
            disaggregation=disaggregation,
            min_coverage=min_coverage,
            **snapshots,
        )
    except reads.QueryError as exc:
        raise _query_error(exc) from None
    cursor = decode_cursor(after, DATA_CURSOR) if after else None
    etag = data_cache.etag(
        params=sorted(request.GET.lists()),
        dataset_ids=dataset_ids,
        demo_ids=demo_ids,
        versions=versions,
        language=translation.get_language(),
        today=geography_queries.today(),
    )
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        cache_key = data_cache.key(etag, versions)
        response = data_cache.get(cache_key)
        if response is None:
            illustrative = reads.touches_illustrative_data(
                query.indicators, dataset_ids, demo_ids=demo_ids, catalogue=snapshots["catalogue"]
            )
            response = _data_response(
                user, query, fmt, cursor, limit, dataset_ids, illustrative, snapshots
            )
            data_cache.put(cache_key, response)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie, Authorization, Accept-Language"
    return response


def _data_response(user, query, fmt, cursor, limit, dataset_ids, illustrative, snapshots):
    """The computed answer to a data query, in ``fmt``."""
    note = reads.ILLUSTRATIVE_NOTE if illustrative else ""
    if fmt == "json":
        rows, last = reads.data_page(
            user, query, after=cursor, limit=limit, dataset_ids=dataset_ids, **snapshots
        )
        items = [{**reads.row_dict(r), "note": note} for r in rows]
        body = {
            "items": items,
            "next": encode_cursor(last) if last else None,
            "illustrative": illustrative,
        }
        return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json")
    rows = reads.data_rows(user, query, dataset_ids=dataset_ids, **snapshots)
    if fmt == "sdmx-csv":
        return _sdmx_response(rows, query, snapshots["catalogue"])
    return tabular_response(
        ({**reads.flat_row(r), "note": note} for r in rows),
        (*reads.FLAT_COLUMNS, "note"),
        fmt=fmt,
        filename="so-lieu-" + "-".join(query.indicators).lower()[:60],
    )


# --- SDMX-CSV import -------------------------------------------------------------------------
# An SDMX-CSV file is turned into our long template and handed to the importer, so the same
# validation, all-or-nothing batches, approval and audit apply as for any other file.

SDMX_KNOWN = {"DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "ACTION", "REF_AREA", "INDICATOR",
              "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "UNIT_MEASURE", "UNIT_MULT", "DECIMALS",
              "OBS_CONF", "COMMENT", "BOUNDARIES"}  # fmt: skip
SDMX_REQUIRED = ("REF_AREA", "INDICATOR", "TIME_PERIOD", "OBS_VALUE")
SDMX_TOTALS = {"", "_T", "_Z"}
MAX_LISTED_SKIPS = 20


def _sdmx_code(text: str | None) -> str:
    """ "01: Hà Nội" (SDMX-CSV with labels) → "01"."""
    return (text or "").split(":", 1)[0].strip()


def sdmx_to_long(text: str, region_codes: set[str]) -> tuple[bytes, int, list[str]]:
    """An SDMX-CSV file as our long template (UTF-8 CSV), the rows kept and the rows skipped.

    Skipped rows stay as blank lines so the importer's row numbers are the file's. Region and
    country rows are skipped: aggregates are computed from units, never stored.
    """
    from regionlink.indicators import disaggregation as dis
    from regionlink.indicators.importing.readers import LONG_COLUMNS

    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [_sdmx_code(h).upper() for h in next(reader, [])]
    missing = [c for c in SDMX_REQUIRED if c not in header]
    if missing:
        raise ApiError(
            "invalid_sdmx",
            _("Tệp SDMX-CSV thiếu cột %(columns)s.") % {"columns": ", ".join(missing)},
            field="file",
        )
    at = {name: i for i, name in enumerate(header)}
    dimensions = [h for h in header if h and h not in SDMX_KNOWN]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LONG_COLUMNS)
    kept, skipped = 0, []
    for number, cells in enumerate(reader, start=2):
        cell = {name: _sdmx_code(cells[i]) if i < len(cells) else "" for name, i in at.items()}
        value = (cells[at["OBS_VALUE"]] if at["OBS_VALUE"] < len(cells) else "").strip()
        area = cell["REF_AREA"]
        skip = None
        if area.upper() in region_codes or area.upper() == "VN":
            skip = _(
                "Dòng %(row)s: %(area)s là vùng hoặc cả nước; số liệu tổng hợp được tính từ các "
                "đơn vị, không nhập."
            ) % {"row": number, "area": area}
        elif not value and cell.get("OBS_STATUS", "").upper() == SDMX_MISSING:
            skip = _("Dòng %(row)s: không có giá trị (OBS_STATUS M).") % {"row": number}
        if skip or not any(c.strip() for c in cells):
            skipped += [skip] if skip else []
            writer.writerow([""] * len(LONG_COLUMNS))
            continue
        pairs = {d: cell[d].upper() for d in dimensions if cell.get(d, "") not in SDMX_TOTALS}
        row = {
            "ma_chi_tieu": cell["INDICATOR"],
            "ma_don_vi": area,
            "ky": cell["TIME_PERIOD"],
            "phan_to": dis.canonical(pairs),
            "gia_tri": value,
            "tinh_trang": cell.get("OBS_STATUS", ""),
            "nguon": cell.get("DATAFLOW", ""),
        }
        writer.writerow([row.get(c, "") for c in LONG_COLUMNS])
        kept += 1
    return out.getvalue().encode("utf-8"), kept, skipped


@router.post(
    "/data/sdmx-csv",
    response={202: SdmxImportOut, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody},
    summary="Nhập số liệu từ tệp SDMX-CSV vào một bộ dữ liệu",
    description=(
        "Upload an SDMX-CSV 1.0 file (`file`) into the data set `dataset` (its code). Columns "
        "REF_AREA (unit code), INDICATOR, TIME_PERIOD and OBS_VALUE are required; OBS_STATUS "
        "(A, P, E, F) gives the status; every other non-standard column is a disaggregation "
        "dimension (`_T` = total). The rows go through the same import as any file: validated "
        "whole, all or nothing, `dry_run` to preview, `publish` when you may approve. The "
        "answer is the import batch (its report names every refused row)."
    ),
)
def import_sdmx_csv(
    request,
    file: File[UploadedFile],
    dataset: Form[str],
    source: Form[str] = "",
    dry_run: Form[bool] = False,
    publish: Form[bool] = False,
):
    from regionlink.indicators.importing import pipeline

    user = require_user(request)
    target = DataSet.objects.filter(code=dataset.strip()).first()
    if target is None:
        raise ApiError(
            "unknown_dataset",
            _("Không có bộ dữ liệu mã “%(code)s” (tham số dataset).") % {"code": dataset},
            status=404,
            field="dataset",
        )
    try:
        text = file.read().decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError("invalid_sdmx", _("Tệp SDMX-CSV phải mã hóa UTF-8."), field="file") from None
    regions = {c.upper() for c in Region.objects.values_list("code", flat=True)}
    content, kept, skipped = sdmx_to_long(text, regions)
    name = (file.name or "sdmx.csv").rsplit(".", 1)[0] + ".csv"
    batch = pipeline.start_import(
        actor=user,
        dataset=target,
        path_or_file=content,
        file_name=name,
        source=source or "SDMX-CSV",
        dry_run=dry_run,
        publish=publish,
    )
    batch.refresh_from_db()
    return Status(
        202,
        {
            "batch": batch.pk,
            "status": batch.status,
            "rows": kept,
            "skipped": skipped[:MAX_LISTED_SKIPS],
            "report": batch.report or {},
        },
    )
