"""Import of a 1,000,000-row long-template CSV with full validation, beside a raw bulk load.

1. A generator writes ``BENCH_IMPORT_ROWS`` (1,000,000) valid rows of our long template
   (ma_chi_tieu, ma_don_vi, ten_don_vi, ky, phan_to, gia_tri, tinh_trang, nguon): every stored
   catalogue indicator × its disaggregations × 2015–2024 × the 63 provinces, then as many
   communes (code and full name) as the row count needs; values inside each indicator's
   bounds, 2024 marked "Sơ bộ". Deterministic.
2. Raw load: the same file into an unindexed table of the same database with nothing checked
   (PostgreSQL: COPY … FROM STDIN (FORMAT csv) through psycopg ``cursor.copy``; SQLite:
   ``csv.reader`` + ``executemany`` in one transaction). This is the floor.
3. Import: ``importing.pipeline.run_import`` (read, validate every row, stage, diff against
   the published values; status DRAFT, not published: the wait the user sees), in a child
   process so its peak resident memory (VmHWM, i.e. its own ``ru_maxrss``) is measured
   alone; then again in a second child under ``tracemalloc`` for the peak of Python
   allocations (about twice as slow, not timed; BENCH_IMPORT_TRACEMALLOC=0 skips it). The
   staged rows are deleted afterwards. BENCH_IMPORT_METHOD (copy, bulk_create, executemany)
   overrides the pipeline's staging method.

Targets: import ≤ 3× the raw load; peak memory < 500 MB.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

YEARS = range(2015, 2025)
DATASET_CODE = "bench-import"
RAW_TABLE = "bench_raw_import"
HEADER = ("ma_chi_tieu", "ma_don_vi", "ten_don_vi", "ky", "phan_to", "gia_tri", "tinh_trang")
HEADER += ("nguon",)
CHUNK = 50_000


def rows_target() -> int:
    return int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))


def _pairs() -> list[tuple[str, str, float]]:
    """(indicator code, disaggregation, lowest value) of every stored indicator."""
    from regionlink.indicators.models import Indicator, SpatialRule

    stored = (SpatialRule.SUM, SpatialRule.WEIGHTED_MEAN, SpatialRule.NONE)
    found = []
    for indicator in Indicator.objects.filter(spatial_rule__in=stored).prefetch_related(
        "dimensions__members"
    ):
        low = max(float(indicator.min_value or 0), 0.0)
        dims = sorted(indicator.dimensions.all(), key=lambda d: d.code)
        found.append((indicator.code, "", low))
        for dim in dims:
            found += [(indicator.code, f"{dim.code}={m.code}", low) for m in dim.members.all()]
        if len(dims) == 2:
            first, second = dims
            found += [
                (indicator.code, f"{first.code}={a.code};{second.code}={b.code}", low)
                for a in first.members.all()
                for b in second.members.all()
            ]
    return sorted(found)


def _units() -> list[tuple[str, str]]:
    """(code, full name) of the provinces, then the communes, valid through 2015–2024."""
    import datetime as dt

    from regionlink.geography.models import AdministrativeUnit, valid_on_q

    first, last = dt.date(YEARS[0], 1, 1), dt.date(YEARS[-1], 12, 31)
    units = AdministrativeUnit.objects.filter(valid_on_q(first), valid_on_q(last))
    provinces = units.filter(level="province").order_by("code").values_list("code", "name")
    communes = units.filter(level="commune").order_by("code").values_list("code", "name")
    return [*provinces, *communes]


def generate(path: Path, total: int) -> dict:
    """Write ``total`` valid long-template rows to ``path``; returns what the file holds."""
    pairs, units = _pairs(), _units()
    per_unit = len(pairs) * len(YEARS)
    needed = min(len(units), -(-total // per_unit))
    made = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for u, (code, name) in enumerate(units[:needed]):
            for year in YEARS:
                status = "Sơ bộ" if year == YEARS[-1] else ""
                for n, (indicator, key, low) in enumerate(pairs):
                    if made == total:
                        break
                    value = low + (u * 7919 + year * 31 + n * 17) % 1000 / 10
                    writer.writerow((indicator, code, name, year, key, f"{value:.1f}", status, ""))
                    made += 1
    if made < total:
        raise RuntimeError(f"Only {made:,} distinct valid rows exist for {total:,} asked.")
    provinces = sum(1 for code, _name in units[:needed] if len(code) == 2)
    return {
        "rows": made,
        "units": needed,
        "provinces": provinces,
        "communes": needed - provinces,
        "pairs": len(pairs),
        "indicators": len({p[0] for p in pairs}),
        "bytes": path.stat().st_size,
    }


# --- Raw bulk load -------------------------------------------------------------------------


def raw_load(path: Path) -> tuple[float, int]:
    """Seconds to load the file into an unindexed table with nothing checked, and rows loaded."""
    from django.db import connection, transaction

    q = connection.ops.quote_name(RAW_TABLE)
    numeric = "numeric" if connection.vendor == "postgresql" else "NUMERIC"
    columns = ", ".join(f"{c} {numeric if c == 'gia_tri' else 'text'}" for c in HEADER)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {q}")
        cursor.execute(f"CREATE TABLE {q} ({columns})")
    try:
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {q} FROM STDIN WITH (FORMAT csv, HEADER true)"
                with path.open("rb") as handle, cursor.cursor.copy(sql) as copy:
                    while chunk := handle.read(1 << 20):
                        copy.write(chunk)
            else:
                marks = ", ".join(["%s"] * len(HEADER))
                sql = f"INSERT INTO {q} VALUES ({marks})"
                with path.open(encoding="utf-8", newline="") as handle:
                    reader = csv.reader(handle)
                    next(reader)
                    chunk = []
                    for row in reader:
                        chunk.append(row)
                        if len(chunk) == CHUNK:
                            cursor.executemany(sql, chunk)
                            chunk = []
                    if chunk:
                        cursor.executemany(sql, chunk)
        seconds = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {q}")
            loaded = cursor.fetchone()[0]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {q}")
    return seconds, loaded


# --- The import, in a child process --------------------------------------------------------


def _peak_resident_kib() -> int:
    """This process's peak resident memory: VmHWM on Linux, else ru_maxrss.

    On Linux ``ru_maxrss`` outlives execve: a child started from the (large) bench process
    reports the parent's peak until it exceeds it, while VmHWM belongs to the new program.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(path: str, dataset_id: int, actor_id: int, traced: bool) -> None:
    """Run one import and print its figures as JSON (the child's side)."""
    import django

    django.setup()
    from regionlink.indicators.importing import pipeline
    from regionlink.indicators.models import DataSet
    from regionlink.organisations.models import User

    dataset = DataSet.objects.get(pk=dataset_id)
    actor = User.objects.get(pk=actor_id)
    baseline = _peak_resident_kib()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    batch = pipeline.run_import(
        actor=actor,
        dataset=dataset,
        path_or_file=path,
        file_name=Path(path).name,
        method=os.environ.get("BENCH_IMPORT_METHOD") or None,  # copy|bulk_create|executemany
    )
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if traced else None
    report = batch.report or {}
    print(
        json.dumps(
            {
                "seconds": seconds,
                "batch": batch.pk,
                "status": batch.status,
                "valid": report.get("values_valid"),
                "errors": report.get("error_count"),
                "first_errors": [e.get("message") for e in report.get("errors", [])[:3]],
                "warnings": report.get("warning_counts"),
                "diff": {k: v for k, v in (report.get("diff") or {}).items() if k != "examples"},
                "timings": report.get("timings"),
                "rss_baseline_kib": baseline,
                "rss_peak_kib": _peak_resident_kib(),
                "ru_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "tracemalloc_peak": peak,
            }
        )
    )


