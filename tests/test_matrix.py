"""The bad-input matrix: every data file and the yaml, each mistake ending either in one clear
line and exit code 1 (``kam validate``), or in a report whose appendix lists the problem; never a
traceback, never a partial report."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kamlib.analyses.segmentation.view import results
from kamlib.cli import main
from kamlib.core.config import load_engagement
from kamlib.core.io import DATE_FORMS, NUMBERS
from kamlib.run import result, words

YAML = """\
title: 矩阵测试
client: 客户
company: 测试公司
consultant: 顾问
date: 2026-11-20
language: zh
currency: CNY
"""

BASE = {
    "industries.csv": "行业,市场容量,竞争程度,总分\n政府,9,-3,6\n电信,9,-5,4\n",
    "criteria.csv": "指标,权重,方向\n市场容量,1,效益\n竞争程度,1,效益\n",
    "transactions.csv": (
        "客户编号,日期,金额,毛利,订单号\nC1,2026-01-05,1000,200,O1\nC1,2026-03-05,3000,500,O2\n"
        "C2,2026-02-01,500,100,O3\nC2,2025-02-01,400,90,O4\n"
    ),
    "customers.csv": "客户编号,客户名称,行业,理念契合度\nC1,甲公司,制造业,8\nC2,乙公司,政府,5\n",
    "competitors.csv": "竞争对手,质量,价格\n测试公司,8,6\n对手甲,7,8\n",
    "needs.csv": "指标,重要性\n质量,9\n价格,7\n",
    "wallet.csv": "客户编号,采购总额,对手甲\nC1,10000,2000\n",
    "contacts.csv": ("客户编号,姓名,角色,态度,影响力,最近接触\nC1,张伟,决策者,3,9,2026-10-01\n"),
    "opportunities.csv": "客户编号,机会,金额,是否机会,竞争,能否赢,值得赢\nC1,ERP,50000,4,3,4,4\n",
    "relationships.csv": (
        "客户编号,关系阶段,月拜访次数,月帮助次数,信息分享,开发负责人,维护负责人\n"
        "C1,中期,2,1,2,王,李\n"
    ),
}


def replace(name: str, text: str | bytes) -> dict:
    return {name: text}


def merged_header_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["行业", "评分", None])
    sheet.append([None, "市场容量", "竞争程度"])
    sheet.append(["政府", 9, -3])
    sheet.merge_cells("B1:C1")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def two_sheet_xlsx() -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame({"说明": ["填表说明"]}).to_excel(writer, sheet_name="说明", index=False)
        pd.DataFrame({"行业": ["政府"], "市场容量": [9]}).to_excel(
            writer, sheet_name="行业", index=False
        )
    return buffer.getvalue()


def struct_parquet(**columns) -> bytes:
    """A Parquet file whose 客户编号 is a struct ({'a': 'C1'}), with ``columns`` beside it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    table = pa.table({"客户编号": pa.array([{"a": "C1"}]), **columns})
    pq.write_table(table, buffer)
    return buffer.getvalue()


