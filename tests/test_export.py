"""What a report exports beside its pages: the workbook, tables as CSV, charts as files. The
numbers are numbers and equal results.json; text a spreadsheet would run stays text."""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest
from conftest import DEMO
from PIL import Image
from test_matrix import BASE, YAML

from kamlib.analyses.segmentation.families import INDICATOR_KEYS
from kamlib.analyses.segmentation.view import indicator_spec
from kamlib.cli import main
from kamlib.core.config import load_engagement
from kamlib.core.errors import KamError
from kamlib.render import export, figures
from kamlib.render.pipeline import parse_formats
from kamlib.run import run_engagement


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_the_workbook_holds_every_table_as_numbers_equal_to_results_json(demo):
    book = openpyxl.load_workbook(demo / "report.xlsx")
    results = json.loads((demo / "results.json").read_text(encoding="utf-8"))
    assert book.sheetnames[0] == "目录" and "行业排名" in book.sheetnames
    assert "客户明细" in book.sheetnames and "年度目标客户清单" in book.sheetnames
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert len({name.casefold() for name in book.sheetnames}) == len(book.sheetnames)
    ranking = book["行业排名"]
    header, *body = rows(ranking)
    assert header[:2] == ("排名", "行业")
    total = header.index("总分")
    by_name = {row[1]: row for row in body}
    for industry in results["industry_selection"]["industries"]:
        assert by_name[industry["industry"]][total] == industry["total"]
        assert by_name[industry["industry"]][0] == industry["rank"]
    assert ranking.freeze_panes == "A2" and ranking.auto_filter.ref == f"A1:M{len(body) + 1}"
    tiers = book["客户分级"]
    header, *body, totals = rows(tiers)
    assert header[4] == "收入（元）" and tiers["E2"].number_format == "#,##0"
    assert tiers["F2"].number_format == "0.0%" and 0 < tiers["F2"].value < 1
    seg = results["customer_segmentation"]
    assert sum(row[4] for row in body) == pytest.approx(seg["revenue"])
    assert [row[2] for row in body] == [t["customers"] for t in seg["tiers"]]
    assert totals[0] == "合计" and tiers["C6"].value == "=SUBTOTAL(109,C2:C5)"
    about = rows(book["目录"])
    assert about[0] == ("项目", "信息化咨询业务：目标行业选择与大客户识别", None)
    assert about[6][0] == "工作表目录"
    listed = [row[0] for row in about[7 : 7 + len(book.sheetnames)]]
    assert listed == ["工作表", *book.sheetnames[1:]]
    cells = book["目录"].iter_rows(min_row=9, max_row=11, max_col=1)
    links = [c.hyperlink.location for (c,) in cells]
    assert links == [f"'{name}'!A1" for name in book.sheetnames[1:4]]
    methods = [row[1] for row in about if row[0] == "行业选择" and row[1] and "权重" in row[1]]
    assert len(methods) == 1 and len(methods[0]) > 40  # the method, in a paragraph
    warnings = [row[1] for row in about if row[0] == "行业选择" and row[1] and "46" in row[1]]
    assert warnings == ["电信业：数据中的总分为 46，但按评分计算为 44（差 2）。"]


def test_customers_csv_has_one_row_per_customer_with_every_class(demo):
    path = demo / "tables" / "customers.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: Excel in China reads UTF-8
    with path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == [
        "customer_id",
        "name",
        "revenue",
        "tier",
        "abc_class",
        "pyramid_level",
        "rfm_segment",
        "value_quadrant",
        "key_account",
        *[key for key, _ in INDICATOR_KEYS if key != "revenue"],
    ]
    results = json.loads((demo / "results.json").read_text(encoding="utf-8"))
    seg = results["customer_segmentation"]
    # the same indicators as results.json, key account by key account (days as whole days)
    by_id = {row["customer_id"]: row for row in table}
    for customer, indicators in seg["indicators"].items():
        for key, value in indicators.items():
            cell = by_id[customer][key]
            if value is None:
                assert cell == "", (customer, key)
            else:
                whole = indicator_spec(key)[1] == "num0"
                assert float(cell) == pytest.approx(round(value) if whole else value), (
                    customer,
                    key,
                )
    assert len({row["customer_id"] for row in table}) == len(table)
    active = [row for row in table if row["tier"] in {t["tier"] for t in seg["tiers"]}]
    untiered = {row["tier"] for row in table if row not in active}
    assert untiered == {"未分级（期内无收入）"} and not any(
        row["revenue"] for row in table[len(active) :]
    )
    assert len(active) == sum(t["customers"] for t in seg["tiers"])
    assert sum(float(row["revenue"]) for row in active) == pytest.approx(seg["revenue"])
    keys = [row["customer_id"] for row in table if row["key_account"] == "★"]
    assert sorted(keys) == sorted(seg["key_accounts"])
    assert table[0]["customer_id"] == "C00115" and table[0]["pyramid_level"] in "1234"
    assert sorted(p.name for p in (demo / "tables").iterdir())[:2] == [
        "account_plans.targets.csv",
        "competitor_analysis.gaps.csv",
    ]


