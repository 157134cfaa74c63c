"""GET /boundaries: province or region outlines valid on a date, as GeoJSON for the maps."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator

from regionlink.core.api import IsoDate
from regionlink.geography import queries, selectors
from regionlink.geography.schemas import level_validator

router = Router(tags=["territory"])

CACHE_SECONDS = 3600
BOUNDARY_LEVELS = ("province", "region")


BoundaryLevel = Annotated[
    Literal["province", "region"],
    BeforeValidator(level_validator(BOUNDARY_LEVELS, default="province")),
]


class BoundaryFilters(Schema):
    date: IsoDate | None = Field(None, description="Ngày (YYYY-MM-DD); mặc định hôm nay.")
    level: BoundaryLevel = Field(
        "province", description="province: tỉnh, thành phố; region: ranh giới vùng."
    )


class Archipelago(Schema):
    name: str
    name_en: str
    province_code: str
    province_name: str
    province_name_en: str
    lon: float
    lat: float


class BoundaryCollection(Schema):
    type: Literal["FeatureCollection"]
    date: str
    level: str
    attribution: str
    archipelagos: list[Archipelago]
    features: list[dict[str, Any]]


@router.get(
    "/boundaries",
    response=BoundaryCollection,
    url_name="boundaries",
    summary="Ranh giới tỉnh hoặc vùng theo ngày (GeoJSON)",
    description=(
        "FeatureCollection các tỉnh, thành phố có hiệu lực vào ngày đã chọn và có ranh giới "
        "(thuộc tính code, name, name_en, region_code, region_name, region_name_en), hoặc ranh "
        "giới các vùng (code, name, name_en). Kèm `attribution` và `archipelagos`: vị trí quần "
        "đảo Hoàng Sa (Đà Nẵng) và Trường Sa (Khánh Hòa) để ghi trên bản đồ."
    ),
)
def boundaries(request, response: HttpResponse, filters: Query[BoundaryFilters]):
    on = filters.date or queries.today()
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return selectors.boundary_collection(on, filters.level)