# (case id, files to replace or add (None removes), yaml to append, what the message says)
ERRORS = [
    (
        "industries-missing-column",
        replace("industries.csv", "名称,市场容量\n政府,9\n"),
        "",
        "industries.csv, row 1: expected a column industry",
    ),
    (
        "industries-misspelt-column",
        replace("industries.csv", "行叶,市场容量\n政府,9\n"),
        "",
        "industries.csv, row 1: expected a column industry",
    ),
    (
        "industries-text-in-score",
        replace("industries.csv", "行业,市场容量\n政府,高\n"),
        "",
        "industries.csv, row 2, column 市场容量: expected " + NUMBERS + ', found "高"',
    ),
    (
        "industries-empty-file",
        replace("industries.csv", ""),
        "",
        "industries.csv: expected a header row, found an empty file",
    ),
    (
        "industries-header-only",
        replace("industries.csv", "行业,市场容量\n"),
        "",
        "industries.csv: expected at least one data row, found only a header",
    ),
    (
        "industries-duplicate",
        replace("industries.csv", "行业,市场容量\n政府,9\n政府,8\n"),
        "",
        'industries.csv, column industry: expected each industry once, found "政府" in rows 2, 3',
    ),
    (
        "industries-binary",
        replace("industries.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00"),
        "",
        "industries.csv: expected a CSV text file, found binary content",
    ),
    (  # issue 28: UTF-16 ("Unicode Text", tab-separated) is read: its mistakes are named
        "industries-utf16",
        replace("industries.csv", "行业\t市场容量\n政府\t9\n电信\t九\n".encode("utf-16")),
        "",
        "industries.csv, row 3, column 市场容量: expected " + NUMBERS + ', found "九"',
    ),
    (
        "ledger-utf16",
        replace(
            "transactions.csv",
            BASE["transactions.csv"]
            .replace("C1,2026-03-05,3000", "C1,2026-03-05,三千")
            .encode("utf-16"),
        ),
        "",
        "transactions.csv, row 3, column 金额: expected " + NUMBERS + ', found "三千"',
    ),
    (  # issue 28: DuckDB's "Error when sniffing file" with the absolute path, before
        "ledger-unclosed-quote",
        replace(
            "transactions.csv",
            BASE["transactions.csv"].replace("C1,2026-03-05,3000", 'C1,"2026-03-05,3000'),
        ),
        "",
        'transactions.csv, row 3: expected every quoted cell closed (a cell that starts with " '
        'ends with "), found a quote that opens in this row and is never closed',
    ),
    (
        "industries-unclosed-quote",
        replace("industries.csv", '行业,市场容量\n政府,9\n"电信,9\n'),
        "",
        'industries.csv, row 3: expected every quoted cell closed (a cell that starts with " '
        'ends with "), found a quote that opens in this row and is never closed',
    ),
    (
        "industries-infinite",
        replace("industries.csv", "行业,市场容量\n政府,1e999\n"),
        "",
        'industries.csv, row 2, column 市场容量: expected a finite number, found "1e999"',
    ),
    (
        "industries-nan",
        replace("industries.csv", "行业,市场容量\n政府,nan\n"),
        "",
        "industries.csv, row 2, column 市场容量: expected " + NUMBERS + ', found "nan"',
    ),
    (
        "industries-merged-header",
        {"industries.csv": None, "industries.xlsx": merged_header_xlsx()},
        "",
        "industries.xlsx, row 1, column 3: expected a header in every column",
    ),
    (
        "industries-mixed-encoding",
        replace("industries.csv", "行业,市场容量\n".encode() + "政府,9\n".encode("gbk")),
        "",
        "industries.csv, row 2: expected text in one encoding (UTF-8 or GB18030), found "
        '"政府,9" in GB18030, in a file read as UTF-8',
    ),
    (
        "transactions-mixed-encoding",
        replace(
            "transactions.csv",
            "客户编号,日期,金额\n客户一,2026-01-05,10\n".encode()
            + "客户二,2026-01-06,5\n".encode("gbk")
            + "客户三,2026-01-07,7\n".encode(),
        ),
        "",
        "transactions.csv, row 3: expected text in one encoding (UTF-8 or GB18030), found "
        '"客户二,2026-01-06,5" in GB18030, in a file read as UTF-8',
    ),
    (  # issue 29: the extra field went into a column of DuckDB's own, read by nothing
        "transactions-extra-field",
        replace(
            "transactions.csv", "客户编号,日期,金额\nC1,2026-01-05,10,,\n\nC2,2026-01-06,5,,7\n"
        ),
        "",
        "transactions.csv, row 4: expected 3 fields as in the header, found 5 fields\n",
    ),
    (  # issue 29: printed as {'a': C1}
        "customers-parquet-struct",
        {"customers.csv": None, "customers.parquet": struct_parquet(客户名称=["甲"])},
        "",
        "customers.parquet, column 客户编号: expected a column of single values (text, a number "
        'or a date), found a column of type "struct<a: string>"\n',
    ),
    (
        "transactions-parquet-struct",
        {
            "transactions.csv": None,
            "transactions.parquet": struct_parquet(日期=["2026-01-05"], 金额=[10]),
        },
        "",
        "transactions.parquet, column 客户编号: expected a column of single values (text, a "
        'number or a date), found a column of type "STRUCT(a VARCHAR)"\n',
    ),
    (  # issue 29: dropped silently
        "commentary-unknown-account",
        {"commentary.md": "## summary\n好。\n\n## account C1\n稳。\n\n## account NOPE\n看好。\n"},
        "",
        'commentary.md, line 7: expected "## account <customer ID>" with an account of the ledger '
        'or the customer master (transactions, customers), found "## account NOPE"\n',
    ),
    (
        "criteria-direction",
        replace("criteria.csv", "指标,方向\n市场容量,随便\n竞争程度,成本\n"),
        "",
        'criteria.csv, row 2, column direction: expected one of benefit, cost, found "随便"',
    ),
    (
        "criteria-negative-weight",
        replace("criteria.csv", "指标,权重\n市场容量,-1\n竞争程度,1\n"),
        "",
        'criteria.csv, row 2, column weight: expected a number ≥ 0, found "-1"',
    ),
    ("yaml-unknown-key", {}, "titel: x\n", "engagement.yaml, line 8, key titel: expected one of"),
    (  # issue 29: not "found found unexpected end of stream"
        "yaml-open-quote",
        {},
        "segmentation:\n  period: {start: '2026-01-01}\n",
        "engagement.yaml, line 9: expected valid YAML, found a quote without its closing one\n",
    ),
    (
        "yaml-open-bracket",
        {},
        "segmentation: [\n",
        "engagement.yaml, line 9: expected valid YAML, found the end of the file where a value was "
        "expected\n",
    ),
    (
        "yaml-python-tag",
        {},
        "extra: !!python/object/apply:os.system [echo hacked]\n",
        "engagement.yaml, line 8: expected valid YAML, found could not determine a constructor",
    ),
    (
        "yaml-impossible-date",
        {},
        "segmentation:\n  period: {start: 2026-02-30}\n",
        'engagement.yaml, line 9: expected a real calendar date, found "2026-02-30"',
    ),
    (
        "yaml-referenced-file",
        {},
        "files:\n  industries: 没有.xlsx\n",
        "engagement.yaml, line 9, key files.industries: expected an existing file",
    ),
    (
        "transactions-missing-amount",
        replace("transactions.csv", "客户编号,日期\nC1,2026-01-05\n"),
        "",
        "transactions.csv, row 1: expected a column amount",
    ),
    (
        "transactions-bad-date",
        replace("transactions.csv", "客户编号,日期,金额\nC1,2026-01-05,10\n\nC2,2026-13-45,5\n"),
        "",
        "transactions.csv, row 4, column 日期: expected " + DATE_FORMS + ', found "2026-13-45"',
    ),
    (
        "transactions-text-amount",
        replace("transactions.csv", "客户编号,日期,金额\nC1,2026-01-05,十元\n"),
        "",
        "transactions.csv, row 2, column 金额: expected " + NUMBERS + ', found "十元"',
    ),
    (
        "transactions-empty-file",
        replace("transactions.csv", ""),
        "",
        "transactions.csv: expected a header row, found an empty file",
    ),
    (
        "transactions-empty-period",
        {},
        "segmentation:\n  period: {start: 2020-01-01, end: 2020-12-31}\n",
        "transactions.csv: expected transactions between 2020-01-01 and 2020-12-31",
    ),
    (
        "segmentation-tiers-order",
        {},
        "segmentation:\n  tiers: {A: 100, B: 500}\n",
        "key segmentation.tiers.B: expected tiers in descending order",
    ),
    (
        "segmentation-last-tier",
        {},
        "segmentation:\n  tiers: {A: 100, B: 50}\n  last_tier: A\n",
        'key segmentation.last_tier: expected a tier name other than A, B, found "A"',
    ),
    (
        "transactions-nan-amount",
        replace("transactions.csv", "客户编号,日期,金额\nC1,2026-01-05,10\nC2,2026-01-06,nan\n"),
        "",
        "transactions.csv, row 3, column 金额: expected a finite number between "
        '−1,000,000,000,000,000 and 1,000,000,000,000,000, found "nan"',
    ),
    (
        "customers-duplicate",
        replace("customers.csv", "客户编号,客户名称\nC1,甲\nC1,乙\n"),
        "",
        "customers.csv, column customer_id: expected each customer_id once, "
        'found "C1" in rows 2, 3',
    ),
    (
        "customers-alignment",
        replace("customers.csv", "客户编号,理念契合度\nC1,11\n"),
        "",
        'customers.csv, row 2, column alignment: expected a number ≤ 10, found "11"',
    ),
    (
        "competitors-no-company",
        replace("competitors.csv", "竞争对手,质量\n对手甲,7\n"),
        "",
        "competitors.csv, column competitor: expected a row for 测试公司",
    ),
    (
        "competitors-only-us",
        replace("competitors.csv", "竞争对手,质量,价格\n测试公司,8,6\n"),
        "",
        "competitors.csv, column competitor: expected at least one competitor besides 测试公司",
    ),
    (
        "needs-no-importance",
        replace("needs.csv", "指标,重要性\n质量,0\n价格,0\n"),
        "",
        "needs.csv, column importance: expected an importance above 0 for at least one",
    ),
    (
        "competitors-out-of-scale",
        replace("competitors.csv", "竞争对手,质量,价格\n测试公司,11,6\n"),
        "",
        'competitors.csv, row 2, column 质量: expected a score from 1 to 10, found "11"',
    ),
    (
        "needs-unknown-criterion",
        replace("needs.csv", "指标,重要性\n服务,9\n"),
        "",
        "needs.csv, row 2, column criterion: expected a score column of competitors.csv, "
        'found "服务"',
    ),
    (
        "wallet-unknown-competitor",
        replace("wallet.csv", "客户编号,采购总额,对手乙\nC1,10,1\n"),
        "",
        "wallet.csv, row 1, column 对手乙: expected a competitor of competitors.csv",
    ),
    (
        "contacts-unknown-role",
        replace(
            "contacts.csv", "客户编号,姓名,角色,态度,影响力,最近接触\nC1,张,老板,3,9,2026-10-01\n"
        ),
        "",
        "contacts.csv, row 2, column role: expected one of coach, decision_maker, technical, user",
    ),
    (
        "contacts-attitude",
        replace(
            "contacts.csv", "客户编号,姓名,角色,态度,影响力,最近接触\nC1,张,决策者,9,9,2026-10-01\n"
        ),
        "",
        'contacts.csv, row 2, column attitude: expected a number ≤ 5, found "9"',
    ),
    (
        "contacts-future-date",
        replace(
            "contacts.csv", "客户编号,姓名,角色,态度,影响力,最近接触\nC1,张,决策者,3,9,2027-01-01\n"
        ),
        "",
        "contacts.csv, row 2, column last_contact: expected a date on or before the report date",
    ),
    (
        "contacts-unknown-account",
        replace(
            "contacts.csv", "客户编号,姓名,角色,态度,影响力,最近接触\nC9,张,决策者,3,9,2026-10-01\n"
        ),
        "",
        "contacts.csv, row 2, column customer_id: expected an account of the engagement",
    ),
    (
        "opportunities-screen",
        replace(
            "opportunities.csv",
            "客户编号,机会,金额,是否机会,竞争,能否赢,值得赢\nC1,ERP,1,6,3,4,4\n",
        ),
        "",
        'opportunities.csv, row 2, column is_opportunity: expected a number ≤ 5, found "6"',
    ),
    (
        "relationships-duplicate",
        replace(
            "relationships.csv",
            "客户编号,关系阶段,月拜访次数,月帮助次数,信息分享,开发负责人,维护负责人\n"
            "C1,中期,2,1,2,王,李\nC1,初期,1,0,1,王,李\n",
        ),
        "",
        'relationships.csv, column customer_id: expected each customer_id once, found "C1"',
    ),
]