def test_formula_like_names_stay_text_in_the_workbook_and_the_csv(tmp_path):
    eng = tmp_path / "eng"
    eng.mkdir()
    (eng / "engagement.yaml").write_text(YAML, encoding="utf-8")
    names = ['=HYPERLINK("http://example.invalid","x")', "+1+2", "@SUM(A1)", "-3"]
    lines = ["行业,市场容量,竞争程度"] + [
        f'"{n.replace(chr(34), chr(34) * 2)}",{9 - i},-3' for i, n in enumerate(names)
    ]
    (eng / "industries.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (eng / "criteria.csv").write_text(BASE["criteria.csv"], encoding="utf-8")
    out = tmp_path / "out"
    assert main(["render", str(eng), "--out", str(out), "--format", "xlsx"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        ".kam-cache",
        ".kam-stamp",
        "report.xlsx",
        "results.json",
        "tables",
    ]  # no pages, no notebook run
    sheet = openpyxl.load_workbook(out / "report.xlsx")["行业排名"]
    cells = {sheet.cell(row, 2).value: sheet.cell(row, 2).data_type for row in range(2, 6)}
    assert cells == {name: "s" for name in names}
    with (out / "tables" / "industry_selection.ranking.csv").open(encoding="utf-8-sig") as f:
        shown = [row[1] for row in csv.reader(f)][1:]
    assert sorted(shown) == sorted("'" + n for n in names)


def test_formats_are_checked_before_any_work():
    assert parse_formats(None) == {"html", "xlsx", "pptx"}
    assert parse_formats("all") == {"html", "pdf", "xlsx", "pptx", "charts"}
    assert parse_formats("pdf") == {"html", "pdf"}
    assert parse_formats("xlsx", pdf=True) == {"html", "pdf", "xlsx"}
    with pytest.raises(KamError) as error:
        parse_formats("html,docx")
    assert str(error.value) == (
        "--format: expected a comma-separated list of html, pdf, xlsx, pptx, charts or all, "
        'found "html,docx"'
    )


def test_every_chart_is_written_as_png_and_svg(tmp_path):
    eng = load_engagement(DEMO)
    run = run_engagement(eng)
    written = figures.write_charts(run, tmp_path)
    stems = sorted({p.stem for p in written})
    assert stems == [
        "competitor_analysis.gaps",
        "competitor_analysis.positioning_map",
        "competitor_analysis.wallet",
        "customer_segmentation.composition",
        "customer_segmentation.migration",
        "customer_segmentation.pareto",
        "customer_segmentation.pyramid",
        "customer_segmentation.rfm",
        "customer_segmentation.tiers",
        "customer_segmentation.value_matrix",
        "industry_selection.contributions",
        "industry_selection.robustness",
        "industry_selection.score_heatmap",
    ]
    with Image.open(tmp_path / "customer_segmentation.pareto.png") as image:
        assert image.width > 1000  # twice the screen resolution
    svg = (tmp_path / "industry_selection.score_heatmap.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<dc:date>" not in svg
    again = figures.write_charts(run, tmp_path / "again")
    assert [p.read_bytes() for p in written] == [p.read_bytes() for p in again]


def test_a_long_table_lists_its_first_rows_in_the_workbook_and_all_in_its_csv(
    tmp_path, monkeypatch
):
    eng = load_engagement(DEMO)
    run = run_engagement(eng)
    items = export.exports(run)
    monkeypatch.setattr(export, "SHEET_ROWS", 50)
    export.write_workbook(eng, run, tmp_path / "report.xlsx", items)
    export.write_tables(items, tmp_path / "tables")
    sheet = openpyxl.load_workbook(tmp_path / "report.xlsx")["客户明细"]
    header, *body = rows(sheet)
    with (tmp_path / "tables" / "customers.csv").open(encoding="utf-8-sig") as handle:
        every = list(csv.reader(handle))[1:]
    assert len(every) == len(run.results["customer_segmentation"].indicators) > 50
    listed, totals, note = body[:50], body[50], body[-1]
    assert [row[0] for row in listed] == [row[0] for row in every[:50]]
    # the totals of every customer in tiers (more than the sheet lists): a value, no formula
    seg = run.results["customer_segmentation"]
    assert totals[0].startswith("合计：已分级的")
    assert totals[header.index("收入（元）")] == pytest.approx(seg.indicators["revenue"].sum())
    assert body[51] == (None,) * len(header)  # a blank row, then where the rest is
    assert note[0] == f"本表列出前 50 行（共 {len(every):,} 行）；全部行在 tables/customers.csv。"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}51"
    revenue = header.index("收入（元）")
    assert [row[revenue] for row in listed] == [float(row[2]) for row in every[:50]]


def test_render_knows_no_analysis_by_name():
    """The method paragraph, the deck's key table and its title, and a table's file name come
    from each analysis' registry fields; every message key they name is in the catalogue."""
    from dataclasses import replace
    from types import SimpleNamespace

    from kamlib.analyses.registry import REGISTRY
    from kamlib.core.i18n import Words
    from kamlib.render import deck

    for language in ("zh", "en"):
        w = Words(language, "CNY")
        for analysis in REGISTRY.values():
            assert analysis.method and w(analysis.method) != analysis.method, analysis.key
            assert analysis.key_table in dict(analysis.table_titles), analysis.key
            for name, key in analysis.table_titles:
                assert analysis.table_title(name, w) == w(key) != key, (analysis.key, name)
    assert export.METHOD_WORDS == {k: a.method for k, a in REGISTRY.items()}
    assert deck.KEY_TABLES == {k: a.key_table for k, a in REGISTRY.items()}
    seg = REGISTRY["customer_segmentation"]
    named = {name: SimpleNamespace(name=name) for name in ("customers", "tiers")}
    assert export.file_stem(seg, named["customers"]) == "customers"
    assert export.file_stem(seg, named["tiers"]) == "customer_segmentation.tiers"
    other = replace(seg, key="other", table_files=())
    assert export.file_stem(other, named["customers"]) == "other.customers"


def test_sheet_names_are_titles_excel_takes_unique_and_short():
    used = {"contents"}
    names = [
        export.sheet_name(title, used)
        for title in ["Targets", "targets", "a/b:c*d?[e]\\f", "'quoted'", "History", "x" * 40]
    ]
    assert names == ["Targets", "targets~2", "a_b_c_d__e__f", "quoted", "History~2", "x" * 31]
    assert export.sheet_name("Contents", used) == "Contents~2"


def test_the_english_workbook_names_its_sheets_in_english_with_totals(tmp_path):
    import dataclasses

    eng = dataclasses.replace(load_engagement(DEMO), language="en")
    run = run_engagement(eng)
    export.write_workbook(eng, run, tmp_path / "report.xlsx", export.exports(run))
    book = openpyxl.load_workbook(tmp_path / "report.xlsx")
    assert book.sheetnames[:3] == ["Contents", "Industry ranking", "Criteria and weights"]
    assert {"Customer tiers", "Customers", "Share of wallet"} <= set(book.sheetnames)
    assert not any("." in name or "_" in name for name in book.sheetnames)
    *_, totals = rows(book["Customers"])
    revenue = [c.value for c in book["Customers"][1]].index("Revenue (CNY)")
    assert totals[0] == "Total of the 2,159 customers in tiers (the report's revenue)"
    assert book["Customers"].cell(len(rows(book["Customers"])), revenue + 1).value == (
        "=SUBTOTAL(109,C2:C2160)"
    )
    values = openpyxl.load_workbook(tmp_path / "report.xlsx", data_only=True)["Customers"]
    seg = run.results["customer_segmentation"]
    stored = values.cell(values.max_row, revenue + 1).value
    assert stored == pytest.approx(
        float(seg.indicators.loc[seg.indicators["active"], "revenue"].sum())
    )
