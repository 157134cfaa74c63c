"""The illustrative data set of `regionlink setup --demo` ("Dữ liệu minh họa").

It is NOT official statistics: the data set is flagged ``is_demo`` (pages and the API label
every row from it "Dữ liệu minh họa") and every value carries ``DEMO_SOURCE``.

What it holds: 2015–2024 on the 63 provinces as they were before 01/07/2025 and 2025 on the 34
provinces after it (Resolution 202/2025/QH15), for the core stored indicators in
``QUANTUM``. Ratio and derived indicators (GRDP per capita, urbanisation rate, density, forest
cover, beds per 10,000 people, …) are never stored: aggregation computes them from these
components, so they are consistent by construction.

Internal consistency, by construction:
- splits add up exactly: men + women = total population = urban + rural; the four GRDP
  sectors add up to GRDP (the total *is* the sum of the rounded sectors); employed +
  unemployed = labour force;
- GRDP_GROWTH is recomputed from the stored GRDP at constant prices;
- FDI_REGISTERED (cumulative) never decreases;
- a new province's 2025 value is the combination of its old provinces' 2025 trajectories by the
  indicator's own rule: sums for additive indicators, means weighted by the catalogue's weight
  indicator (population or labour force) for rates, growth from the summed constant-price GRDP.

How it is written: directly, with ``bulk_create`` under one published ``ImportBatch`` (not the
importer's pipeline): ~20,000 rows in about a second, no parsing, and the generator validates
its own output (catalogue bounds, disaggregation members). A second run compares with what is
stored and changes nothing; a changed generator revises the values it changed (with
``DataValueRevision`` rows, like any import). A value of the same indicator, unit, period and
disaggregation held by another (real) data set is never overwritten: it is counted as skipped.
Deterministic: every random draw comes from ``random.Random`` seeded with the province code.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from regionlink.audit import services as audit
from regionlink.geography.models import AdministrativeUnit, Level, Succession
from regionlink.geography.queries import units_on
from regionlink.indicators.demo_profiles import (
    DEFLATOR,
    DEFLATOR_2024,
    EXPORT_GROWTH,
    INCOME_GROWTH,
    MEDICAL_CENTRE,
    MEKONG,
    PROFILES,
    REAL_GROWTH,
    REVENUE_MULTIPLIER,
    SOUTHEAST,
    ProvinceProfile,
)
from regionlink.indicators.models import (
    BatchStatus,
    DataSet,
    DataValue,
    DataValueRevision,
    ImportBatch,
    Indicator,
    SpatialRule,
    ValueStatus,
    Visibility,
)
from regionlink.organisations.models import Organisation

DATASET_CODE = "so-lieu-kt-xh-minh-hoa"
DATASET_NAME = "Số liệu kinh tế - xã hội minh họa"
DATASET_NAME_EN = "Illustrative socio-economic data"
DATASET_DESCRIPTION = (
    "Dữ liệu minh họa để trình diễn RegionLink: 63 tỉnh, thành phố giai đoạn 2015–2024 và "
    "34 tỉnh, thành phố năm 2025. Số liệu được tạo ra có chủ đích, nhất quán nội bộ và có độ "
    "lớn hợp lý, nhưng KHÔNG phải số liệu thống kê chính thức; không dùng để trích dẫn."
)
DEMO_SOURCE = "Dữ liệu minh họa — không phải số liệu thống kê chính thức"
OWNER_CODE = "btc-cuc-thong-ke"  # Cục Thống kê (organisations/data/reference_organisations.csv)
ACTOR = "regionlink setup --demo"
SEED = "regionlink-demo-2025"

OLD_YEARS = range(2015, 2025)  # on the 63 provinces
NEW_YEAR = 2025  # on the 34 provinces (Resolution 202/2025/QH15, from 01/07/2025)
SECTORS = ("AGR", "IND", "SRV", "TAX")

# The stored indicators and the precision each is stored with.
QUANTUM = {
    "AREA": Decimal("0.01"),  # km²
    "POP_AVG": Decimal("0.1"),  # thousand persons
    "LABOUR_FORCE": Decimal("0.1"),
    "EMPLOYED": Decimal("0.1"),
    "UNEMPLOYED": Decimal("0.1"),
    "TRAINED_WORKERS_PCT": Decimal("0.1"),
    "POVERTY_RATE": Decimal("0.01"),
    "INCOME_PER_CAPITA": Decimal("1"),  # thousand VND a month
    "RETAIL_SALES": Decimal("0.1"),  # billion VND
    "GRDP": Decimal("0.1"),
    "GRDP_CONST": Decimal("0.1"),
    "GRDP_GROWTH": Decimal("0.01"),
    "BUDGET_REVENUE": Decimal("0.1"),
    "FDI_REGISTERED": Decimal("0.1"),  # million USD
    "EXPORTS": Decimal("0.1"),
    "FOREST_AREA": Decimal("1"),  # ha
    "HOSPITAL_BEDS": Decimal("1"),
    "DOCTORS": Decimal("1"),
}

Key = tuple[str, str]  # (indicator code, disaggregation key)
Trajectory = dict[Key, dict[int, Decimal]]  # one province's values by year


def _q(code: str, value: float | Decimal) -> Decimal:
    return Decimal(value).quantize(QUANTUM[code], rounding=ROUND_HALF_UP)


def simulate(profile: ProvinceProfile, area_km2: float) -> Trajectory:
    """One old province's illustrative trajectory 2015–2025 (2025 is combined, not stored)."""
    rng = random.Random(f"{SEED}:{profile.code}")
    p = profile
    years = range(2015, 2026)
    out: Trajectory = defaultdict(dict)

    def put(code: str, year: int, value: Decimal, disaggregation: str = "") -> None:
        out[(code, disaggregation)][year] = value

    def before(year: int) -> int:  # years before 2024 (negative after)
        return 2024 - year

    female = 0.502 + rng.uniform(-0.008, 0.008)
    lf_female = 0.47 + rng.uniform(-0.01, 0.01)
    lfpr_2024 = 0.49 + 0.06 * (1 - p.urban / 100) + rng.uniform(-0.01, 0.01)
    urban_slope = 0.2 if p.urban > 75 else 0.45
    area = _q("AREA", area_km2)

    # Population and labour.
    population: dict[int, float] = {}
    urban: dict[int, float] = {}
    for y in years:
        population[y] = p.pop * (1 + p.pop_g / 100) ** (y - 2024)
        urban[y] = min(98.0, max(5.0, p.urban - urban_slope * before(y))) / 100
        total = _q("POP_AVG", population[y])
        men = _q("POP_AVG", float(total) * (1 - female))
        city = _q("POP_AVG", float(total) * urban[y])
        put("POP_AVG", y, total)
        put("POP_AVG", y, men, "SEX=M")
        put("POP_AVG", y, total - men, "SEX=F")
        put("POP_AVG", y, city, "URBAN=U")
        put("POP_AVG", y, total - city, "URBAN=R")
        put("AREA", y, area)

        labour = _q("LABOUR_FORCE", population[y] * (lfpr_2024 + 0.0035 * before(y)))
        women = _q("LABOUR_FORCE", float(labour) * lf_female)
        town = _q("LABOUR_FORCE", float(labour) * min(0.99, urban[y] * 0.95))
        put("LABOUR_FORCE", y, labour)
        put("LABOUR_FORCE", y, labour - women, "SEX=M")
        put("LABOUR_FORCE", y, women, "SEX=F")
        put("LABOUR_FORCE", y, town, "URBAN=U")
        put("LABOUR_FORCE", y, labour - town, "URBAN=R")
        shock = {2020: 0.3, 2021: 0.9 + (0.8 if p.code in SOUTHEAST else 0)}.get(y, 0)
        rate = 1.4 + 2.2 * urban[y] + shock + rng.uniform(-0.2, 0.2)
        jobless = _q("UNEMPLOYED", float(labour) * rate / 100)
        put("UNEMPLOYED", y, jobless)
        put("EMPLOYED", y, labour - jobless)
        trained = max(8.0, p.trained - 0.9 * before(y)) + rng.uniform(-0.3, 0.3)
        put("TRAINED_WORKERS_PCT", y, _q("TRAINED_WORKERS_PCT", trained))
        put("POVERTY_RATE", y, _q("POVERTY_RATE", p.pov16 * 0.88 ** (y - 2016)))

        cover = min(95.0, max(p.forest * 0.6, p.forest - 0.25 * before(y)))
        put("FOREST_AREA", y, _q("FOREST_AREA", float(area) * cover))  # km² × % = ha
        extra_beds, extra_doctors = MEDICAL_CENTRE.get(p.code, (0, 0))
        beds_rate = 28 + extra_beds + rng.uniform(-3, 3) - 0.6 * before(y)
        put("HOSPITAL_BEDS", y, _q("HOSPITAL_BEDS", population[y] * beds_rate / 10))
        doctors_rate = (11 + extra_doctors + rng.uniform(-1.5, 1.5)) * (1 - 0.03 * before(y))
        put("DOCTORS", y, _q("DOCTORS", population[y] * doctors_rate / 10))

    # GRDP: constant-price path backwards from 2024 by real growth, current = constant × deflator.
    offset = 0.05 * (p.ind - 38)
    growth = {}
    for y in years:
        covid = 0.0
        if p.code in SOUTHEAST:
            covid = {2021: -8.0, 2022: 2.0}.get(y, 0.0)
        elif p.code in MEKONG:
            covid = {2021: -4.0, 2022: 1.0}.get(y, 0.0)
        growth[y] = REAL_GROWTH[y] + offset + covid + rng.gauss(0, 0.6)
    deflator = {2024: DEFLATOR_2024 * (1 + rng.uniform(-0.03, 0.03))}
    for y in range(2024, 2015, -1):
        deflator[y - 1] = deflator[y] / (1 + DEFLATOR[y] / 100)
    deflator[2025] = deflator[2024] * (1 + DEFLATOR[2025] / 100)
    constant = {2024: p.pop * p.grdp_pc / deflator[2024]}  # thousand × million = billion VND
    for y in range(2024, 2014, -1):
        constant[y - 1] = constant[y] / (1 + growth[y] / 100)
    constant[2025] = constant[2024] * (1 + growth[2025] / 100)
    stored_constant = {y: _q("GRDP_CONST", c) for y, c in constant.items()}

    retail_ratio = 0.75 - 0.6 * p.ind / 100 + rng.uniform(-0.04, 0.04)
    revenue_ratio = REVENUE_MULTIPLIER.get(p.code, 1.0)
    tax = 10.0 if p.urban > 60 else 8.0
    for y in years:
        put("GRDP_CONST", y, stored_constant[y])
        change = (stored_constant[y] / stored_constant[y - 1] - 1) * 100
        put("GRDP_GROWTH", y, _q("GRDP_GROWTH", change))
        current = constant[y] * deflator[y]
        agr = p.agr * (1 + 0.035 * before(y))
        ind = max(5.0, p.ind - 0.25 * before(y))
        shares = {"AGR": agr, "IND": ind, "TAX": tax, "SRV": 100 - agr - ind - tax}
        parts = {s: _q("GRDP", current * shares[s] / 100) for s in SECTORS}
        grdp = sum(parts.values(), Decimal(0))
        put("GRDP", y, grdp)
        for sector in SECTORS:
            put("GRDP", y, parts[sector], f"SECTOR={sector}")
        dip = {2020: 0.97, 2021: 0.90}.get(y, 1.0)
        retail = float(grdp) * retail_ratio * dip * (1 + rng.uniform(-0.01, 0.01))
        put("RETAIL_SALES", y, _q("RETAIL_SALES", retail))
        revenue = (0.06 + 0.14 * urban[y]) * revenue_ratio * (1 + rng.uniform(-0.03, 0.03))
        put("BUDGET_REVENUE", y, _q("BUDGET_REVENUE", float(grdp) * revenue))

    # Income, exports: nominal paths backwards from 2024 with the national year factors.
    income = {2024: 320 * p.grdp_pc**0.6 * (1 + rng.uniform(-0.05, 0.05))}
    exports = {2024: p.exports}
    for y in range(2024, 2015, -1):
        income[y - 1] = income[y] / (1 + (INCOME_GROWTH[y] + rng.uniform(-1, 1)) / 100)
        exports[y - 1] = exports[y] / (1 + (EXPORT_GROWTH[y] + rng.uniform(-3, 3)) / 100)
    income[2025] = income[2024] * (1 + (INCOME_GROWTH[2025] + rng.uniform(-1, 1)) / 100)
    exports[2025] = exports[2024] * (1 + (EXPORT_GROWTH[2025] + rng.uniform(-3, 3)) / 100)
    for y in years:
        put("INCOME_PER_CAPITA", y, _q("INCOME_PER_CAPITA", income[y]))
        put("EXPORTS", y, _q("EXPORTS", exports[y]))

    # Registered FDI is cumulative: a base in 2015 plus non-negative yearly additions.
    base = p.fdi * rng.uniform(0.4, 0.65)
    weights = {y: rng.random() + 0.2 for y in range(2016, 2025)}
    cumulative = base
    put("FDI_REGISTERED", 2015, _q("FDI_REGISTERED", base))
    for y in range(2016, 2025):
        cumulative += (p.fdi - base) * weights[y] / sum(weights.values())
        put("FDI_REGISTERED", y, _q("FDI_REGISTERED", cumulative))
    cumulative += (p.fdi - base) / 9 * rng.uniform(0.5, 1.5)
    put("FDI_REGISTERED", 2025, _q("FDI_REGISTERED", cumulative))
    return dict(out)


