"""The ``prongsai`` command: a thin click layer over the core.

The web app's commands (serve, createadmin, prepare, backup, restore) are prongsai.web.cli's, added to this
group below. Bad input never shows a traceback: a ProngsaiError becomes one line on stderr and exit code 2.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from prongsai import report
from prongsai._cli import EXIT_BAD_INPUT
from prongsai._cli import FILE as _FILE
from prongsai._cli import fail_cleanly as _fail_cleanly
from prongsai.analysis import analyze
from prongsai.document_kinds import KINDS, get_kind
from prongsai.errors import FrameworkError, ProngsaiError
from prongsai.examples import example_path
from prongsai.frameworks import FrameworkSource, add_framework, get_framework, load_all, loaded_dir, sources
from prongsai.kit.cli import kit as kit_commands  # prongsai kit …: the document kit
from prongsai.numbers import round_half_up
from prongsai.planner import plan
from prongsai.results import load_answers, load_results
from prongsai.survey import score_answers
from prongsai.thai import to_thai_digits
from prongsai.web import cli as web_cli  # its commands import Django only when one runs

F = TypeVar("F", bound=Callable[..., Any])


def _lang_options(func: F) -> F:
    func = click.option("--thai-digits", is_flag=True, help="ใช้เลขไทย (Thai digits) in text output.")(func)
    func = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")(func)
    func = click.option(
        "--lang",
        type=click.Choice(["th", "en"]),
        default="th",
        show_default=True,
        help="Language of text output.",
    )(func)
    return func


_year_option = click.option("--year", type=int, help="Fiscal year (B.E., e.g. 2564); required for CSV/XLSX.")


def _emit(data: dict[str, Any] | list[Any] | str, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(data, nl=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="prongsai")
def main() -> None:
    """prongsai (โปร่งใส): frameworks, scores, analysis and planning for the ITA."""


@main.group(invoke_without_command=True)
@click.option("--year", type=int, help="Show one fiscal year in full, with its unverified facts.")
@_lang_options
@click.pass_context
@_fail_cleanly
def frameworks(ctx: click.Context, year: int | None, lang: report.Lang, as_json: bool, thai_digits: bool) -> None:
    """List the ITA frameworks of every fiscal year (or one in full); add a year's file; compare two years."""
    if ctx.invoked_subcommand is not None:
        return
    found = sources()
    if year is not None:
        framework = get_framework(year)
        label = _source_label(found[year], lang)
        if as_json:
            _emit({**report.framework_json(framework), "source": _source_json(found[year])}, True)
        else:
            _emit(report.framework_text(framework, lang, source=label), False)
        return
    all_years = load_all()
    if as_json:
        _emit(
            [
                {
                    "fiscal_year": f.fiscal_year,
                    "publication": f.publication.value,
                    "pass_mark": f.pass_mark,
                    "items": len(f.items),
                    "questions": len(f.questions),
                    "tools": {t.code: t.weight for t in f.tools},
                    "unverified": len(f.unverified_facts()),
                    "provisional": f.provisional,
                    "source": _source_json(found[f.fiscal_year]),
                }
                for f in all_years
            ],
            True,
        )
    else:
        _emit(
            report.frameworks_text(all_years, lang, [_source_label(found[f.fiscal_year], lang) for f in all_years]),
            False,
        )


def _source_label(source: FrameworkSource, lang: report.Lang) -> str:
    return source.label_th if lang == "th" else source.label_en


def _source_json(source: FrameworkSource) -> dict[str, Any]:
    return {
        "kind": source.kind,
        "path": str(source.path) if source.path else None,
        "loaded_at": source.loaded_at.isoformat() if source.loaded_at else None,
        "loaded_by": source.loaded_by or None,
        "based_on": source.based_on,
    }


