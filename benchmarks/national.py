#!/usr/bin/env python3
"""A whole country's ITA scores: prongsai's core beside the same computation in DuckDB SQL.

    uv run python benchmarks/national.py --agencies 8300 --answers 1350000 --year 2565 --seed 1 --runs 3

Generates a synthetic country with NumPy (deterministic for a seed): agencies of varied size and quality,
IIT answers from staff and EIT answers from outside stakeholders (40 / 60), each a respondent's full
questionnaire in the year's layout (4-level and yes/no answers, reverse-scored sub-items, some skipped),
and every agency's OIT item results. The data is written to files first (.npy for prongsai, Parquet for
DuckDB; generation is not timed), then each side runs in its own fresh process, timed from reading the
files to holding every agency's 10 indicator scores, total, grade and pass. Both sides must agree on
every agency. Prints figures; BENCHMARKS.md records runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from prongsai.framework import Framework
from prongsai.frameworks import get_framework
from prongsai.survey import SurveyLayout, layout_for

IIT_SHARE = 0.4  # FY2564, PSU's 879 agencies: 40,706 IIT and 82,241 EIT answers (about a third IIT)
SKIPPED = 0.02  # share of sub-items left unanswered
SKIPPED_YES_NO = 0.03  # share of respondents who skip a whole yes/no question (misconduct questions)
MIN_IIT, MIN_EIT = 8, 12  # every agency has at least this many answers (when the country is big enough)
TARGET_RATIO = 1.5
TARGET_RSS_MB = 2048


# --- the synthetic country ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    year: int
    agencies: int
    iit_answers: npt.NDArray[np.int8]
    iit_agency: npt.NDArray[np.int32]
    eit_answers: npt.NDArray[np.int8]
    eit_agency: npt.NDArray[np.int32]
    oit_passed: npt.NDArray[np.bool_]  # (agencies, items) in framework.items order


def make_country(framework: Framework, agencies: int, answers: int, seed: int) -> Country:
    rng = np.random.default_rng(seed)
    quality = rng.beta(6, 1.6, size=agencies)  # how well each agency is perceived (most do well)
    size = rng.lognormal(0, 0.9, size=agencies)  # a ministry's department has more people than an SAO
    n_iit = round(answers * IIT_SHARE)
    iit = _answers(rng, layout_for(framework, "IIT"), quality, size, n_iit, MIN_IIT)
    eit = _answers(rng, layout_for(framework, "EIT"), quality, size, answers - n_iit, MIN_EIT)
    disclosure = rng.beta(4, 1.3, size=agencies)  # share of OIT items an agency gets right
    oit = rng.random((agencies, len(framework.items))) < disclosure[:, None]
    return Country(framework.fiscal_year, agencies, iit[0], iit[1], eit[0], eit[1], oit)


def _answers(
    rng: np.random.Generator,
    layout: SurveyLayout,
    quality: npt.NDArray[np.float64],
    size: npt.NDArray[np.float64],
    total: int,
    minimum: int,
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int32]]:
    agencies = len(quality)
    floor = min(minimum, total // agencies)
    counts = floor + rng.multinomial(total - floor * agencies, size / size.sum())
    agency = rng.permutation(np.repeat(np.arange(agencies, dtype=np.int32), counts))  # rows in no useful order
    # Each respondent leans positive or negative around the agency's quality.
    lean = np.clip(quality[agency] + rng.normal(0, 0.12, size=total), 0.02, 0.98)
    codes = np.empty((total, len(layout.columns)), dtype=np.int8)
    column = 0
    for question in layout.questions:
        if question.answer_type == "yes_no":
            good_is_yes = (question.yes_points or 0) > (question.no_points or 0)
            good = rng.random((total, question.sub_items)) < (0.55 + 0.45 * lean)[:, None]
            block = np.where(good == good_is_yes, 1, 2).astype(np.int8)  # 1 = มี (yes), 2 = ไม่มี (no)
            block[rng.random(total) < SKIPPED_YES_NO] = 0
        else:
            level = 1 + rng.binomial(3, lean[:, None], size=(total, question.sub_items))  # 4 = the good end
            flags = np.array(question.reversed_sub_items())
            block = np.where(flags[None, :], 5 - level, level).astype(np.int8)
        codes[:, column : column + question.sub_items] = block
        column += question.sub_items
    codes[rng.random(codes.shape) < SKIPPED] = 0
    return codes, agency


def write_country(country: Country, folder: Path) -> None:
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    framework = get_framework(country.year)
    np.save(folder / "iit_answers.npy", country.iit_answers)
    np.save(folder / "iit_agency.npy", country.iit_agency)
    np.save(folder / "eit_answers.npy", country.eit_answers)
    np.save(folder / "eit_agency.npy", country.eit_agency)
    np.save(folder / "oit_passed.npy", country.oit_passed)
    con = duckdb.connect()
    for name, table in _tables(framework, country).items():
        con.register(name, table)
        con.execute(f"COPY {name} TO '{folder / name}.parquet' (FORMAT parquet)")
    (folder / "country.json").write_text(json.dumps({"year": country.year, "agencies": country.agencies}))


def _tables(framework: Framework, country: Country, copy: bool = True) -> dict[str, dict[str, npt.NDArray[Any]]]:
    """The country as DuckDB tables: one column per sub-item (i1_1 …) or item (O1 …), plus the agency.

    Without ``copy`` the columns are strided views of the answer matrices (DuckDB scans them as they are).
    """
    column = np.ascontiguousarray if copy else np.asarray
    tables: dict[str, dict[str, npt.NDArray[Any]]] = {}
    for tool, answers, agency in (
        ("iit", country.iit_answers, country.iit_agency),
        ("eit", country.eit_answers, country.eit_agency),
    ):
        columns = layout_for(framework, tool.upper()).columns
        tables[tool] = {"agency": agency} | {c: column(answers[:, k]) for k, c in enumerate(columns)}
    tables["oit"] = {"agency": np.arange(country.agencies, dtype=np.int32)} | {
        item.code: column(country.oit_passed[:, k]) for k, item in enumerate(framework.items)
    }
    return tables


# --- the same computation in SQL -----------------------------------------------------------------------


def duckdb_sql(framework: Framework) -> str:
    """One query over tables iit, eit, oit: a row per agency with indicators 1–10, total, grade and passed.

    Points per answer code from the framework; a question is the mean of its answered sub-items, a
    respondent's indicator the mean of its answered questions, an agency's indicator the mean over its
    respondents; indicator scores are rounded half-up to the framework's decimals (DECIMAL arithmetic after
    the 9-decimal step prongsai takes), the total is the weighted sum of the rounded scores, rounded again.
    """
    decimals = framework.rounding.decimals
    parts = []
    for tool in ("IIT", "EIT"):
        layout = layout_for(framework, tool)
        parts.append(f"{tool.lower()}_scores AS ({_survey_sql(layout)})")
    oit_exprs = [f"{_oit_sql(framework, n)} AS s{n}" for n in (9, 10)]
    parts.append(f"oit_scores AS (SELECT agency, {', '.join(oit_exprs)} FROM oit)")

    def rounded(expr: str) -> str:
        return f"round(CAST({expr} AS DECIMAL(18,9)), {decimals})"

    indicator_cols = [rounded(f"s{n}") + f" AS i{n}" for n in range(1, 11)]
    total = " + ".join(f"i{i.number} * {Decimal(repr(i.weight)) / 100}" for i in framework.indicators)
    grade = grade_sql(framework)
    return f"""