def combine(members: list[Trajectory], year: int, rules: dict[str, tuple[str, str]]) -> dict:
    """The values of a unit made of ``members`` in ``year``, each by its indicator's rule.

    ``rules`` maps an indicator code to (spatial rule, weight indicator code).
    """
    combined: dict[Key, Decimal] = {}
    keys = sorted(members[0])
    for key in keys:
        code, _ = key
        rule, weight = rules[code]
        values = [m[key][year] for m in members]
        if rule == SpatialRule.SUM:
            combined[key] = sum(values, Decimal(0))
        elif rule == SpatialRule.WEIGHTED_MEAN:
            weights = [m[(weight, "")][year] for m in members]
            total = sum(v * w for v, w in zip(values, weights, strict=True))
            combined[key] = _q(code, total / sum(weights))
        elif code == "GRDP_GROWTH":  # an index (rule NONE): recomputed from the summed volume
            now = sum(m[("GRDP_CONST", "")][year] for m in members)
            then = sum(m[("GRDP_CONST", "")][year - 1] for m in members)
            combined[key] = _q(code, (now / then - 1) * 100)
        else:
            raise ValueError(f"No demo combination for {code} ({rule})")
    return combined


def _rules() -> dict[str, tuple[str, str]]:
    indicators = Indicator.objects.filter(code__in=QUANTUM).select_related("weight")
    rules = {i.code: (i.spatial_rule, i.weight.code if i.weight else "") for i in indicators}
    missing = sorted(set(QUANTUM) - set(rules))
    if missing:
        raise RuntimeError(
            "Danh mục chỉ tiêu chưa có " + ", ".join(missing) + "; chạy `regionlink setup` trước."
        )
    return rules


