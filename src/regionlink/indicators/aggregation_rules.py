"""How one indicator's values combine for one target and period, by its spatial rule.

The caller (``aggregation``) hands over the target's *sources*: the units whose values belong
to it, each with the share of its value that does (1 for a member province or a whole
succession, the succession's share for a partial one, None when that share is unknown), and a
store of already-fetched values. Nothing here queries the database.

- SUM adds the shares of the sources' values.
- RATIO recomputes numerator ÷ denominator × scale from the summed components, pairing them
  unit by unit so a unit with only one of the two never skews the result. By a dimension the
  ratio declares (UNEMPLOYMENT_RATE by SEX) each component is read at the same member.
- WEIGHTED_MEAN weights each source's rate by its weight indicator's value (for the same unit,
  period and, where the weight has it, disaggregation).
- DERIVED evaluates the formula over the components, each combined by its own rule.
- NONE is never combined; a single unit's own value is still given.

A target that is exactly one unit (a province as it was, or a province that continues
unchanged) gets that unit's own published value when there is one: a statistics office's
published ratio is the reference, not our recomputation of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from regionlink.indicators import disaggregation as dis
from regionlink.indicators.formula import FormulaError
from regionlink.indicators.formula import parse as parse_formula
from regionlink.indicators.models import Indicator, SpatialRule, ValueStatus

ONE = Decimal(1)
# The least certain input decides the status of the result.
STATUS_RANK = {
    ValueStatus.OFFICIAL: 0,
    ValueStatus.PRELIMINARY: 1,
    ValueStatus.ESTIMATED: 2,
    ValueStatus.FORECAST: 3,
}


def combined_status(statuses) -> str | None:
    statuses = set(statuses)
    if not statuses:
        return None
    return max(statuses, key=lambda s: STATUS_RANK.get(s, 0))


@dataclass
class Sources:
    """The units whose values make up one target in one period."""

    weights: dict[int, Decimal | None]
    unknown_reason: str = ""  # why some share is unknown (a partial succession without share)
    identity: int | None = None  # the one unit whose whole value is the target's
    absent_reason: str = ""  # the target did not exist for this period and view
    codes: tuple[str, ...] | None = None  # the units' codes, sorted (filled on first use)


@dataclass
class Outcome:
    value: Decimal | None
    statuses: set[str] = field(default_factory=set)
    contributed: set[int] = field(default_factory=set)
    missing: set[int] = field(default_factory=set)
    reason: str = ""

    @property
    def computable(self) -> bool:
        return self.value is not None


# One period's values: (indicator id, disaggregation) → {unit id: (value, status)}.
Store = dict[tuple[int, str], dict[int, tuple[Decimal, str]]]
_NOTHING: dict[int, tuple[Decimal, str]] = {}


class Catalogue:
    """Indicators by id and code, with their dimension codes.

    Built once per catalogue snapshot and shared by the threads of a process: nothing changes
    it after __init__ but the memo of parsed formulas (a pure function of the formula).
    """

    def __init__(self, indicators, *, with_dimensions: bool = True):
        self.by_id = {i.pk: i for i in indicators}
        self.by_code = {i.code: i for i in indicators}
        self.dimensions: dict[int, set[str]] = {
            i.pk: {d.code for d in i.dimensions.all()} if with_dimensions else set()
            for i in indicators
        }
        self._formulas: dict[int, object] = {}

    def formula(self, indicator: Indicator):
        if indicator.pk not in self._formulas:
            self._formulas[indicator.pk] = parse_formula(indicator.formula)
        return self._formulas[indicator.pk]

    def component_key(self, component: Indicator, fixed: str, requested: str) -> str | None:
        """The disaggregation to read of ``component``: its own fixed pairs plus the requested
        ones for the dimensions it has; None when they contradict (URBAN=U asked as URBAN=R)."""
        pairs = {
            k: v for k, v in dis.parse(requested).items() if k in self.dimensions[component.pk]
        }
        for dim, member in dis.parse(fixed).items():
            if pairs.get(dim, member) != member:
                return None
            pairs[dim] = member
        return dis.canonical(pairs)

    def ratio_refusal(self, indicator: Indicator, key: str) -> str:
        """Why the ratio ``indicator`` cannot be recomputed for ``key``; "" when it can.

        A ratio by SEX=F is numerator[SEX=F] ÷ denominator[SEX=F]: the ratio must declare the
        dimension and both components must carry it. A dimension a component already fixes
        (URBANISATION_RATE's numerator is POP_AVG[URBAN=U]) cannot be asked for again.
        """
        parts = (
            (self.by_id[indicator.numerator_id], indicator.numerator_disaggregation),
            (self.by_id[indicator.denominator_id], indicator.denominator_disaggregation),
        )
        for dimension in sorted(dis.parse(key)):
            lacking = [c.code for c, _f in parts if dimension not in self.dimensions[c.pk]]
            fixed = [f"{c.code}[{f}]" for c, f in parts if dimension in dis.parse(f)]
            names = {"code": indicator.code, "dimension": dimension}
            if lacking:
                return _(
                    "Tỷ số %(code)s không tính được theo phân tổ %(dimension)s vì "
                    "%(components)s không có chiều này. Bỏ phân tổ %(dimension)s, hoặc nhập "
                    "%(components)s theo %(dimension)s rồi khai báo chiều %(dimension)s cho "
                    "%(code)s trong danh mục chỉ tiêu."
                ) % {**names, "components": ", ".join(dict.fromkeys(lacking))}
            if fixed:
                return _(
                    "Tỷ số %(code)s đã cố định chiều %(dimension)s trong định nghĩa "
                    "(%(components)s) nên không phân tổ thêm theo chiều này. Bỏ phân tổ "
                    "%(dimension)s."
                ) % {**names, "components": ", ".join(fixed)}
            if dimension not in self.dimensions[indicator.pk]:
                return _(
                    "Tỷ số %(code)s chưa khai báo phân tổ theo %(dimension)s, dù tử số "
                    "%(numerator)s và mẫu số %(denominator)s đều có chiều này. Khai báo chiều "
                    "%(dimension)s cho %(code)s trong danh mục chỉ tiêu, hoặc hỏi riêng "
                    "%(numerator)s và %(denominator)s theo %(dimension)s."
                ) % {**names, "numerator": parts[0][0].code, "denominator": parts[1][0].code}
        return ""

    def components(self, indicator: Indicator, key: str) -> list[tuple[Indicator, str | None]]:
        """The (indicator, disaggregation) pairs ``indicator`` is computed from."""
        rule = indicator.spatial_rule
        if rule == SpatialRule.RATIO:
            return [
                (
                    self.by_id[indicator.numerator_id],
                    self.component_key(
                        self.by_id[indicator.numerator_id], indicator.numerator_disaggregation, key
                    ),
                ),
                (
                    self.by_id[indicator.denominator_id],
                    self.component_key(
                        self.by_id[indicator.denominator_id],
                        indicator.denominator_disaggregation,
                        key,
                    ),
                ),
            ]
        if rule == SpatialRule.WEIGHTED_MEAN:
            weight = self.by_id[indicator.weight_id]
            return [(weight, self.component_key(weight, "", key))]
        if rule == SpatialRule.DERIVED:
            found = []
            for ref in self.formula(indicator).references:
                component = self.by_code.get(ref.code)
                if component is None:
                    raise FormulaError(
                        _("Công thức của %(code)s dùng chỉ tiêu %(ref)s không có trong danh mục.")
                        % {"code": indicator.code, "ref": ref.code},
                        ref.position,
                    )
                found.append((component, self.component_key(component, ref.disaggregation, key)))
            return found
        return []

    def needs(self, indicator: Indicator, key: str, seen=None) -> set[tuple[int, str]]:
        """Every (indicator id, disaggregation) whose values computing ``indicator`` may read."""
        seen = set() if seen is None else seen
        if (indicator.pk, key) in seen:
            return seen
        seen.add((indicator.pk, key))
        for component, component_key in self.components(indicator, key):
            if component_key is not None:
                self.needs(component, component_key, seen)
        return seen


class Combiner:
    """Applies the rules for one call: one catalogue, one store, one coverage threshold."""

    def __init__(self, catalogue: Catalogue, store: Store, threshold: Decimal):
        self.catalogue = catalogue
        self.store = store
        self.threshold = threshold

    def outcome(self, indicator: Indicator, key: str, sources: Sources) -> Outcome:
        if sources.absent_reason:
            return Outcome(None, reason=sources.absent_reason)
        if sources.identity is not None:
            own = self.store.get((indicator.pk, key), _NOTHING).get(sources.identity)
            if own is not None:
                return Outcome(own[0], {own[1]}, {sources.identity})
        rule = indicator.spatial_rule
        if rule == SpatialRule.NONE:
            if sources.identity is not None:
                return self._missing(Outcome(None, missing={sources.identity}))
            reason = indicator.not_aggregable_reason or _(
                "Chỉ tiêu này không tổng hợp được giữa các đơn vị."
            )
            return Outcome(None, reason=reason)
        if sources.unknown_reason:
            return Outcome(None, missing=set(sources.weights), reason=sources.unknown_reason)
        if rule == SpatialRule.SUM:
            return self._sum(indicator, key, sources)
        if rule == SpatialRule.DERIVED:
            return self._derived(indicator, key, sources)
        (component, component_key), *rest = self.catalogue.components(indicator, key)
        if component_key is None or (rest and rest[0][1] is None):
            return Outcome(None, reason=_("Phân tổ yêu cầu mâu thuẫn với định nghĩa chỉ tiêu."))
        if rule == SpatialRule.RATIO:
            return self._ratio(indicator, (component, component_key), rest[0], sources)
        return self._weighted_mean(indicator, key, (component, component_key), sources)

    # --- Rules ---------------------------------------------------------------------------

    def _sum(self, indicator: Indicator, key: str, sources: Sources) -> Outcome:
        column = self.store.get((indicator.pk, key), _NOTHING)
        found = [(u, w, column[u]) for u, w in sources.weights.items() if u in column]
        result = Outcome(
            sum((v[0] if w == ONE else v[0] * w for _u, w, v in found), Decimal(0)),
            {v[1] for _u, _w, v in found},
            {u for u, _w, _v in found},
        )
        if len(found) < len(sources.weights):
            result.missing = set(sources.weights) - result.contributed
        return self._checked(result)

    def _paired(self, first, second, sources: Sources):
        """Per unit (share, first value, second value) where both exist; marks the rest."""
        result, pairs = Outcome(None), []
        left = self.store.get((first[0].pk, first[1]), _NOTHING)
        right = self.store.get((second[0].pk, second[1]), _NOTHING)
        for unit_id, weight in sources.weights.items():
            a, b = left.get(unit_id), right.get(unit_id)
            if a is None or b is None:
                result.missing.add(unit_id)
                continue
            result.contributed.add(unit_id)
            result.statuses.update((a[1], b[1]))
            pairs.append((weight, a[0], b[0]))
        return result, pairs

    def _ratio(self, indicator: Indicator, numerator, denominator, sources: Sources) -> Outcome:
        if {numerator[0].spatial_rule, denominator[0].spatial_rule} != {SpatialRule.SUM}:
            return self._ratio_of_outcomes(indicator, numerator, denominator, sources)
        result, pairs = self._paired(numerator, denominator, sources)
        top = sum((w * n for w, n, _d in pairs), Decimal(0))
        bottom = sum((w * d for w, _n, d in pairs), Decimal(0))
        if not self._covered(result):
            return self._missing(result)
        if bottom == 0:
            result.reason = _("Mẫu số (%(code)s) bằng 0.") % {"code": denominator[0].code}
            return result
        result.value = top / bottom * indicator.scale
        return result

    def _ratio_of_outcomes(self, indicator, numerator, denominator, sources) -> Outcome:
        """A ratio whose components are not additive: each is combined by its own rule first."""
        top = self.outcome(*numerator, sources)
        bottom = self.outcome(*denominator, sources)
        result = Outcome(
            None,
            top.statuses | bottom.statuses,
            (top.contributed & bottom.contributed) - top.missing - bottom.missing,
            top.missing | bottom.missing,
            top.reason or bottom.reason,
        )
        if top.value is None or bottom.value is None:
            return result
        if bottom.value == 0:
            result.reason = _("Mẫu số (%(code)s) bằng 0.") % {"code": denominator[0].code}
            return result
        result.value = top.value / bottom.value * indicator.scale
        return result

    def _weighted_mean(self, indicator: Indicator, key: str, weight, sources: Sources) -> Outcome:
        result, pairs = self._paired((indicator, key), weight, sources)
        total = sum((w * wt for w, _r, wt in pairs), Decimal(0))
        if not self._covered(result):
            return self._missing(result)
        if total == 0:
            result.reason = _("Tổng trọng số (%(code)s) bằng 0.") % {"code": weight[0].code}
            return result
        result.value = sum((w * wt * r for w, r, wt in pairs), Decimal(0)) / total
        return result

    def _derived(self, indicator: Indicator, key: str, sources: Sources) -> Outcome:
        try:
            formula = self.catalogue.formula(indicator)
            parts = self.catalogue.components(indicator, key)
        except FormulaError as exc:
            return Outcome(None, reason=exc.message)
        result = Outcome(None)
        values: dict[tuple[str, str], Decimal] = {}
        contributed: set[int] | None = None
        for ref, (component, component_key) in zip(formula.references, parts, strict=True):
            if component_key is None:
                return Outcome(None, reason=_("Phân tổ yêu cầu mâu thuẫn với công thức."))
            part = self.outcome(component, component_key, sources)
            result.missing |= part.missing
            result.statuses |= part.statuses
            contributed = (
                part.contributed if contributed is None else contributed & part.contributed
            )
            if part.value is None:
                result.reason = _("Thiếu thành phần %(component)s: %(reason)s") % {
                    "component": str(ref),
                    "reason": part.reason,
                }
                break
            values[ref.key] = part.value
        result.contributed = (contributed or set()) - result.missing
        if result.reason:
            return result
        try:
            result.value = formula.evaluate(lambda ref: values.get(ref.key))
        except FormulaError as exc:
            result.reason = exc.message
        return result

    # --- Coverage ------------------------------------------------------------------------

    def _covered(self, result: Outcome) -> bool:
        expected = len(result.contributed) + len(result.missing)
        if not expected:
            return False
        return Decimal(len(result.contributed)) / expected >= self.threshold

    def _checked(self, result: Outcome) -> Outcome:
        return result if self._covered(result) else self._missing(result)

    def _missing(self, result: Outcome) -> Outcome:
        expected = len(result.contributed) + len(result.missing)
        result.value = None
        if not expected:
            result.reason = _("Không có đơn vị nào thuộc phạm vi này trong kỳ.")
        elif not result.contributed:
            result.reason = _("Chưa có số liệu.")
        else:
            result.reason = _(
                "Mới có số liệu của %(contributed)s trên %(expected)s đơn vị, dưới ngưỡng bao "
                "phủ %(threshold)s%%."
            ) % {
                "contributed": len(result.contributed),
                "expected": expected,
                "threshold": format((self.threshold * 100).normalize(), "f"),
            }
        return result
