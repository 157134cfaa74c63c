"""Acceptance: on the demo plans the review finds every planted conflict and nothing else,
and each finding cites an article of law."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from regionlink.plans import demo
from regionlink.plans.review import compute_findings

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def demo_plans(reference_organisations):
    demo.load_demo_plans()


def _key(kind, codes, indicator):
    return (kind, tuple(sorted(codes)), indicator)


def test_the_review_finds_exactly_the_planted_findings(demo_plans):
    found = compute_findings(as_of=AS_OF)
    produced = {_key(f.kind, f.plan_codes, f.indicator) for f in found}
    planted = {_key(p.kind, p.plan_codes, p.indicator_code) for p in demo.PLANTED}
    assert produced - planted == set(), "false findings"
    assert planted - produced == set(), "planted findings missed"
    assert len(found) == len(demo.PLANTED)


def test_every_demo_finding_cites_an_article_and_a_law_number(demo_plans):
    for finding in compute_findings(as_of=AS_OF):
        assert re.search(r"Điều \d+", finding.legal_basis), finding
        assert "112/2025/QH15" in finding.legal_basis, finding


def test_the_red_river_delta_urbanisation_is_implied_at_about_48_percent(demo_plans):
    found = [f for f in compute_findings(as_of=AS_OF) if f.indicator == "URBANISATION_RATE"]
    assert len(found) == 1
    params = found[0].params
    assert params["method"] == "weighted"
    assert params["implied"][0] == pytest.approx(47.9, abs=0.1)
    assert params["required"][0] == 55
    assert params["weights_from_data_hub"] == []


def test_a_drifted_plan_names_where_its_province_went_in_2025_only(demo_plans):
    """Vĩnh Phúc went into Phú Thọ in 2025; Mê Linh's move to Hà Nội in 2008 is not that."""
    drift = next(
        f
        for f in compute_findings(as_of=AS_OF)
        if f.kind == "territory_drift" and f.plan_codes == ("qh-tinh-vinh-phuc-2021-2030",)
    )
    assert [unit["name"] for unit in drift.params["successors"]] == ["Tỉnh Phú Thọ"]