WITH {", ".join(parts)},
joined AS (
  SELECT o.agency, {", ".join(indicator_cols)}, coalesce(iit_n, 0) AS iit_n, coalesce(eit_n, 0) AS eit_n
  FROM oit_scores o LEFT JOIN iit_scores USING (agency) LEFT JOIN eit_scores USING (agency)
),
totals AS (SELECT *, round({total}, {decimals}) AS total FROM joined)
SELECT agency, {", ".join(f"i{n}::DOUBLE AS i{n}" for n in range(1, 11))}, total::DOUBLE AS total,
  {grade} AS grade, coalesce(total >= {Decimal(repr(framework.pass_mark))}, false) AS passed, iit_n, eit_n
FROM totals ORDER BY agency
"""


def grade_sql(framework: Framework) -> str:
    """The grade of a DECIMAL column ``total``, as Framework.grade_for gives it (NULL without grades)."""
    if not framework.has_grades:
        return "NULL::VARCHAR"
    bands = " ".join(f"WHEN total >= {Decimal(repr(b.min))} THEN '{b.grade}'" for b in framework.grades)
    return f"CASE WHEN total IS NULL THEN NULL {bands} ELSE '{framework.grades[-1].grade}' END"


def _survey_sql(layout: SurveyLayout) -> str:
    table = layout.tool.lower()
    points = []
    for k, column in enumerate(layout.columns):
        cases = " ".join(
            f"WHEN {code} THEN {float(layout.points[k, code])!r}::DOUBLE"
            for code in range(1, 5)
            if not np.isnan(layout.points[k, code])
        )
        points.append(f"CASE {column} {cases} END AS p_{column}")
    starts = [*layout.question_starts.tolist(), len(layout.columns)]
    questions = [
        f"{_nan_mean([f'p_{c}' for c in layout.columns[starts[q] : starts[q + 1]]])} AS q{q}"
        for q in range(len(layout.questions))
    ]
    q_starts = [*layout.indicator_starts.tolist(), len(layout.questions)]
    indicators = [
        f"{_nan_mean([f'q{q}' for q in range(q_starts[k], q_starts[k + 1])])} AS s{n}"
        for k, n in enumerate(layout.indicator_numbers)
    ]
    means = ", ".join(f"avg(s{n}) AS s{n}" for n in layout.indicator_numbers)
    return (
        f"SELECT agency, {means}, count(*) AS {table}_n FROM ("
        f"SELECT agency, {', '.join(indicators)} FROM ("
        f"SELECT agency, {', '.join(questions)} FROM ("
        f"SELECT agency, {', '.join(points)} FROM {table}))) GROUP BY agency"
    )


def _nan_mean(columns: list[str]) -> str:
    if len(columns) == 1:
        return columns[0]
    total = " + ".join(f"coalesce({c}, 0)" for c in columns)
    count = " + ".join(f"({c} IS NOT NULL)::INTEGER" for c in columns)
    return f"(({total}) / nullif({count}, 0))"


def _oit_sql(framework: Framework, number: int) -> str:
    subs = framework.sub_indicators_of(number)
    counts = ["(" + " + ".join(f"{i.code}::INTEGER" for i in s.items) + ")" for s in subs]
    if framework.oit.rule.value == "mean_of_items":
        return f"(100 * ({' + '.join(counts)}) / {sum(len(s.items) for s in subs)})"
    rates = " + ".join(f"100 * {c} / {len(s.items)}" for c, s in zip(counts, subs, strict=True))
    return f"(({rates}) / {len(subs)})"


def duckdb_scores(framework: Framework, country: Country) -> dict[str, npt.NDArray[np.generic]]:
    """The SQL on an in-memory country (for the tests)."""
    import duckdb

    con = duckdb.connect()
    for name, table in _tables(framework, country).items():
        con.register(name, table)
    return _arrays(con.execute(duckdb_sql(framework)).fetchnumpy())


def _arrays(result: dict[str, npt.NDArray[np.generic]]) -> dict[str, npt.NDArray[np.generic]]:
    """The query's columns as plain arrays, NULL as NaN (or "" for a grade); fetchnumpy masks NULLs."""

    def floats(name: str) -> npt.NDArray[np.float64]:
        return np.ma.filled(np.ma.asarray(result[name]).astype(np.float64), np.nan)

    return {
        "indicators": np.column_stack([floats(f"i{n}") for n in range(1, 11)]),
        "totals": floats("total"),
        "grades": np.array([g or "" for g in np.ma.filled(np.ma.asarray(result["grade"]), "").tolist()]),
        "passed": np.ma.filled(np.ma.asarray(result["passed"]), False).astype(bool),
    }