def _provinces() -> tuple[list[AdministrativeUnit], dict[int, AdministrativeUnit]]:
    """The 63 old provinces, and for each (by id) the new province it went into in 2025."""
    old = list(units_on(dt.date(OLD_YEARS[-1], 12, 31), Level.PROVINCE).order_by("code"))
    if {u.code for u in old} != set(PROFILES):
        raise RuntimeError("Địa giới hành chính chưa được nạp; chạy `regionlink setup` trước.")
    old_end, new_on = dt.date(OLD_YEARS[-1], 12, 31), dt.date(NEW_YEAR, 12, 31)
    successor: dict[int, AdministrativeUnit] = {}
    for unit in old:
        node = unit
        while not node.is_valid_on(new_on):
            # Only the successions after the old years: Lai Châu's 2004 split is history.
            nexts = list(
                Succession.objects.filter(
                    predecessor=node, effective_date__gt=old_end
                ).select_related("successor")
            )
            if len(nexts) != 1:
                raise RuntimeError(f"{unit} không đi trọn vào một tỉnh mới năm {NEW_YEAR}.")
            node = nexts[0].successor
        successor[unit.pk] = node
    return old, successor


def demo_values() -> dict[tuple[str, int, int, str], tuple[Decimal, str]]:
    """Every demo value: (indicator code, unit id, year, disaggregation) → (value, status)."""
    rules = _rules()
    old, successor = _provinces()
    groups: dict[int, list[AdministrativeUnit]] = defaultdict(list)
    for unit in old:
        groups[successor[unit.pk].pk].append(unit)
    new_units = {s.pk: s for s in successor.values()}
    # Areas follow the territory: old provinces' shares of their new province's official area.
    area: dict[str, float] = {}
    for new_id, members in groups.items():
        known = new_units[new_id].area_km2
        profiled = sum(PROFILES[u.code].area for u in members)
        for u in members:
            share = PROFILES[u.code].area / profiled
            area[u.code] = float(known) * share if known else PROFILES[u.code].area
    trajectories = {u.code: simulate(PROFILES[u.code], area[u.code]) for u in old}

    values: dict[tuple[str, int, int, str], tuple[Decimal, str]] = {}
    for unit in old:
        for (code, key), by_year in trajectories[unit.code].items():
            for year in OLD_YEARS:
                values[(code, unit.pk, year, key)] = (by_year[year], ValueStatus.OFFICIAL)
    for new_id, members in groups.items():
        combined = combine([trajectories[u.code] for u in members], NEW_YEAR, rules)
        for (code, key), value in combined.items():
            values[(code, new_id, NEW_YEAR, key)] = (value, ValueStatus.PRELIMINARY)
    _check_bounds(values)
    return values


