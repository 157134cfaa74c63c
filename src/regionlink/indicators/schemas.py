"""Shapes of the data hub API: the indicator catalogue and the data rows."""

from __future__ import annotations

from ninja import Schema


class GroupOut(Schema):
    code: str
    name: str
    name_en: str
    indicator_count: int


class MemberOut(Schema):
    code: str
    name: str
    name_en: str


class DimensionOut(Schema):
    code: str
    name: str
    name_en: str
    members: list[MemberOut]


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    group: str
    group_name: str
    unit_of_measure: str
    periodicity: str
    spatial_rule: str
    temporal_rule: str
    responsible_agency: str
    dimensions: list[str]


class IndicatorPage(Schema):
    items: list[IndicatorOut]
    next: str | None


class IndicatorDetailOut(IndicatorOut):
    unit_of_measure_en: str
    concept: str
    calculation_method: str
    data_source: str
    spatial_rule_label: str
    temporal_rule_label: str
    weight: str | None
    numerator: str | None
    numerator_disaggregation: str
    denominator: str | None
    denominator_disaggregation: str
    scale: float
    formula: str
    formula_references: list[str]
    not_aggregable_reason: str
    min_value: float | None
    max_value: float | None
    is_percentage: bool
    decimals: int
    dimension_details: list[DimensionOut]


class TargetOut(Schema):
    type: str  # unit | region | country
    code: str
    name: str
    level: str  # province | district | commune | region | country


class CoverageOut(Schema):
    expected: int
    contributed: list[str]
    missing: list[str]
    share: float | None


class DataRowOut(Schema):
    indicator: str
    target: TargetOut
    period: str
    disaggregation: str
    value: float | None
    status: str | None
    coverage: CoverageOut
    computable: bool
    reason: str
    boundaries: str


class DataPage(Schema):
    items: list[DataRowOut]
    next: str | None


class SdmxImportOut(Schema):
    batch: int | None
    status: str
    rows: int
    skipped: list[str]
    report: dict