# --- the two measured sides, each in a fresh process ---------------------------------------------------


def run_product(data: Path, out: Path) -> dict[str, float]:
    from prongsai.national import score_agencies

    meta = json.loads((data / "country.json").read_text())
    framework = get_framework(meta["year"])
    wall, cpu = time.perf_counter(), time.process_time()
    agencies = tuple(str(k) for k in range(meta["agencies"]))
    scores = score_agencies(
        framework,
        agencies,
        np.load(data / "iit_answers.npy"),
        np.load(data / "iit_agency.npy"),
        np.load(data / "eit_answers.npy"),
        np.load(data / "eit_agency.npy"),
        np.load(data / "oit_passed.npy"),
    )
    figures = _figures(wall, cpu)
    grades = np.array([g or "" for g in scores.grades])
    np.savez(out, indicators=scores.indicators, totals=scores.totals, grades=grades, passed=scores.passed)
    return figures


def run_duckdb(data: Path, out: Path) -> dict[str, float]:
    """DuckDB reading the Parquet files."""
    return _duckdb(data, out, from_npy=False)


def run_duckdb_npy(data: Path, out: Path) -> dict[str, float]:
    """DuckDB scanning the same .npy arrays prongsai reads (np.load, then DuckDB's NumPy scan)."""
    return _duckdb(data, out, from_npy=True)