def _check_bounds(values) -> None:
    """The generator's own guard: every value inside its indicator's plausible bounds."""
    bounds = {
        i.code: (i.min_value, i.max_value)
        for i in Indicator.objects.filter(code__in=QUANTUM).only("code", "min_value", "max_value")
    }
    for (code, unit_id, year, key), (value, _status) in values.items():
        low, high = bounds[code]
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"Demo value out of bounds: {code} {unit_id} {year} {key} {value}")


def _dataset() -> DataSet:
    dataset = DataSet.objects.filter(code=DATASET_CODE).first()
    if dataset is None:
        from regionlink.indicators.datasets import create_dataset

        owner = Organisation.objects.filter(code=OWNER_CODE).first()
        if owner is None:
            raise RuntimeError(
                f"Chưa có cơ quan {OWNER_CODE}; nạp danh mục cơ quan (`regionlink setup`) trước."
            )
        dataset = create_dataset(
            actor=ACTOR,
            owner=owner,
            code=DATASET_CODE,
            name=DATASET_NAME,
            name_en=DATASET_NAME_EN,
            description=DATASET_DESCRIPTION,
            visibility=Visibility.PUBLIC,
            is_demo=True,
        )
    elif not dataset.is_demo:  # the flag drives the "Dữ liệu minh họa" label: never lose it
        dataset.is_demo = True
        dataset.save(update_fields=["is_demo"])
    return dataset


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    """Create or update the illustrative data set; returns counts by outcome."""
    dataset = _dataset()
    wanted = demo_values()
    indicator_ids = dict(Indicator.objects.filter(code__in=QUANTUM).values_list("code", "pk"))
    codes = {pk: code for code, pk in indicator_ids.items()}
    unit_ids = {unit_id for (_, unit_id, _, _) in wanted}
    periods = [str(y) for y in (*OLD_YEARS, NEW_YEAR)]
    stored = {}
    fields = ("indicator_id", "unit_id", "period", "disaggregation")
    rows = DataValue.objects.filter(
        indicator_id__in=list(codes), unit_id__in=unit_ids, period__in=periods
    ).values_list(*fields, "pk", "value", "status", "dataset_id", "batch_id")
    for indicator_id, unit_id, period, key, *found in rows:
        stored[(codes[indicator_id], unit_id, int(period), key)] = tuple(found)

    counts = {"new": 0, "changed": 0, "unchanged": 0, "skipped": 0}
    new, changed = [], []
    for wanted_key, (value, status) in wanted.items():
        found = stored.get(wanted_key)
        if found is None:
            new.append((wanted_key, value, status))
        elif found[3] != dataset.pk:
            counts["skipped"] += 1  # a real data set holds this value: never overwrite it
        elif found[1] == value and found[2] == status:
            counts["unchanged"] += 1
        else:
            changed.append((found, value, status))
    counts["new"], counts["changed"] = len(new), len(changed)
    if not new and not changed:
        return counts

    now = timezone.now()
    batch = ImportBatch.objects.create(
        dataset=dataset,
        source=DEMO_SOURCE,
        file_name="",
        file_format="demo",
        status=BatchStatus.PUBLISHED,
        rows_total=len(new) + len(changed),
        rows_done=len(new) + len(changed),
        report={"summary": counts, "note": DEMO_SOURCE},
        finished_at=now,
        decided_at=now,
        decision_reason=DEMO_SOURCE,
    )
    DataValue.objects.bulk_create(
        [
            DataValue(
                indicator_id=indicator_ids[code],
                unit_id=unit_id,
                period=str(year),
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                disaggregation=key,
                value=value,
                status=status,
                dataset=dataset,
                batch=batch,
                source=DEMO_SOURCE,
            )
            for (code, unit_id, year, key), value, status in new
        ],
        batch_size=2000,
    )
    if changed:
        DataValueRevision.objects.bulk_create(
            [
                DataValueRevision(
                    data_value_id=pk,
                    old_value=old_value,
                    old_status=old_status,
                    old_batch_id=old_batch,
                    new_batch=batch,
                )
                for (pk, old_value, old_status, _, old_batch), _, _ in changed
            ],
            batch_size=2000,
        )
        updates = [
            DataValue(pk=pk, value=v, status=st, batch=batch, source=DEMO_SOURCE, updated_at=now)
            for (pk, *_), v, st in changed
        ]
        DataValue.objects.bulk_update(
            updates, ["value", "status", "batch", "source", "updated_at"], batch_size=2000
        )
    audit.record(
        actor=ACTOR,
        action="dataset.demo_data.load",
        obj=dataset,
        after={**counts, "batch": batch.pk},
    )
    return counts


def setup_step() -> str:
    """`regionlink setup --demo`: load the illustrative data set; a one-line summary."""
    counts = load_demo_data()
    line = (
        f"{counts['new']} giá trị mới, {counts['changed']} thay đổi, "
        f"{counts['unchanged']} không đổi"
    )
    if counts["skipped"]:
        line += f", {counts['skipped']} bỏ qua (đã có số liệu của bộ dữ liệu khác)"
    return f"{line} — 63 tỉnh 2015–2024, 34 tỉnh 2025; {DEMO_SOURCE}"