@frameworks.command("add")
@click.argument("file", type=_FILE)
@click.option("--by", "loaded_by", default="", help="Who loads the file (kept with it; default: the login name).")
@click.option("--check", is_flag=True, help="Only validate the file (and show what would change); change nothing.")
@click.option("--yes", is_flag=True, help="Confirm moving agencies' data of that year to the new items.")
@_fail_cleanly
def frameworks_add(file: Path, loaded_by: str, check: bool, yes: bool) -> None:
    """Add (or replace) a fiscal year's framework from a file, checked as the shipped ones are.

    Where the web app's database already has agencies' data of that year, the command shows what would
    change and which item's data goes where, and changes it only with --yes (as the upload page does)."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(str(file), "", f"อ่านไฟล์ไม่ได้ (cannot read the file): {exc}") from exc
    who = loaded_by or _login_name()
    framework = add_framework(text, source=str(file), loaded_by=who, dry_run=True)
    year = framework.fiscal_year
    if web_cli.framework_load(framework, text, str(file), who, check=check, yes=yes):
        return  # the web app's database held agencies' data of that year: it showed and moved it
    if check:
        click.echo(f"ไฟล์ถูกต้อง: กรอบการประเมินปี {year} มีข้อ OIT {len(framework.items)} ข้อ (nothing changed)")
        return
    add_framework(text, source=str(file), loaded_by=who)
    click.echo(f"เพิ่มกรอบการประเมินปี {year} แล้ว: ข้อ OIT {len(framework.items)} ข้อ เก็บไว้ที่ {loaded_dir()}")


@frameworks.command("diff")
@click.argument("previous_year", type=int)
@click.argument("year", type=int)
@_lang_options
@_fail_cleanly
def frameworks_diff(previous_year: int, year: int, lang: report.Lang, as_json: bool, thai_digits: bool) -> None:
    """What changed from one fiscal year's framework to another's (e.g. 2568 2569): items added, dropped,
    merged, split, renamed, renumbered, their periods, weights and pass mark. Where the newer file does not
    say which items it continues, the mapping is proposed from similar wording and marked as such."""
    from prongsai.yearchange import diff, grouped, propose_mapping

    previous, current = get_framework(previous_year), get_framework(year)
    links = propose_mapping(previous, current)
    changes = diff(previous, current, links)
    if as_json:
        _emit(
            {
                "previous_year": previous_year,
                "fiscal_year": year,
                "mapping": [
                    {"code": link.code, "continues": list(link.previous), "stated": link.stated, "score": link.score}
                    for link in links.values()
                ],
                "changes": [change.as_json() for change in changes],
            },
            True,
        )
        return
    th = lang == "th"
    lines = [
        f"การเปลี่ยนแปลงของกรอบการประเมินจากปี {previous_year} เป็นปี {year}"
        if th
        else f"Changes in the framework from FY{previous_year} to FY{year}"
    ]
    if current.provisional:
        lines.append(
            f"ปี {year} ยังเป็นกรอบชั่วคราวที่ทำจากกรอบปี {current.based_on} จนกว่าจะมีคู่มือของปีนี้"
            if th
            else f"FY{year} is provisional, made from FY{current.based_on} until the year's manual is out."
        )
    proposed = [link.code for link in links.values() if link.proposed]
    if proposed:
        lines.append(
            f"ไฟล์ของปี {year} ไม่ได้ระบุว่าข้อ {', '.join(proposed)} ต่อจากข้อใดของปี {previous_year} "
            "ระบบจึงเสนอจากความคล้ายของชื่อข้อและรายละเอียด (ข้อความที่มีคำว่า “ระบบเสนอ”) โปรดตรวจสอบ"
            if th
            else f"The FY{year} file does not say which FY{previous_year} items {', '.join(proposed)} continue: "
            "the mapping is proposed from similar wording (marked “proposed”); please check it."
        )
    if not changes:
        lines.append("ไม่มีการเปลี่ยนแปลง" if th else "Nothing changed.")
    for _kind, heading_th, heading_en, group in grouped(changes):
        lines.append("")
        lines.append(f"{heading_th if th else heading_en} ({len(group)})")
        lines += [f"  - {change.text_th if th else change.text_en}" for change in group]
    text = "\n".join(lines) + "\n"
    _emit(to_thai_digits(text) if thai_digits else text, False)


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


@main.command()
@click.argument("file", type=_FILE)
@_year_option
@click.option("--oit", "oit_file", type=_FILE, help="OIT item answers (item,answer) giving indicators 9 and 10.")
@_lang_options
@_fail_cleanly
def score(
    file: Path, year: int | None, oit_file: Path | None, lang: report.Lang, as_json: bool, thai_digits: bool
) -> None:
    """Total, grade and pass from a result file (10 indicator scores and/or OIT item answers)."""
    results = load_results(file, year, oit_file)
    _emit(report.score_json(results) if as_json else report.score_text(results, lang, thai_digits), as_json)


@main.command("analyze")
@click.argument("file", type=_FILE)
@_year_option
@click.option("--oit", "oit_file", type=_FILE, help="OIT item answers (item,answer).")
@click.option("--previous", type=_FILE, help="Last year's result file, to show the change.")
@click.option("--previous-year", type=int, help="Fiscal year of --previous when it is CSV/XLSX.")
@_lang_options
@_fail_cleanly
def analyze_command(
    file: Path,
    year: int | None,
    oit_file: Path | None,
    previous: Path | None,
    previous_year: int | None,
    lang: report.Lang,
    as_json: bool,
    thai_digits: bool,
) -> None:
    """The analysis of one result: ranking, highest and lowest, per tool, missing OIT items, change."""
    results = load_results(file, year, oit_file)
    before = load_results(previous, previous_year) if previous is not None else None
    analysis = analyze(results, before)
    _emit(
        report.analysis_json(analysis) if as_json else report.analysis_text(analysis, lang, thai_digits),
        as_json,
    )


@main.command("plan")
@click.argument("file", type=_FILE)
@_year_option
@click.option("--oit", "oit_file", type=_FILE, help="OIT item answers (item,answer).")
@click.option("--target", type=click.FloatRange(0, 100), help="Target total (default: the pass mark, 85).")
@_lang_options
@_fail_cleanly
def plan_command(
    file: Path,
    year: int | None,
    oit_file: Path | None,
    target: float | None,
    lang: report.Lang,
    as_json: bool,
    thai_digits: bool,
) -> None:
    """What-if: which indicators and OIT items raise the total most, and what reaching the target takes."""
    the_plan = plan(load_results(file, year, oit_file), target)
    _emit(report.plan_json(the_plan) if as_json else report.plan_text(the_plan, lang, thai_digits), as_json)


@main.command("survey")
@click.argument("file", type=_FILE)
@click.option("--year", type=int, required=True, help="Fiscal year (B.E.).")
@_lang_options
@_fail_cleanly
def survey_command(file: Path, year: int, lang: report.Lang, as_json: bool, thai_digits: bool) -> None:
    """Indicator scores 1–8 from raw IIT or EIT answers (one row per respondent), per group."""
    sheet = load_answers(file, get_framework(year))
    scores = score_answers(sheet.layout, sheet.codes, sheet.group_ids, sheet.group_names)
    if as_json:
        groups = [
            {
                "group": group,
                "respondents": int(scores.respondents[g]),
                "indicators": {str(n): (None if math.isnan(v) else round_half_up(v)) for n, v in by_indicator.items()},
            }
            for g, (group, by_indicator) in enumerate(scores.as_dict().items())
        ]
        _emit({"fiscal_year": year, "tool": scores.tool, "groups": groups}, True)
        return
    _emit(report.survey_text(scores, year, lang, thai_digits), False)


@main.command()
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True)
@_fail_cleanly
def demo(lang: report.Lang) -> None:
    """The demo: analysis and plan of อบต.ทรงคนอง's FY2564 result (the seed document)."""
    example = _example("songkhanong-2564.yaml")
    results = load_results(example)
    click.echo(report.analysis_text(analyze(results), lang))
    click.echo(report.plan_text(plan(results), lang), nl=False)