def _duckdb(data: Path, out: Path, from_npy: bool) -> dict[str, float]:
    import duckdb

    meta = json.loads((data / "country.json").read_text())
    framework = get_framework(meta["year"])
    sql = duckdb_sql(framework)
    wall, cpu = time.perf_counter(), time.process_time()
    con = duckdb.connect()
    if from_npy:
        country = Country(
            meta["year"],
            meta["agencies"],
            np.load(data / "iit_answers.npy"),
            np.load(data / "iit_agency.npy"),
            np.load(data / "eit_answers.npy"),
            np.load(data / "eit_agency.npy"),
            np.load(data / "oit_passed.npy"),
        )
        for name, table in _tables(framework, country, copy=False).items():
            con.register(name, table)
    else:
        for name in ("iit", "eit", "oit"):
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{data / name}.parquet')")
    result = con.execute(sql).fetchnumpy()
    figures = _figures(wall, cpu)
    np.savez(out, **_arrays(result))  # type: ignore[arg-type]
    return figures


def _figures(wall: float, cpu: float) -> dict[str, float]:
    figures = {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    # ru_maxrss carries over the parent's high-water mark through fork and exec (the parent stays small for
    # that reason); VmHWM is this process's own, a cross-check.
    status = Path("/proc/self/status")
    if status.exists():
        line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
        figures["hwm_mb"] = int(line.split()[1]) / 1024
    return figures


def run_generate(data: Path, out: Path) -> dict[str, float]:
    """Generation runs in a child too, so the parent's memory never inflates a measured child's ru_maxrss."""
    options = json.loads(out.read_text())
    started = time.perf_counter()
    framework = get_framework(options["year"])
    country = make_country(framework, options["agencies"], options["answers"], options["seed"])
    write_country(country, data)
    return {
        "seconds": time.perf_counter() - started,
        "iit": len(country.iit_agency),
        "eit": len(country.eit_agency),
        "iit_columns": country.iit_answers.shape[1],
        "eit_columns": country.eit_answers.shape[1],
        "items": len(framework.items),
    }


SIDES = {"prongsai": run_product, "duckdb": run_duckdb, "duckdb-npy": run_duckdb_npy}
LABELS = {
    "prongsai": "prongsai (NumPy, from .npy)",
    "duckdb": "DuckDB SQL (from Parquet)",
    "duckdb-npy": "DuckDB SQL (from the same .npy)",
}
CHILDREN = {**SIDES, "generate": run_generate}


def _child(side: str, data: Path, out: Path) -> dict[str, float]:
    started = time.perf_counter()
    command = [sys.executable, __file__, "--child", side, "--data", str(data), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{side} failed:\n{done.stderr}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process"] = time.perf_counter() - started
    return figures


def compare(product: Path, reference: Path) -> list[str]:
    """Disagreements between the two sides' results (empty when every agency agrees)."""
    a, b = np.load(product), np.load(reference)
    problems = []
    for name in ("indicators", "totals"):
        same = np.isclose(a[name], b[name], rtol=0, atol=1e-6, equal_nan=True)
        if not same.all():
            rows = sorted({int(r) for r in np.argwhere(~same)[:, 0]})
            problems.append(f"{name} differ for {len(rows)} agencies, e.g. agency {rows[0]}")
    for name in ("grades", "passed"):
        differ = np.flatnonzero(a[name] != b[name])
        if differ.size:
            problems.append(f"{name} differ for {differ.size} agencies, e.g. agency {differ[0]}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=8300)
    parser.add_argument("--answers", type=int, default=1_350_000, help="IIT + EIT answers (respondents)")
    parser.add_argument("--year", type=int, default=2565)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1, help="runs of each side; medians are printed")
    parser.add_argument("--data", type=Path, help="keep the generated files here (default: a temporary folder)")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child](args.data, args.out)))
        return
    with tempfile.TemporaryDirectory() as temporary:
        data = args.data or Path(temporary)
        _measure(args, data, Path(temporary))