AMOUNT = "1,000,000,000,000,000"
NUMBER_ERRORS = [  # issue 13, item 10: finite, plausible numbers and dates
    (
        "industries-score-1e308",  # LinAlgError in the render
        replace("industries.csv", "行业,市场容量,竞争程度\n政府,1e308,-3\n电信,9,-5\n"),
        "",
        "industries.csv, row 2, column 市场容量: expected a score from -1,000,000 to 1,000,000, "
        'found "1e+308"',
    ),
    (
        "criteria-weight-1e308",
        replace("criteria.csv", "指标,权重\n市场容量,1e308\n竞争程度,1\n"),
        "",
        'criteria.csv, row 2, column weight: expected a number ≤ 1,000,000, found "1e308"',
    ),
    (
        "needs-importance-1e308",  # "Axis limits cannot be NaN or Inf" in the render
        replace("needs.csv", "指标,重要性\n质量,1e308\n价格,7\n"),
        "",
        'needs.csv, row 2, column importance: expected a number ≤ 1,000,000, found "1e308"',
    ),
    (
        "opportunities-value-1e308",  # printed with 400 digits
        replace(
            "opportunities.csv",
            "客户编号,机会,金额,是否机会,竞争,能否赢,值得赢\nC1,ERP,1e308,4,3,4,4\n",
        ),
        "",
        f'opportunities.csv, row 2, column value: expected a number ≤ {AMOUNT}, found "1e308"',
    ),
    (
        "wallet-competitor-1e308",
        replace("wallet.csv", "客户编号,采购总额,对手甲\nC1,10000,1e308\n"),
        "",
        f"wallet.csv, row 2, column 对手甲: expected a number from -{AMOUNT} to {AMOUNT}, "
        'found "1e308"',
    ),
    (
        "customers-since-99999",
        replace("customers.csv", "客户编号,合作起始年\nC1,99999\n"),
        "",
        'customers.csv, row 2, column since: expected a number ≤ 2100, found "99999"',
    ),
    (
        "contacts-year-1",
        replace(
            "contacts.csv", "客户编号,姓名,角色,态度,影响力,最近接触\nC1,张,决策者,3,9,0001-10-01\n"
        ),
        "",
        "contacts.csv, row 2, column last_contact: expected a date from 1900-01-01 to "
        '2100-12-31, found "0001-10-01"',
    ),
    (
        "transactions-year-1",
        replace("transactions.csv", "客户编号,日期,金额\nC1,2026-01-05,10\nC2,0001-01-05,5\n"),
        "",
        "transactions.csv, row 3, column 日期: expected a date from 1900-01-01 to 2100-12-31, "
        'found "0001-01-05"',
    ),
    (
        "transactions-paid-in-2999",
        replace("transactions.csv", "客户编号,日期,金额,回款日期\nC1,2026-01-05,10,2999-01-05\n"),
        "",
        "transactions.csv, row 2, column 回款日期: expected a date from 1900-01-01 to "
        '2100-12-31, found "2999-01-05"',
    ),
    (
        "yaml-period-year-1",  # OverflowError
        {},
        "segmentation:\n  period: {start: 0001-01-01}\n",
        "engagement.yaml, line 9, key segmentation.period.start: expected a date from "
        '1900-01-01 to 2100-12-31, found "0001-01-01"',
    ),
    (
        "yaml-quoted-period-year-1",
        {},
        'segmentation:\n  period: {start: "0001-01-01"}\n',
        "engagement.yaml, line 9, key segmentation.period.start: expected a date from "
        '1900-01-01 to 2100-12-31, found "0001-01-01"',
    ),
    (
        "yaml-infinite-tier",
        {},
        "segmentation:\n  tiers: {A: .inf, B: 500}\n",
        "engagement.yaml, line 9, key segmentation.tiers.A: expected a finite number from "
        f'-{AMOUNT} to {AMOUNT}, found "inf"',
    ),
    (
        "yaml-threshold-1e308",  # a string to YAML, a number to the threshold
        {},
        "industry_selection:\n  threshold: 1e308\n",
        "engagement.yaml, line 9, key industry_selection.threshold: expected a finite number "
        f'from -{AMOUNT} to {AMOUNT}, found "1e308"',
    ),
    (
        "yaml-400-digit-samples",
        {},
        "industry_selection:\n  robustness: {samples: " + "9" * 400 + "}\n",
        "engagement.yaml, line 9, key industry_selection.robustness.samples: expected a finite "
        f'number from -{AMOUNT} to {AMOUNT}, found "{"9" * 59}…"',
    ),
    (
        "yaml-5000-digit-samples",
        {},
        "industry_selection:\n  robustness: {samples: " + "9" * 5000 + "}\n",
        'engagement.yaml: expected valid YAML, found "Exceeds the limit (4300 digits) for integer '
        'string conversi…"',
    ),
]
ERRORS += NUMBER_ERRORS