@main.command()
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Output file, or folder with --all.")
@click.option("--pdf", is_flag=True, help="Also make the PDF (needs LibreOffice).")
@click.option("--arabic-digits", is_flag=True, help="Arabic digits instead of Thai digits (เลขไทย).")
@click.option("--annual", is_flag=True, help="progress: the annual report instead of the half-year one.")
@click.option("--template", type=_FILE, help="Your own Word template; it is checked before use.")
@click.option("--xlsx", is_flag=True, help="itas: also the formatted XLSX answer sheet.")
@click.option("--all", "batch", is_flag=True, help="Many data files, or folders of them, in parallel.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32))
@click.option(
    "--date",
    "on",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Date of signing (default: the plan's signed_on, else today if it lies in the document's year).",
)
@_fail_cleanly
def document(
    kind: str,
    files: tuple[Path, ...],
    out: Path | None,
    pdf: bool,
    arabic_digits: bool,
    annual: bool,
    template: Path | None,
    xlsx: bool,
    batch: bool,
    workers: int,
    on: Any,
) -> None:
    """Official documents: measures (มาตรการ…), progress (รายงานผล…) or itas (answer sheet), DOCX and PDF."""

    from prongsai import documents

    day = on.date() if on is not None else None
    if batch:
        _document_batch(kind, files, out or Path("documents"), pdf, not arabic_digits, annual, workers, day)
        return
    if len(files) != 1:
        raise ProngsaiError("ให้ไฟล์ข้อมูลเพียงไฟล์เดียว หรือใช้ --all (give one data file, or use --all)")
    if template is not None:
        problems = documents.validate_template(template, *documents.sample_context(kind))
        if problems:
            raise ProngsaiError(f"{template}: {'; '.join(problems)}")
    data = documents.load_document_data(files[0])
    if get_kind(kind).signed:
        _sign, why = documents.signing_date(kind, data, annual=annual, on=day)
        if why:
            click.echo(f"prongsai: {files[0]}: {why}", err=True)
    docx = documents.make_docx(
        kind,
        data,
        thai_digits=not arabic_digits,
        annual=annual,
        on=day,
        template=template.read_bytes() if template else None,
    )
    target = out or Path(f"{files[0].stem}-{kind}.docx")
    target.write_bytes(docx)
    click.echo(str(target))
    if pdf:
        converter = documents.Converter()
        try:
            target.with_suffix(".pdf").write_bytes(converter.to_pdf(docx, target.stem))
        finally:
            converter.close()
        click.echo(str(target.with_suffix(".pdf")))
    if xlsx and kind == "itas":
        from prongsai.documents.context import document_year
        from prongsai.itas import itas_xlsx

        framework = get_framework(document_year("itas", data))
        agency = data.the_agency
        title = f"แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ปีงบประมาณ พ.ศ. {framework.fiscal_year}"
        title += f" {agency.name}" if agency else ""
        target.with_suffix(".xlsx").write_bytes(itas_xlsx(framework, dict(data.register or {}), title))
        click.echo(str(target.with_suffix(".xlsx")))


def _document_batch(
    kind: str, files: tuple[Path, ...], outdir: Path, pdf: bool, thai_digits: bool, annual: bool, workers: int, day: Any
) -> None:
    from prongsai.documents.batch import make_many

    paths = sorted({p for f in files for p in (sorted(f.glob("*.yaml")) if f.is_dir() else [f])})
    if not paths:
        raise ProngsaiError("ไม่พบไฟล์ข้อมูล .yaml (no data files found)")
    with click.progressbar(
        length=len(paths) + (workers if pdf else 0), label=f"{kind} ×{len(paths)}", file=sys.stderr
    ) as bar:
        result = make_many(
            kind,
            paths,
            outdir,
            workers=workers,
            pdf=pdf,
            thai_digits=thai_digits,
            annual=annual,
            on=day,
            progress=lambda _name: bar.update(1),
        )
    click.echo(f"DOCX {len(result.docx)}, PDF {len(result.pdf)} → {outdir}")
    for path, reason in result.failed:
        click.echo(f"prongsai: {path}: {reason}", err=True)
    if result.failed:
        sys.exit(EXIT_BAD_INPUT)


@main.group()
def oit() -> None:
    """The OIT checker: visit the agency's website, item by item."""


_check_options = [
    click.option("--year", type=int, required=True, help="Fiscal year (B.E.) whose items to check."),
    click.option(
        "--allow-host",
        "allow_hosts",
        multiple=True,
        help="Visit this host even if it is a private or loopback address (tests, intranets); HOST:PORT allows "
        "that port only.",
    ),
    click.option("--json", "as_json", is_flag=True, help="Print the JSON report."),
    click.option("--xlsx", "xlsx_out", type=click.Path(path_type=Path), help="Write an XLSX report here."),
    click.option("--html", "html_out", type=click.Path(path_type=Path), help="Write an HTML report here."),
    click.option("--evidence", type=click.Path(path_type=Path), help="Keep a copy of every fetched file here."),
    click.option(
        "--per-host",
        default=2,
        show_default=True,
        type=click.IntRange(1, 64),
        help="Requests at once to one site (be polite to small servers).",
    ),
    click.option(
        "--interval",
        default=0.25,
        show_default=True,
        type=click.FloatRange(0, 10),
        help="Seconds between requests to one site.",
    ),
    click.option(
        "--processes",
        type=click.IntRange(0, 64),
        help="Worker processes that read pages and files, each under memory, CPU and time bounds (0: read in this "
        "process, unbounded). Default: one per core to crawl, one to check.",
    ),
]


def _with_check_options(func: F) -> F:
    for option in reversed(_check_options):
        func = option(func)
    return func


def _policy(allow_hosts: tuple[str, ...], per_host: int, interval: float) -> Any:
    from prongsai.checker.fetch import FetchPolicy

    try:
        return FetchPolicy(allow_hosts=frozenset(allow_hosts), per_host=per_host, min_interval=interval)
    except ValueError as exc:  # --allow-host with a port that is not a number
        raise ProngsaiError(f"--allow-host: {exc}") from exc


def _finish_check(site: Any, as_json: bool, xlsx_out: Path | None, html_out: Path | None) -> None:
    from prongsai.checker import run

    if xlsx_out:
        xlsx_out.write_bytes(run.report_xlsx(site))
    if html_out:
        html_out.write_text(run.report_html(site), encoding="utf-8")
    if as_json:
        click.echo(run.dump_json(site))
        return
    from prongsai._table import render_table

    titles = {i.code: i.title_th for i in site.framework.items}
    rows = [[c.code, titles[c.code][:40], run.VERDICT_TH[c.verdict], c.reason_th[:70]] for c in site.checks]
    click.echo(render_table(["ข้อ", "หัวข้อ", "ผล", "เหตุผล"], rows))
    likely = site.likely.indicators
    click.echo(f"\nคะแนนที่ผู้ตรวจน่าจะให้: ตัวชี้วัด 9 = {likely[9]:.2f}, ตัวชี้วัด 10 = {likely[10]:.2f}")


@oit.command("check")
@click.argument("target")
@_with_check_options
@_fail_cleanly
def oit_check(
    target: str,
    year: int,
    allow_hosts: tuple[str, ...],
    as_json: bool,
    xlsx_out: Path | None,
    html_out: Path | None,
    evidence: Path | None,
    per_host: int,
    interval: float,
    processes: int | None,
) -> None:
    """Check every item of a year. TARGET is a map of item → URL (YAML/JSON/CSV/XLSX, e.g. the register's
    export) or the URL of the site's ITA/OIT page, whose links are read to find the items."""
    import asyncio

    from prongsai.checker import run

    framework = get_framework(year)
    path = Path(target)
    urls = run.load_url_map(path, framework) if path.exists() else None
    if urls is None and not target.startswith(("http://", "https://")):
        raise ProngsaiError(f"{target}: ไม่ใช่ไฟล์หรือ URL (neither a file nor a URL)")
    site = asyncio.run(
        run.check_site(
            framework,
            urls=urls,
            ita_page=None if urls is not None else target,
            evidence=evidence,
            policy=_policy(allow_hosts, per_host, interval),
            progress=lambda m: click.echo(m, err=True),
            processes=processes,
        )
    )
    _finish_check(site, as_json, xlsx_out, html_out)


@oit.command("crawl")
@click.argument("home")
@_with_check_options
@click.option("--max-pages", default=300, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--max-depth", default=3, show_default=True, type=click.IntRange(0, 20))
@click.option("--max-seconds", default=120.0, show_default=True, type=click.FloatRange(1, 86_400))
@_fail_cleanly
def oit_crawl(
    home: str,
    year: int,
    allow_hosts: tuple[str, ...],
    as_json: bool,
    xlsx_out: Path | None,
    html_out: Path | None,
    evidence: Path | None,
    per_host: int,
    interval: float,
    processes: int | None,
    max_pages: int,
    max_depth: int,
    max_seconds: float,
) -> None:
    """From the home page only: crawl the site (bounded), find its ITA/OIT page, propose and check a URL per item."""
    import asyncio

    from prongsai.checker import run
    from prongsai.checker.find import CrawlLimits

    site = asyncio.run(
        run.check_site(
            get_framework(year),
            home=home,
            evidence=evidence,
            policy=_policy(allow_hosts, per_host, interval),
            limits=CrawlLimits(max_depth, max_pages, max_seconds),
            progress=lambda m: click.echo(m, err=True),
            processes=processes,
        )
    )
    _finish_check(site, as_json, xlsx_out, html_out)


def _example(name: str) -> Path:
    return example_path(name)


for _command in web_cli.COMMANDS:
    main.add_command(_command)


main.add_command(kit_commands)


if __name__ == "__main__":
    main()