def _measure(args: argparse.Namespace, data: Path, scratch: Path) -> None:
    options = scratch / "options.json"
    options.write_text(json.dumps({k: vars(args)[k] for k in ("agencies", "answers", "year", "seed")}))
    made = _child("generate", data, options)
    print(
        f"FY{args.year}: {args.agencies:,} agencies, {made['iit']:,} IIT + {made['eit']:,} EIT answers "
        f"({made['iit_columns']:.0f} + {made['eit_columns']:.0f} sub-items each), {made['items']:.0f} OIT items "
        f"per agency; generated and written in {made['seconds']:.1f} s (seed {args.seed})"
    )
    runs: dict[str, list[dict[str, float]]] = {side: [] for side in SIDES}
    for run in range(args.runs):
        for side in SIDES:
            runs[side].append(_child(side, data, scratch / f"{side}-{run}.npz"))
            print(f"  run {run + 1} {side:<10} " + "  ".join(f"{k} {v:.2f}" for k, v in runs[side][-1].items()))
    problems = {side: compare(scratch / "prongsai-0.npz", scratch / f"{side}-0.npz") for side in SIDES}
    med = {side: {k: statistics.median(r[k] for r in runs[side]) for k in runs[side][0]} for side in SIDES}
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nmedian of {args.runs} run(s), {os.cpu_count()} cores, load average {load}")
    print("timed: from reading the files to every agency's 10 indicators, total, grade and pass in memory")
    print("| side | wall s | CPU s | peak RSS MB | whole process s |\n|---|---:|---:|---:|---:|")
    for side in SIDES:
        m = med[side]
        print(f"| {LABELS[side]} | {m['wall']:.2f} | {m['cpu']:.2f} | {m['rss_mb']:.0f} | {m['process']:.2f} |")
    reference = min(("duckdb", "duckdb-npy"), key=lambda side: med[side]["wall"])
    ratio = med["prongsai"]["wall"] / med[reference]["wall"]
    rss = med["prongsai"]["rss_mb"]
    print(
        f"ratio prongsai / DuckDB (wall, the faster DuckDB: {LABELS[reference]}): {ratio:.2f}× "
        f"— target ≤ {TARGET_RATIO}×: {_met(ratio <= TARGET_RATIO)}"
    )
    print(f"prongsai peak RSS: {rss:.0f} MB — target < {TARGET_RSS_MB} MB: {_met(rss < TARGET_RSS_MB)}")
    disagree = [f"{LABELS[side]}: {'; '.join(p)}" for side, p in problems.items() if p]
    if disagree:
        print("results DISAGREE: " + " | ".join(disagree))
        sys.exit(1)
    print(f"every side agrees for all {args.agencies:,} agencies (indicators and totals to 1e-6, grades, pass)")


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


if __name__ == "__main__":
    main()