def write(folder, files: dict, yaml: str) -> None:
    folder.mkdir()
    (folder / "engagement.yaml").write_text(YAML + yaml, encoding="utf-8")
    merged = {**BASE, **files}
    for name, content in merged.items():
        if content is None:
            continue
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)


@pytest.mark.parametrize(("case", "files", "yaml", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_mistake_ends_in_one_line_and_exit_1(
    tmp_path, monkeypatch, capsys, case, files, yaml, message
):
    write(tmp_path / "eng", files, yaml)
    monkeypatch.chdir(tmp_path)
    for command in ("validate", "render"):  # render reads everything before any notebook
        code = main([command, "eng"])
        out, err = capsys.readouterr()
        assert code == 1, (case, command, out, err)
        assert err.startswith("kam: error: eng/") and err.count("\n") == 1, err
        assert message in err, err
        assert "Traceback" not in err and out == ""
    assert not (tmp_path / "hacked").exists() and not (tmp_path / "reports").exists()


def test_the_base_engagement_is_valid(tmp_path, monkeypatch, capsys):
    write(tmp_path / "eng", {}, "")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "eng"]) == 0
    assert "analyses: industry_selection, customer_segmentation, competitor_analysis, acc" in (
        capsys.readouterr().out
    )


def test_two_sheets_validate_names_the_one_read(tmp_path, monkeypatch, capsys):
    write(
        tmp_path / "eng",
        {"industries.csv": None, "industries.xlsx": two_sheet_xlsx(), "criteria.csv": None},
        "",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "eng"]) == 0
    out = capsys.readouterr().out
    assert "  读取 industries.xlsx 的工作表“行业”：表头在第 1 行；表头与模板一致\n" in out
    assert "    其余工作表未读取：说明\n" in out