def _import_in_child(path: Path, dataset_id: int, actor_id: int, traced: bool) -> dict:
    command = [
        sys.executable, "-m", "bench.bench_import", "child", str(path), str(dataset_id),
        str(actor_id), "1" if traced else "0",
    ]  # fmt: skip
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"The import child failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _prepare() -> tuple[int, int]:
    """The bench's data set (owned by the statistics office) and importing administrator."""
    from regionlink.indicators.models import DataSet
    from regionlink.organisations.models import Organisation, User

    owner = Organisation.objects.get(code="btc-cuc-thong-ke")
    dataset, _ = DataSet.objects.get_or_create(
        code=DATASET_CODE, defaults={"name": "Nhập tệp để đo hiệu năng", "owner": owner}
    )
    actor = User.objects.filter(username="bench-admin").first()
    if actor is None:
        actor = User.objects.create_superuser("bench-admin", "bench@example.invalid", None)
    return dataset.pk, actor.pk


def _clean(dataset_id: int) -> None:
    from django.db import connection

    from regionlink.indicators.models import StagedValue

    StagedValue.objects.filter(batch__dataset_id=dataset_id)._raw_delete(connection.alias)


def run():
    from django.db import connection

    from regionlink.indicators.models import DataValue

    total = rows_target()
    work = Path(os.environ.get("BENCH_WORK_DIR", "/tmp"))
    path = work / f"bench-import-{total}.csv"
    start = time.perf_counter()
    shape = generate(path, total)
    yield (
        f"generated {shape['rows']:,} rows ({shape['bytes'] / 2**20:.0f} MiB): "
        f"{shape['indicators']} indicators / {shape['pairs']} indicator × disaggregation pairs × "
        f"{len(YEARS)} years × {shape['provinces']} provinces + {shape['communes']:,} communes, "
        f"in {time.perf_counter() - start:.1f} s"
    )
    published = DataValue.objects.count()
    yield f"published values already in the database (the diff reads them): {published:,}"

    raw, loaded = raw_load(path)
    assert loaded == total, (loaded, total)
    how = "COPY (FORMAT csv)" if connection.vendor == "postgresql" else "csv.reader + executemany"
    yield f"raw bulk load, {how} into an unindexed table: {raw:.1f} s ({total / raw:,.0f} rows/s)"

    dataset_id, actor_id = _prepare()
    try:
        timed = _import_in_child(path, dataset_id, actor_id, traced=False)
        if timed["status"] != "draft" or timed["valid"] != total:
            raise RuntimeError(f"The import did not stage every row: {timed}")
        ratio = timed["seconds"] / raw
        parts = ", ".join(f"{k} {v:.1f} s" for k, v in (timed["timings"] or {}).items())
        yield (
            f"import with full validation (run_import → draft): {timed['seconds']:.1f} s "
            f"({total / timed['seconds']:,.0f} rows/s) = {ratio:.1f}× the raw load "
            f"(target ≤ 3×); {parts}"
        )
        diff = timed["diff"] or {}
        yield (
            f"  staged {diff.get('staged', 0):,}: {diff.get('new', 0):,} new, "
            f"{diff.get('changed', 0):,} changed, {diff.get('unchanged', 0):,} unchanged; "
            f"warnings {timed['warnings'] or {}}"
        )
        rss = timed["rss_peak_kib"] / 1024
        base = timed["rss_baseline_kib"] / 1024
        line = (
            f"peak memory of the import: resident {rss:.0f} MiB (the import's process, "
            f"VmHWM = its own ru_maxrss; {base:.0f} MiB before the import)"
        )
        if os.environ.get("BENCH_IMPORT_TRACEMALLOC", "1") != "0":
            _clean(dataset_id)
            traced = _import_in_child(path, dataset_id, actor_id, traced=True)
            line += (
                f", Python allocations {traced['tracemalloc_peak'] / 2**20:.0f} MiB (tracemalloc)"
            )
        yield line + " (target < 500 MB)"
    finally:
        _clean(dataset_id)
        path.unlink(missing_ok=True)


if __name__ == "__main__" and sys.argv[1:2] == ["child"]:
    _child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1")