WARNED = [
    (
        "rows-without-customer",
        "客户编号,日期,金额\nC1,2026-01-05,10\n,2026-01-06,5\n",
        "transactions.csv：1 行没有客户编号（金额合计 5 元），未计入分析。",
    ),
    (
        "duplicate-rows",
        "客户编号,日期,金额\nC1,2026-01-05,10\nC1,2026-01-05,10\n",
        "transactions.csv：1 行与其他行完全相同，可能重复录入（已计入）。",
    ),
    (
        "unknown-customer",
        "客户编号,日期,金额\nC1,2026-01-05,10\nC7,2026-01-06,5\n",
        "台账中有 1 个客户不在客户主数据中（如 C7），其名称、行业等为空。",
    ),
    (
        "zero-amount",
        "客户编号,日期,金额\nC1,2026-01-05,10\nC2,2026-01-06,0\n",
        "transactions.csv：1 行金额为 0。",
    ),
    (
        "future-date",
        "客户编号,日期,金额\nC1,2026-01-05,10\nC2,2026-12-24,3\n",
        "transactions.csv：1 行的日期晚于报告日期（金额合计 3 元）。",
    ),
    (
        "id-forms",  # full width and a BOM inside: the customers C1 and C2 of the master
        "客户编号,日期,金额\nＣ１,2026-01-05,10\n\ufeffC2,2026-01-06,5\n",
        "transactions.csv：2 种客户编号写法按统一规则（全角转半角、组合字符合并、去除不可见字符与"
        '首尾空格）读作 2 个客户编号，相同编号视为同一客户："\\ufeffC2" → C2和"Ｃ１" → C1。',
    ),
]


@pytest.mark.parametrize(("case", "ledger", "warning"), WARNED, ids=[w[0] for w in WARNED])
def test_usable_data_reports_the_problem_in_the_appendix(tmp_path, case, ledger, warning):
    write(tmp_path / "eng", {"transactions.csv": ledger}, "")
    eng = load_engagement(tmp_path / "eng")
    seg = result(eng, "customer_segmentation")
    assert warning in [note.text(words(eng)) for note in seg.warnings]
    assert warning in [note["text"] for note in results(seg, words(eng))["warnings"]]
    if case == "id-forms":  # one customer each, both known to the master
        assert sorted(seg.indicators.index) == ["C1", "C2"]
        assert not any(n.code == "customers_not_in_master" for n in seg.warnings)


# ---------------------------------------------------------------- inputs stay inside (issue 13)

INSIDE = "expected a file inside the engagement folder (no absolute path, no .., no link leading "


def _outside_links(tmp_path, case: str) -> tuple[str, str]:
    """Set up one way of reading from outside the engagement; returns the yaml to append and
    the start of the expected message (after ``kam: error: ``)."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "x.csv").write_text("行业,市场容量\n机密,9\n", encoding="utf-8")
    eng = tmp_path / "eng"
    if case == "files-dotdot":
        return "files:\n  industries: ../secret/x.csv\n", "eng/engagement.yaml, line 9, key files"
    if case == "files-absolute":
        return (
            f"files:\n  industries: {secret / 'x.csv'}\n",
            "eng/engagement.yaml, line 9, key files.industries",
        )
    if case == "symlinked-file":
        (eng / "industries.csv").unlink()
        (eng / "industries.csv").symlink_to(secret / "x.csv")
        return "", "eng/industries.csv"
    if case == "symlinked-folder":
        (eng / "sub").symlink_to(secret, target_is_directory=True)
        return "files:\n  industries: sub/x.csv\n", "eng/engagement.yaml, line 9, key files"
    if case == "symlinked-ledger":
        (secret / "t.csv").write_bytes(BASE["transactions.csv"].encode())
        (eng / "transactions.csv").unlink()
        (eng / "transactions.csv").symlink_to(secret / "t.csv")
        return "", "eng/transactions.csv"
    assert case == "symlinked-yaml"
    (secret / "engagement.yaml").write_text(YAML, encoding="utf-8")
    (eng / "engagement.yaml").unlink()
    (eng / "engagement.yaml").symlink_to(secret / "engagement.yaml")
    return "", "eng/engagement.yaml"


OUTSIDE = [
    "files-dotdot",
    "files-absolute",
    "symlinked-file",
    "symlinked-folder",
    "symlinked-ledger",
    "symlinked-yaml",
]


@pytest.mark.parametrize("case", OUTSIDE)
def test_inputs_outside_the_engagement_are_refused(tmp_path, monkeypatch, capsys, case):
    write(tmp_path / "eng", {}, "")
    yaml, where = _outside_links(tmp_path, case)
    with open(tmp_path / "eng" / "engagement.yaml", "a", encoding="utf-8") as handle:
        handle.write(yaml)
    monkeypatch.chdir(tmp_path)
    for command in ("validate", "render"):
        code = main([command, "eng"])
        out, err = capsys.readouterr()
        assert code == 1, (case, out, err)
        assert err.startswith(f"kam: error: {where}") and INSIDE in err, err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert "机密" not in out + err
    assert not (tmp_path / "reports").exists()


def test_a_link_within_the_engagement_is_read(tmp_path, monkeypatch, capsys):
    write(tmp_path / "eng", {"industries.csv": None}, "files:\n  industries: data/行业.csv\n")
    (tmp_path / "eng" / "data").mkdir()
    (tmp_path / "eng" / "data" / "行业.csv").write_text(BASE["industries.csv"], encoding="utf-8")
    (tmp_path / "eng" / "industries.csv").symlink_to(tmp_path / "eng" / "data" / "行业.csv")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "eng"]) == 0, capsys.readouterr().err


# ---------------------------------------------------------------- engagement.yaml (issue 13)


def billion_laughs(levels: int) -> str:
    """Nested mapping aliases: ``levels`` levels of nine references each (740 bytes at 7
    levels, 1.1 GB once walked)."""
    keys = ", ".join(f"k{i}: lol" for i in range(9))
    lines = [f"lol0: &a0 {{{keys}}}"]
    for level in range(1, levels + 1):
        refs = ", ".join(f"k{i}: *a{level - 1}" for i in range(9))
        lines.append(f"lol{level}: &a{level} {{{refs}}}")
    return "\n".join(lines) + "\n"


YAML_ERRORS = [
    (
        "billion-laughs",
        billion_laughs(9),  # 9^10 strings once walked: it would never finish
        "eng/engagement.yaml, line 8: expected YAML without anchors and aliases (& and *), "
        'found an anchor "&a0"',
    ),
    (
        "alias",
        "industry_selection: *x\n",
        "eng/engagement.yaml, line 8: expected YAML without anchors and aliases (& and *), "
        'found an alias "*x"',
    ),
    (
        "merge-key",
        "segmentation: &s {last_tier: D}\ncompetitors:\n  <<: *s\n",
        "eng/engagement.yaml, line 8: expected YAML without anchors and aliases (& and *), "
        'found an anchor "&s"',
    ),
    (
        "deep-nesting",
        "segmentation: " + "[" * 5000 + "]" * 5000 + "\n",
        "eng/engagement.yaml, line 8: expected settings nested at most 20 levels deep, "
        "found deeper",
    ),
]


@pytest.mark.parametrize(("case", "yaml", "message"), YAML_ERRORS, ids=[e[0] for e in YAML_ERRORS])
def test_yaml_bombs_end_in_one_line(tmp_path, monkeypatch, capsys, case, yaml, message):
    write(tmp_path / "eng", {}, yaml)
    monkeypatch.chdir(tmp_path)
    for command in ("validate", "render"):
        assert main([command, "eng"]) == 1
        out, err = capsys.readouterr()
        assert err == f"kam: error: {message}\n" and out == ""


def test_a_huge_engagement_yaml_is_refused_by_its_limit(tmp_path, monkeypatch, capsys):
    write(tmp_path / "eng", {}, "# " + "x" * 2_000 + "\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KAM_MAX_YAML_MB", "0.001")
    assert main(["validate", "eng"]) == 1
    size = (tmp_path / "eng" / "engagement.yaml").stat().st_size / 1e6
    assert capsys.readouterr().err == (
        "kam: error: eng/engagement.yaml: expected a file of at most 0.001 MB (the limit "
        f"KAM_MAX_YAML_MB: set it higher to allow more), found {size:.3g} MB\n"
    )
    monkeypatch.setenv("KAM_MAX_YAML_MB", "lots")
    assert main(["validate", "eng"]) == 1
    assert capsys.readouterr().err == (
        'kam: error: KAM_MAX_YAML_MB: expected a positive number of MB, found "lots"\n'
    )
    monkeypatch.setenv("KAM_MAX_YAML_MB", "1")
    assert main(["validate", "eng"]) == 0


# ---------------------------------------------------------------- limits (issue 13)


def lying_xlsx(declared: int) -> bytes:
    """A real workbook whose zip directory says one member unzips to ``declared`` bytes: the
    size is checked from the directory, so nothing needs to be that large."""
    buffer = io.BytesIO()
    pd.DataFrame({"行业": ["政府"], "市场容量": [9]}).to_excel(buffer, index=False)
    data = bytearray(buffer.getvalue())
    entry = data.index(b"PK\x01\x02")  # the first central-directory entry
    data[entry + 24 : entry + 28] = declared.to_bytes(4, "little")
    return bytes(data)


def padded_xlsx(cells: int, chars: int) -> bytes:
    """A workbook of ``cells`` notes of ``chars`` characters each: it unzips to far more than
    its size on disk (the shape of a zip bomb, small)."""
    buffer = io.BytesIO()
    notes = [f"{i:<{chars}}" for i in range(cells)]  # each its own: Excel keeps a string once
    pd.DataFrame(
        {"行业": [f"行业{i}" for i in range(cells)], "市场容量": 9, "备注": notes}
    ).to_excel(buffer, index=False)
    return buffer.getvalue()


def parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


HINT = ": set it higher to allow more)"
R10K = "R" * 10_000
# (case id, files, environment, the message after "kam: error: eng/")
LIMIT_ERRORS = [
    (
        "xlsx-bomb-from-zip-directory",
        {"industries.csv": None, "industries.xlsx": lying_xlsx(1 << 30)},
        {},
        "industries.xlsx: expected an Excel .xlsx workbook of at most 100 MB (the limit "
        f"KAM_MAX_FILE_MB{HINT}, found 1,074 MB once unzipped",
    ),
    (
        "xlsx-ledger-bomb",
        {"transactions.csv": None, "transactions.xlsx": lying_xlsx(1 << 30)},
        {},
        "transactions.xlsx: expected an Excel .xlsx workbook of at most 500 MB (the limit "
        f"KAM_MAX_XLSX_MB{HINT}, found 1,074 MB once unzipped",
    ),
    (
        "xlsx-unzipped-over-lowered-limit",
        {"industries.csv": None, "criteria.csv": None, "industries.xlsx": padded_xlsx(200, 10_000)},
        {"KAM_MAX_XLSX_MB": "1"},
        "industries.xlsx: expected an Excel .xlsx workbook of at most 1 MB (the limit "
        f"KAM_MAX_XLSX_MB{HINT}, found 2.05 MB once unzipped",
    ),
    (
        "file-size",
        {"customers.csv": "客户编号,客户名称\n" + "".join(f"C{i},甲{i}\n" for i in range(200))},
        {"KAM_MAX_FILE_MB": "0.001"},
        f"customers.csv: expected a file of at most 0.001 MB (the limit KAM_MAX_FILE_MB{HINT}, "
        "found 0.00221 MB",
    ),
    (
        "ledger-size",
        {},
        {"KAM_MAX_LEDGER_MB": "0.0001"},
        "transactions.csv: expected a file of at most 0.0001 MB (the limit KAM_MAX_LEDGER_MB"
        f"{HINT}, found 0.000145 MB",
    ),
    (
        "parquet-unpacked-size",
        {
            "customers.csv": None,
            "customers.parquet": parquet(
                pd.DataFrame({"客户编号": ["C1", "C2"], "客户名称": ["甲" * 5000, "乙" * 5000]})
            ),
        },
        {"KAM_MAX_FILE_MB": "0.01"},
        f"customers.parquet: expected a file of at most 0.01 MB (the limit KAM_MAX_FILE_MB{HINT}, "
        "found 0.0301 MB unpacked",
    ),
    (
        "parquet-of-one-repeated-value",  # 1,000,000 cells in a few kB
        {
            "customers.csv": None,
            "customers.parquet": parquet(pd.DataFrame({"客户编号": ["C1"] * 500_000, "潜力": 1})),
        },
        {"KAM_MAX_FILE_MB": "1"},
        f"customers.parquet: expected a file of at most 1 MB (the limit KAM_MAX_FILE_MB{HINT}, "
        "found 8 MB unpacked",
    ),
    (
        "million-column-header",  # 6.9 MB on disk; only its first 807 kB are read
        {"industries.csv": "行业," + ",".join(f"c{i}" for i in range(1_000_000)) + "\n政府\n"},
        {},
        "industries.csv, row 1: expected a header of at most 1,000 columns (the limit "
        f"KAM_MAX_COLUMNS{HINT}, found more than 120,385 columns",
    ),
    (
        "columns-lowered",
        {"industries.csv": "行业," + ",".join(f"c{i}" for i in range(30)) + "\n政府\n"},
        {"KAM_MAX_COLUMNS": "20"},
        f"industries.csv, row 1: expected a header of at most 20 columns (the limit "
        f"KAM_MAX_COLUMNS{HINT}, found 31 columns",
    ),
    (
        "ledger-columns",
        {"transactions.csv": ",".join(f"c{i}" for i in range(30)) + "\n"},
        {"KAM_MAX_COLUMNS": "20"},
        f"transactions.csv, row 1: expected a header of at most 20 columns (the limit "
        f"KAM_MAX_COLUMNS{HINT}, found 30 columns",
    ),
    (
        "parquet-columns",
        {
            "transactions.csv": None,
            "transactions.parquet": parquet(pd.DataFrame({f"c{i}": [1] for i in range(30)})),
        },
        {"KAM_MAX_COLUMNS": "20"},
        f"transactions.parquet, row 1: expected a header of at most 20 columns (the limit "
        f"KAM_MAX_COLUMNS{HINT}, found 30 columns",
    ),
    (
        "one-line-csv",  # 3 MB without a line break (300 MB in the issue)
        {"transactions.csv": "客户编号" * 1_000_000},
        {},
        "transactions.csv, row 1: expected a header row of at most 807,096 bytes "
        "(KAM_MAX_COLUMNS columns of KAM_MAX_NAME_CHARS characters), found a longer first line",
    ),
    (
        "note-over-131072-characters",
        {"industries.csv": "行业,市场容量,备注\n政府,9,短\n电信,9," + "长" * 140_000 + "\n"},
        {},
        "industries.csv, row 3: expected cells of at most 32,767 characters (the limit "
        f"KAM_MAX_CELL_CHARS{HINT}, found a longer one",
    ),
    (
        "xlsx-long-cell",
        {"industries.csv": None, "criteria.csv": None, "industries.xlsx": padded_xlsx(2, 150)},
        {"KAM_MAX_CELL_CHARS": "100"},
        "industries.xlsx, row 2, column 备注: expected cells of at most 100 characters (the limit "
        f'KAM_MAX_CELL_CHARS{HINT}, found "0{" " * 58}…" (150 characters)',
    ),
    (
        "name-of-10000-characters",  # charts 300,000 px wide, 145 s and 5 GB
        {"competitors.csv": f"竞争对手,质量,价格\n测试公司,8,6\n{R10K},7,8\n"},
        {},
        "competitors.csv, row 3, column competitor: expected a name of at most 200 characters "
        f'(the limit KAM_MAX_NAME_CHARS{HINT}, found "{"R" * 59}…" (10,000 characters)',
    ),
    (
        "criterion-header-of-10000-characters",
        {"industries.csv": f"行业,{R10K}\n政府,9\n", "criteria.csv": None},
        {},
        "industries.csv, row 1, column 2: expected a header of at most 200 characters (the "
        f'limit KAM_MAX_NAME_CHARS{HINT}, found "{"R" * 59}…" (10,000 characters)',
    ),
    (
        "ledger-customer-id-over-lowered-limit",
        {"transactions.csv": BASE["transactions.csv"] + "\n" + "C" * 30 + ",2026-01-05,10\n"},
        {"KAM_MAX_NAME_CHARS": "20"},
        "transactions.csv, row 7, column 客户编号: expected a customer ID of at most 20 "
        f'characters (the limit KAM_MAX_NAME_CHARS{HINT}, found "{"C" * 30}" (30 characters)',
    ),
    (
        "unreadable-limit",
        {},
        {"KAM_MAX_COLUMNS": "-3"},
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "files", "env", "message"), LIMIT_ERRORS, ids=[e[0] for e in LIMIT_ERRORS]
)
def test_limits_end_in_one_line_naming_the_limit(
    tmp_path, monkeypatch, capsys, case, files, env, message
):
    write(tmp_path / "eng", files, "")
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for command in ("validate", "render"):
        assert main([command, "eng"]) == 1, case
        out, err = capsys.readouterr()
        if message is None:
            assert err == (
                'kam: error: KAM_MAX_COLUMNS: expected a positive number of columns, found "-3"\n'
            )
        else:
            assert err == f"kam: error: eng/{message}\n" and out == ""


def test_a_long_title_in_the_yaml_is_refused(tmp_path, monkeypatch, capsys):
    write(tmp_path / "eng", {}, "")
    text = (tmp_path / "eng" / "engagement.yaml").read_text(encoding="utf-8")
    (tmp_path / "eng" / "engagement.yaml").write_text(
        text.replace("title: 矩阵测试", f"title: {R10K}"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "eng"]) == 1
    assert capsys.readouterr().err == (
        "kam: error: eng/engagement.yaml, line 1, key title: expected a text of at most 200 "
        f'characters (the limit KAM_MAX_NAME_CHARS{HINT}, found "{"R" * 59}…" (10,000 '
        "characters)\n"
    )


def test_raising_a_limit_reads_the_file(tmp_path, monkeypatch, capsys):
    files = {"industries.csv": None, "criteria.csv": None, "industries.xlsx": padded_xlsx(2, 150)}
    write(tmp_path / "eng", files, "")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KAM_MAX_CELL_CHARS", "100")
    assert main(["validate", "eng"]) == 1
    monkeypatch.setenv("KAM_MAX_CELL_CHARS", "150")
    assert main(["validate", "eng"]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("late", [False, True], ids=["early", "late"])
def test_a_ledger_line_over_duckdbs_limit_is_an_input_error(tmp_path, monkeypatch, capsys, late):
    rows = "".join(f"C1,2026-01-{1 + i % 28:02d},{i},,O{i}\n" for i in range(30_000 if late else 1))
    ledger = BASE["transactions.csv"] + rows + "C2,2026-02-01," + "9" * 2_100_000 + ",1,O9\n"
    write(tmp_path / "eng", {"transactions.csv": ledger}, "")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "eng"]) == 1
    # DuckDB names no line while it sniffs the first ones (and counts the line break then)
    where, size = (", row 30006", "2,100,019") if late else ("", "2,100,020")
    assert capsys.readouterr().err == (
        f"kam: error: eng/transactions.csv{where}: expected lines of at most 2,000,000 bytes "
        f"(DuckDB's limit), found a line of {size} bytes\n"
    )


# ---------------------------------------------------------------- batch and Chromium (issue 29)


def test_batch_of_dot_names_the_folder_and_its_report(tmp_path, monkeypatch, capsys):
    """``kam batch .`` in an engagement folder: a job named after the folder, not an empty name
    aimed at the ``--out`` root."""
    from kamlib.render.batch import make_jobs

    write(tmp_path / "acme", {}, "")
    monkeypatch.chdir(tmp_path / "acme")
    (job,) = make_jobs(["."], "../reports")
    assert (job.name, job.folder, job.out) == (
        "acme",
        str(tmp_path / "acme"),
        str(tmp_path / "reports" / "acme"),
    )


def test_batch_refuses_a_report_folder_inside_an_engagement(tmp_path, monkeypatch, capsys):
    """Its reports would be hashed with the engagement, which would then never be current."""
    write(tmp_path / "acme", {}, "")
    monkeypatch.chdir(tmp_path / "acme")
    assert main(["batch", ".", "--out", "reports"]) == 1
    out, err = capsys.readouterr()
    assert err == (
        "kam: error: --out: expected a folder outside every engagement folder, found reports "
        f"inside {tmp_path / 'acme'}\n"
    )
    assert out == "" and not (tmp_path / "acme" / "reports").exists()


def test_chromium_that_cannot_start_is_one_line(tmp_path):
    """Under an address-space limit Chromium dies at launch: kam's line, not Playwright's log."""
    from kamlib.render.browser import CANDIDATES, find_chromium

    if not any(shutil.which(name) for name in CANDIDATES):
        pytest.skip("no Chromium")
    write(
        tmp_path / "eng", {n: None for n in BASE if n not in ("industries.csv", "criteria.csv")}, ""
    )
    script = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30)); "
        "from kamlib.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    root = str(Path(__file__).resolve().parent.parent)
    done = subprocess.run(
        [sys.executable, "-c", script, "render", "eng", "--format", "pdf", "--out", "out"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": root},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode == 0:
        pytest.skip("Chromium starts under 3 GB of address space here")
    assert done.returncode == 1, done.stderr
    assert done.stderr == (
        f"kam: error: {find_chromium()}: expected Chromium to start and print (it cannot under a "
        "tight memory limit such as ulimit -v: lift the limit, or render without --pdf), found "
        '"BrowserType.launch: Target page, context or browser has bee…"\n'
    )
    assert not (tmp_path / "out").exists()
