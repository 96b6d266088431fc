"""The one loader: finds an engagement's data files, reads CSV / Excel / Parquet, maps Chinese
headers to the canonical English ones and checks every cell against the table's schema.

Rows in messages are numbered as a spreadsheet shows them: the header is row 1, the first data row
is row 2.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import os
import re
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from kamlib.core.errors import KamError, quote
from kamlib.core.notes import Note

EXCEL = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
"""The workbooks kam reads, all through python-calamine."""
ZIPPED = (".xlsx", ".xlsm", ".xlsb", ".ods")
"""The workbooks that are zip archives, whose unzipped size is checked before they are opened."""
SUFFIXES = (".csv", *EXCEL, ".parquet")
KINDS = "a .csv, .xlsx, .xlsm, .xlsb, .xls, .ods or .parquet file"
HEADER_ROWS = 30
"""How many rows from the top the header row is looked for in (title rows above it are skipped)."""
MB = 1_000_000


def fmt_count(value: float) -> str:
    """A limit or a size as a message shows it: 1,000 or 0.05."""
    return f"{value:,.0f}" if value >= 100 or float(value).is_integer() else f"{value:.3g}"


@dataclass(frozen=True)
class Limit:
    """A bound on what kam reads, so that a hostile or broken file ends in a clear error rather
    than hours of work or all the memory. Each is raised (or lowered) with its environment
    variable, never from inside the engagement folder: a folder cannot lift its own limits."""

    variable: str
    default: float
    unit: str

    def value(self) -> float:
        """The limit in force: the environment variable when set, else the default."""
        text = os.environ.get(self.variable, "").strip()
        if not text:
            return self.default
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise KamError(self.variable, f"a positive number of {self.unit}", quote(text))
        return value

    def expected(self, what: str, value: float | None = None) -> str:
        """``what`` of at most the limit, and how to raise it: the error's "expected" part."""
        limit = self.value() if value is None else value
        return (
            f"{what} of at most {fmt_count(limit)} {self.unit} "
            f"(the limit {self.variable}: set it higher to allow more)"
        )


FILE_MB = Limit("KAM_MAX_FILE_MB", 100, "MB")
"""Size of a data file other than the ledger (an .xlsx or .parquet file: unpacked)."""
LEDGER_MB = Limit("KAM_MAX_LEDGER_MB", 10_000, "MB")
"""Size of the transaction ledger's file."""
XLSX_MB = Limit("KAM_MAX_XLSX_MB", 500, "MB")
"""Unzipped size of any .xlsx workbook (the ledger's too), read from the zip directory."""
YAML_MB = Limit("KAM_MAX_YAML_MB", 1, "MB")
"""Size of engagement.yaml."""
COLUMNS = Limit("KAM_MAX_COLUMNS", 1_000, "columns")
"""Columns of a data file's header."""
CELL_CHARS = Limit("KAM_MAX_CELL_CHARS", 32_767, "characters")
"""Characters in one cell (Excel's own limit), free-text notes included."""
NAME_CHARS = Limit("KAM_MAX_NAME_CHARS", 200, "characters")
"""Characters in a name: a header, an industry, a competitor, a customer, a contact..."""
LIMITS = (FILE_MB, LEDGER_MB, XLSX_MB, YAML_MB, COLUMNS, CELL_CHARS, NAME_CHARS)

# plausible values: what lies beyond is a typo or a hostile file, and would overflow a sum, a
# chart's axis or a printed figure
AMOUNT = 1e15
"""The largest number kam reads (amounts of money among them): a thousand trillion, far above
any account's revenue and below 2**53, where floating-point sums stop being exact."""
SCORE = 1e6
"""The largest weight, importance or criterion score (points on a scale, not raw quantities)."""
PER_MONTH = 1_000
"""The most visits or favours a month."""
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
"""The dates kam reads."""
DATES = f"a date from {FIRST_DATE} to {LAST_DATE}"


def fmt_bound(value: float) -> str:
    """A bound as a message shows it: 10, -5, 1900, 1,000,000."""
    return f"{value:,.0f}" if abs(value) >= 10_000 and float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class Column:
    """One column of a data template.

    Parameters
    ----------
    name
        Canonical (English) header.
    aliases
        Other accepted headers, Chinese ones among them.
    kind
        ``"text"``, ``"number"``, ``"choice"`` or ``"date"`` (dates are parsed by the ledger
        reader; elsewhere they are kept as text).
    required
        Whether the column must be present.
    default
        Value for an absent column or an empty cell; ``None`` makes an empty cell an error when the
        column is required.
    choices
        For ``kind="choice"``: accepted spellings mapped to the canonical value.
    minimum, maximum
        Accepted range of a number.
    unique
        Whether values must not repeat (a key).
    free
        Whether a text column holds free text (a note, up to :data:`CELL_CHARS`) rather than a
        name (up to :data:`NAME_CHARS`).
    """

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "text"
    required: bool = True
    default: object = None
    choices: dict[str, str] | None = None
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False
    free: bool = False


@dataclass(frozen=True)
class Table:
    """A data template: its base file name, its columns and what to do with other columns.

    ``extra="number"`` makes a wide table whose other columns are numeric (criteria scores);
    ``extra="ignore"`` keeps them out with a warning.
    """

    name: str
    columns: tuple[Column, ...]
    extra: str = "ignore"
    aliases: tuple[str, ...] = ()
    extra_range: tuple[float, float] | None = None

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclass(frozen=True)
class Reading:
    """How a data file was read, as ``kam validate`` shows it: the worksheet (a workbook's), the
    header's row, and each header that was read as another column or left out."""

    file: Path
    sheet: str | None = None
    header_row: int = 1
    renamed: tuple[tuple[str, str], ...] = ()
    """(header, column) for every header read under another name (an alias or ``columns:``)."""
    ignored: tuple[str, ...] = ()
    """Headers of a column read from another header (the lesser of 价税合计 and 无税金额...)."""
    other_sheets: tuple[str, ...] = ()
    """The workbook's other worksheets, not read."""
    rows: tuple[int, ...] | None = field(default=None, compare=False, repr=False)
    """The spreadsheet row of each data row kept, when blank rows were left out (a workbook's
    ledger); ``None``: data row ``n`` (1 = first) is row ``header_row + n``."""


@dataclass
class Loaded:
    """A validated table: the frame with canonical headers, the file and the warnings raised."""

    frame: pd.DataFrame
    file: Path
    extra: list[str] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    reading: Reading | None = None

    def row(self, position: int) -> int:
        """The spreadsheet row of the ``position``-th data row (blank rows counted)."""
        return self.rows[position] if position < len(self.rows) else position + 2


def _norm(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


def header_key(text: object) -> str:
    """A header as it is matched: case, full width, spaces, ``_`` and ``-`` ignored, so that
    ``Customer ID``, ``customer_id`` and ``CUSTOMER-ID`` are one header."""
    return re.sub(r"[\s_\-]+", "", _norm(text))


DIRECTIONS = {
    "benefit": "benefit",
    "+": "benefit",
    "效益": "benefit",
    "效益型": "benefit",
    "正向": "benefit",
    "越大越好": "benefit",
    "cost": "cost",
    "-": "cost",
    "成本": "cost",
    "成本型": "cost",
    "负向": "cost",
    "越小越好": "cost",
}

YES_NO = {
    "yes": "yes",
    "y": "yes",
    "true": "yes",
    "1": "yes",
    "是": "yes",
    "上市": "yes",
    "no": "no",
    "n": "no",
    "false": "no",
    "0": "no",
    "否": "no",
    "未上市": "no",
}

ROLES = {
    "decision_maker": "decision_maker",
    "决策者": "decision_maker",
    "决策人": "decision_maker",
    "technical": "technical",
    "技术把关者": "technical",
    "技术把关人": "technical",
    "技术": "technical",
    "user": "user",
    "使用者": "user",
    "用户": "user",
    "coach": "coach",
    "教练": "coach",
    "内线": "coach",
}
LEVELS = {
    "executive": "executive",
    "高层": "executive",
    "middle": "middle",
    "中层": "middle",
    "operational": "operational",
    "基层": "operational",
}
OBJECTIONS = {
    "no_need": "no_need",
    "没有需求": "no_need",
    "无需求": "no_need",
    "no_trust": "no_trust",
    "不信任": "no_trust",
    "no_budget": "no_budget",
    "没有预算": "no_budget",
    "无预算": "no_budget",
    "no_hurry": "no_hurry",
    "不着急": "no_hurry",
}
SIGNALS = {
    "accepts_idea": "accepts_idea",
    "接受观点": "accepts_idea",
    "next_step": "next_step",
    "同意下一步": "next_step",
    "senior_manager": "senior_manager",
    "引荐高层": "senior_manager",
    "technical_exchange": "technical_exchange",
    "同意技术交流": "technical_exchange",
}
STAGES = {
    "1": "1",
    "gestation": "1",
    "孕育期": "1",
    "2": "2",
    "initial": "2",
    "初期": "2",
    "3": "3",
    "mid": "3",
    "中期": "3",
    "4": "4",
    "advanced": "4",
    "伙伴期": "4",
    "高级": "4",
    "5": "5",
    "strategic_alliance": "5",
    "strategic alliance": "5",
    "战略联盟": "5",
}

INTERACTION_TYPES = {
    "task": "task",
    "任务": "task",
    "process": "process",
    "进程": "process",
    "流程": "process",
    "visit": "visit",
    "拜访": "visit",
    "praise": "praise",
    "表扬": "praise",
    "complaint": "complaint",
    "投诉": "complaint",
    "suggestion": "suggestion",
    "建议": "suggestion",
}
"""The kinds of contact in the contact log (the contact family, 联络类指标)."""

TARGET_INDICATORS = {
    "revenue": "revenue",
    "收入": "revenue",
    "销售额": "revenue",
    "profit": "profit",
    "毛利": "profit",
    "margin": "margin",
    "毛利率": "margin",
    "orders": "orders",
    "订单数": "orders",
    "交易次数": "orders",
    "average_order": "average_order",
    "平均订单": "average_order",
    "max_order": "max_order",
    "最大订单": "max_order",
    "expected_sales": "expected_sales",
    "销售预期金额": "expected_sales",
    "days_to_pay": "days_to_pay",
    "平均回款天数": "days_to_pay",
    "回款天数": "days_to_pay",
    "outstanding_ratio": "outstanding_ratio",
    "平均欠款率": "outstanding_ratio",
    "欠款率": "outstanding_ratio",
    "visits": "visits",
    "拜访": "visits",
    "拜访次数": "visits",
    "tasks": "tasks",
    "任务": "tasks",
    "praise": "praise",
    "表扬": "praise",
    "complaints": "complaints",
    "投诉": "complaints",
    "complaint_share": "complaint_share",
    "投诉占比": "complaint_share",
}
"""The indicators a target may be set on (the KAM scorecard's sales, financial, customer
and service measures), with their Chinese names."""

LABEL_ALIASES = ("显示名称", "标签", "display_name", "display name")
"""The headers of a criterion's optional display name (its ``label``): the report shows it, the
data and results.json keep the criterion's name."""

# the weights of a scoring: industry selection's criteria and the key-account scorecard's
CRITERIA_COLUMNS = (
    Column("criterion", ("指标", "标准", "评分标准", "评价指标"), unique=True),
    Column("weight", ("权重",), "number", required=False, default=1.0, minimum=0, maximum=SCORE),
    Column(
        "direction",
        ("方向", "类型", "指标方向"),
        "choice",
        required=False,
        default="benefit",
        choices=DIRECTIONS,
    ),
    Column("group", ("分组", "类别", "维度"), required=False, default=""),
    Column("label", LABEL_ALIASES, required=False, default=""),
)

PREFERRED: dict[str, tuple[str, ...]] = {
    "amount": (
        "无税金额",
        "不含税金额",
        "net amount",
        "金额",
        "销售金额",
        "销售额",
        "sales",
        "收入",
        "revenue",
        "价税合计",
        "含税金额",
    ),
    "date": (
        "开票日期",
        "invoice date",
        "单据日期",
        "订单日期",
        "order date",
        "交易日期",
        "销售日期",
        "日期",
    ),
    "order_id": ("订单号", "订单编号", "order id", "单据编号", "单据号", "单号"),
}
"""Headers of one ledger column that may stand side by side in an ERP export, the one read first:
amounts net of VAT before gross ones (无税金额 before 价税合计: revenue and 毛利 are booked net of
tax), the invoice date before the order's, the order number before the document's. The others
are left out, and ``kam validate`` says so; ``columns:`` in engagement.yaml picks another."""

CUSTOMER_ID = "customer_id"
CUSTOMER_ID_ALIASES = (
    "客户编号",
    "客户编码",
    "客户代码",
    "客户id",
    "客户号",
    "customer no",
    "客户",
    "customer",
)
"""The headers a customer ID may have, in every data file that holds one (the ledger's too)."""
CUSTOMER_WORDS = ("客户", "customer")
"""A bare "customer" heads the ID, except in a file that also names the customer (its name)."""


INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
"""Characters a customer ID never holds, removed from it: zero-width space, non-joiner and
joiner, word joiner, the byte-order mark (U+FEFF, which a CSV may carry inside), soft hyphen,
Mongolian vowel separator."""
_INVISIBLE = str.maketrans("", "", INVISIBLE)


def cell_text(value: object) -> str:
    """A cell as its writer meant it, before it is read as a number, a date or a choice: NFKC,
    the :data:`INVISIBLE` characters removed (a stray BOM where two exports were pasted
    together), spaces trimmed."""
    return unicodedata.normalize("NFKC", str(value).translate(_INVISIBLE)).strip()


def customer_key(value: object) -> str:
    """The one rule for a customer ID, in every file that holds one (the ledger's too): NFKC
    (full-width ``Ｃ００１`` is ``C001``, a decomposed ``Café`` the composed one), the
    :data:`INVISIBLE` characters removed, spaces trimmed. IDs equal by this rule are one
    customer."""
    return unicodedata.normalize("NFKC", str(value).translate(_INVISIBLE)).strip()


def shown_id(text: str) -> str:
    """An ID as a note shows a form of it: characters that cannot be seen (combining marks,
    format characters, spaces other than the plain one) as ``\\uXXXX``."""
    return "".join(
        f"\\u{ord(c):04x}"
        if unicodedata.category(c) in ("Mn", "Me", "Cf", "Zs", "Cc") and c != " "
        else c
        for c in text
    )


MERGED_EXAMPLES = 3


def folded_ids(file: str, forms: dict[str, str]) -> list[Note]:
    """The note (at most one) on the IDs of a file written in another form than the rule's
    (``forms``: each trimmed form → its ID; those equal to their ID are left out): how many
    forms and a few examples, ``"Ｃ００１" → C001``."""
    changed = {raw: key for raw, key in forms.items() if raw != key and key}
    if not changed:
        return []
    ids = sorted(set(changed.values()))
    examples = [
        f"{quote(shown_id(raw))} → {key}" for raw, key in sorted(changed.items())[:MERGED_EXAMPLES]
    ]
    return [Note.of("ids_folded", file=file, count=len(changed), ids=len(ids), examples=examples)]


def customer_id_column(unique: bool = False, name_column: bool = False) -> Column:
    """The customer-ID column of a data template. In a file that also names the customer
    (``name_column``: the customer master), a bare 客户 or customer heads the name, not the ID."""
    aliases = tuple(a for a in CUSTOMER_ID_ALIASES if not (name_column and a in CUSTOMER_WORDS))
    return Column(CUSTOMER_ID, aliases, unique=unique)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "industries",
            (
                Column("industry", ("行业", "行业名称", "候选行业"), unique=True),
                Column("total", ("总分", "合计", "总计", "得分"), "number", required=False),
                Column("note", ("备注", "说明"), required=False, default="", free=True),
            ),
            extra="number",
            aliases=("行业",),
            extra_range=(-SCORE, SCORE),
        ),
        Table("criteria", CRITERIA_COLUMNS, aliases=("指标",)),
        Table(
            "transactions",
            (
                customer_id_column(),
                Column("date", PREFERRED["date"], "date"),
                Column("amount", PREFERRED["amount"], "number"),
                Column("profit", ("毛利", "利润", "毛利额", "profit"), "number", required=False),
                Column("quantity", ("数量", "销量", "quantity", "qty"), "number", required=False),
                Column("order_id", PREFERRED["order_id"], required=False),
                Column(
                    "product",
                    ("产品", "产品名称", "品名", "商品", "存货名称", "product name"),
                    required=False,
                ),
                Column("paid_date", ("回款日期", "付款日期", "收款日期"), "date", required=False),
            ),
            aliases=("交易", "流水", "销售明细"),
        ),
        Table(
            "customers",
            (
                customer_id_column(unique=True, name_column=True),
                Column(
                    "name",
                    ("客户名称", "名称", "客户", "customer name", "customer"),
                    required=False,
                    default="",
                ),
                Column("industry", ("行业", "所属行业"), required=False, default=""),
                Column("region", ("区域", "地区", "省份", "销售区域"), required=False, default=""),
                Column(
                    "size", ("规模", "企业规模", "客户分类", "segment"), required=False, default=""
                ),
                Column("registered_capital", ("注册资本",), "number", required=False),
                Column(
                    "listed",
                    ("是否上市", "上市"),
                    "choice",
                    required=False,
                    default="",
                    choices=YES_NO,
                ),
                Column(
                    "since",
                    ("合作起始年", "合作年份", "开始合作年份"),
                    "number",
                    required=False,
                    minimum=FIRST_DATE.year,
                    maximum=LAST_DATE.year,
                ),
                Column(
                    "potential",
                    ("潜在采购额", "年潜在采购额", "潜力"),
                    "number",
                    required=False,
                    minimum=0,
                    maximum=AMOUNT,
                ),
                Column(
                    "alignment",
                    ("理念契合度", "战略契合度", "契合度"),
                    "number",
                    required=False,
                    minimum=1,
                    maximum=10,
                ),
            ),
            aliases=("客户", "客户主数据"),
        ),
        Table(
            "account_scorecard",
            (customer_id_column(unique=True),),
            extra="number",
            aliases=("评分卡", "大客户评分卡"),
            extra_range=(1, 10),
        ),
        Table("scorecard_criteria", CRITERIA_COLUMNS, aliases=("指标",)),
        Table(
            "competitors",
            (
                Column("competitor", ("竞争对手", "公司", "厂商", "企业", "名称"), unique=True),
                Column(
                    "size",
                    ("规模", "市场份额", "份额", "market_share"),
                    "number",
                    required=False,
                    minimum=0,
                    maximum=AMOUNT,
                ),
                Column("note", ("备注", "说明"), required=False, default="", free=True),
            ),
            extra="number",
            aliases=("竞争对手", "竞争分析"),
        ),
        Table(
            "needs",
            (
                Column("criterion", ("指标", "需求", "标准", "评价指标"), unique=True),
                Column(
                    "importance", ("重要性", "权重", "重要程度"), "number", minimum=0, maximum=SCORE
                ),
                Column("group", ("分组", "类别", "维度"), required=False, default=""),
                Column("label", LABEL_ALIASES, required=False, default=""),
            ),
            aliases=("客户需求", "需求"),
        ),
        Table(
            "wallet",
            (
                customer_id_column(unique=True),
                Column(
                    "total_spend",
                    ("采购总额", "钱包", "客户总采购额", "品类总支出"),
                    "number",
                    minimum=0,
                    maximum=AMOUNT,
                ),
                Column(
                    "our_revenue",
                    ("我方收入", "我方销售额"),
                    "number",
                    required=False,
                    minimum=0,
                    maximum=AMOUNT,
                ),
                Column("name", ("客户名称", "名称"), required=False, default=""),
            ),
            extra="number",
            aliases=("钱包份额", "客户钱包"),
        ),
        Table(
            "contacts",
            (
                customer_id_column(),
                Column("name", ("姓名", "联系人")),
                Column("title", ("职务", "职位"), required=False, default=""),
                Column("role", ("角色", "采购角色", "影响者角色"), "choice", choices=ROLES),
                Column("attitude", ("态度", "支持度"), "number", minimum=-5, maximum=5),
                Column("influence", ("影响力", "影响程度"), "number", minimum=1, maximum=10),
                Column("last_contact", ("最近接触", "最近拜访", "最后联系日期"), "date"),
                Column(
                    "level", ("层级", "级别"), "choice", required=False, default="", choices=LEVELS
                ),
            ),
            aliases=("联系人", "客户关系人"),
        ),
        Table(
            "opportunities",
            (
                customer_id_column(),
                Column("opportunity", ("机会", "项目", "商机")),
                Column(
                    "value", ("金额", "预计金额", "机会金额"), "number", minimum=0, maximum=AMOUNT
                ),
                Column("stage", ("阶段", "销售阶段"), required=False, default=""),
                Column(
                    "is_opportunity", ("是否机会", "是不是机会"), "number", minimum=1, maximum=5
                ),
                Column(
                    "competition", ("竞争", "有无竞争", "竞争态势"), "number", minimum=1, maximum=5
                ),
                Column("can_win", ("能否赢", "能不能赢"), "number", minimum=1, maximum=5),
                Column("worth_winning", ("值得赢", "值不值得赢"), "number", minimum=1, maximum=5),
                Column(
                    "expected_close",
                    ("预计成交", "预计签约日期"),
                    "date",
                    required=False,
                    default="",
                ),
                Column(
                    "objection",
                    ("异议", "客户异议"),
                    "choice",
                    required=False,
                    default="",
                    choices=OBJECTIONS,
                ),
                Column(
                    "signal",
                    ("购买信号", "信号"),
                    "choice",
                    required=False,
                    default="",
                    choices=SIGNALS,
                ),
            ),
            aliases=("机会", "销售机会"),
        ),
        Table(
            "relationships",
            (
                customer_id_column(unique=True),
                Column("stage", ("关系阶段", "阶段"), "choice", choices=STAGES),
                Column(
                    "visits_per_month",
                    ("月拜访次数", "拜访频率"),
                    "number",
                    required=False,
                    minimum=0,
                    maximum=PER_MONTH,
                ),
                Column(
                    "help_per_month",
                    ("月帮助次数", "帮助次数"),
                    "number",
                    minimum=0,
                    maximum=PER_MONTH,
                ),
                Column("info_shared", ("信息分享", "信息共享"), "number", minimum=0, maximum=5),
                Column(
                    "thought_of_first",
                    ("首先想到", "优先考虑"),
                    "choice",
                    required=False,
                    default="",
                    choices=YES_NO,
                ),
                Column(
                    "holiday_contact",
                    ("节日问候", "节假日联系"),
                    "choice",
                    required=False,
                    default="",
                    choices=YES_NO,
                ),
                Column("owner_development", ("开发负责人", "开发责任人")),
                Column("owner_maintenance", ("维护负责人", "维护责任人")),
            ),
            aliases=("关系", "客户关系"),
        ),
        Table(
            "interactions",
            (
                customer_id_column(),
                Column("date", ("日期", "联络日期", "接触日期"), "date"),
                Column(
                    "type", ("类型", "联络类型", "事项类型"), "choice", choices=INTERACTION_TYPES
                ),
                Column("owner", ("负责人", "经办人", "联络人"), required=False, default=""),
                Column("note", ("备注", "说明", "内容"), required=False, default="", free=True),
            ),
            aliases=("联络记录", "客户联络"),
        ),
        Table(
            "targets",
            (
                customer_id_column(),
                Column("indicator", ("指标", "考核指标"), "choice", choices=TARGET_INDICATORS),
                Column("target", ("目标", "目标值"), "number", minimum=-AMOUNT, maximum=AMOUNT),
                Column("period", ("期间", "年度", "考核期"), required=False, default=""),
            ),
            aliases=("目标", "考核目标"),
        ),
    )
}


def find_file(folder: Path, base: str) -> Path | None:
    """The data file ``base`` in ``folder`` (any of :data:`SUFFIXES`), or ``None``.

    Two files under the same base name are an error: which one the user means cannot be guessed.
    """
    found = [folder / f"{base}{s}" for s in SUFFIXES if (folder / f"{base}{s}").is_file()]
    if len(found) > 1:
        raise KamError(
            folder / base,
            f"one data file named {base} ({', '.join(SUFFIXES)})",
            " and ".join(p.name for p in found),
        )
    return found[0] if found else None


ONE_ENCODING = "text in one encoding (UTF-8 or GB18030)"
_NON_ASCII = re.compile(rb"[\x80-\xff]")
ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "gb18030": "GB18030"}


def csv_encoding(head: bytes) -> str:
    """A CSV file's one encoding, from its first bytes (up to its first non-ASCII text at
    least): ``utf-8-sig`` when it starts with a BOM or its first line with a non-ASCII byte is
    UTF-8 (or it has none), else ``gb18030``. The whole file is then read in it, and a row that
    is not in it is an error (:func:`encoding_error`), never decoded another way."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    found = _NON_ASCII.search(head)
    if found is None:
        return "utf-8-sig"
    start = head.rfind(b"\n", 0, found.start()) + 1
    end = head.find(b"\n", found.start())
    line = head[start : end if end >= 0 else len(head)]
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a character cut by the end of ``head`` is no mistake
        if not (end < 0 and exc.reason == "unexpected end of data"):
            return "gb18030"
    return "utf-8-sig"


def encoding_head(handle: BinaryIO) -> bytes:
    """The first bytes of a file that :func:`csv_encoding` needs: at least 64 KB, on up to the
    end of the line holding its first non-ASCII byte (at most :data:`ENCODING_SCAN` bytes)."""
    head = handle.read(1 << 16)
    while not _NON_ASCII.search(head) and len(head) < ENCODING_SCAN:
        chunk = handle.read(1 << 20)
        if not chunk:
            return head
        head += chunk
    found = _NON_ASCII.search(head)
    while found and b"\n" not in head[found.start() :] and len(head) < ENCODING_SCAN:
        chunk = handle.read(1 << 16)
        if not chunk:
            break
        head += chunk
    return head


ENCODING_SCAN = 1 << 26
"""How far (64 MB) a CSV file is read for its first non-ASCII text, which decides its
encoding."""


def _lines(handle: BinaryIO, end: int, encoding: str) -> Iterator[str]:
    """The text lines (with their ends) of a file's first ``end`` bytes."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    rest, left = "", end
    while left > 0:
        chunk = handle.read(min(1 << 24, left))
        if not chunk:
            break
        left -= len(chunk)
        lines = re.findall(r"[^\n]*\n|[^\n]+", rest + decoder.decode(chunk))
        rest = lines.pop() if lines and not lines[-1].endswith("\n") else ""
        yield from lines
    rest += decoder.decode(b"", final=True)
    if rest:
        yield rest


def encoding_error(path: Path, handle: BinaryIO, offset: int, encoding: str) -> KamError:
    """The error for the first byte (at ``offset``) that is not in the file's ``encoding``:
    its row (the CSV records before its line, plus one) and the line as the other encoding
    reads it, when it can."""
    start = max(0, offset - (1 << 16))
    handle.seek(start)
    window = handle.read(offset - start + (1 << 12))
    line_start = start + window.rfind(b"\n", 0, offset - start) + 1
    line = window[line_start - start :].split(b"\n", 1)[0].rstrip(b"\r")
    handle.seek(0)
    with _field_limit(1 << 30):
        row = sum(1 for _ in csv.reader(_lines(handle, line_start, encoding))) + 1
    name = ENCODING_NAMES[encoding]
    other = "utf-8" if name == "GB18030" else "gb18030"
    try:
        text = line.decode(other)
        found = f"{quote(text)} in {ENCODING_NAMES[other]}, in a file read as {name}"
    except UnicodeDecodeError:
        shown = " ".join(f"{b:02x}" for b in line[offset - line_start :][:8])
        found = f"bytes {shown} that are neither UTF-8 nor GB18030"
    return KamError(path, ONE_ENCODING, found, row=row)


def check_text(path: Path, head: bytes) -> None:
    """Refuse a CSV whose first bytes are not text in one byte-oriented encoding: UTF-16 (what
    Excel saves as "Unicode Text") by its name and what to do, anything else as binary.

    Raises
    ------
    KamError
        UTF-16 text, or NUL bytes.
    """
    if is_utf16(head):  # the readers read it from a UTF-8 copy: never here
        raise KamError(
            path,
            'a CSV file in UTF-8 or GB18030 (in Excel: Save As "CSV UTF-8")',
            'UTF-16 text (what Excel saves as "Unicode Text")',
        )
    if b"\x00" in head[:4096]:
        raise KamError(path, "a CSV text file", "binary content")


UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def is_utf16(head: bytes) -> bool:
    """Whether a CSV is UTF-16 with its BOM (what Excel saves as "Unicode Text")."""
    return head.startswith(UTF16_BOMS)


def _delimiter(first_line: str) -> str:
    """A tab for a header line with more tabs than commas (Excel's "Unicode Text"), else a
    comma."""
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def utf16_to_csv(path: Path, target: Path) -> None:
    """A UTF-16 CSV (tab- or comma-separated) written to ``target`` as a UTF-8 comma-separated
    one, record for record: every row keeps its number (a blank line stays a blank line),
    streamed, so a large file is never held in memory. A byte sequence that is not UTF-16 is
    an error at its row."""
    with (
        path.open(encoding="utf-16", newline="") as source,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        _with_commas(path, source, out)


def _with_commas(path: Path, source: io.TextIOBase, out: io.TextIOBase) -> None:
    """Every record of ``source`` (its separator read from its first line) written to ``out``
    comma-separated; text that does not decode is an error at its row."""
    first = source.readline()
    source.seek(0)
    writer, reader = (
        csv.writer(out, lineterminator="\n"),
        csv.reader(source, delimiter=_delimiter(first)),
    )
    row = 0
    try:
        for row, record in enumerate(reader, start=1):  # noqa: B007 - the row named on error
            writer.writerow(record)
    except UnicodeDecodeError:
        raise KamError(
            path, "UTF-16 text throughout", "bytes that are not UTF-16", row=row + 1
        ) from None


def _utf16_text(path: Path, raw: bytes) -> str:
    """A UTF-16 CSV's text, comma-separated (see :func:`utf16_to_csv`)."""
    source = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-16", newline="")
    out = io.StringIO()
    _with_commas(path, source, out)
    return out.getvalue()


def _decode(path: Path, raw: bytes) -> str:
    if is_utf16(raw[:2]):
        return _utf16_text(path, raw)
    check_text(path, raw[:4096])
    encoding = csv_encoding(raw[:ENCODING_SCAN])
    try:  # UTF-8 with the BOM as a character, so that a bad byte's offset is the file's
        text = raw.decode("utf-8" if encoding == "utf-8-sig" else encoding)
    except UnicodeDecodeError as exc:
        raise encoding_error(path, io.BytesIO(raw), exc.start, encoding) from None
    return text.removeprefix("\ufeff")


@contextmanager
def _field_limit(chars: int) -> Iterator[None]:
    """The csv module's longest field for a while (it is process-wide)."""
    before = csv.field_size_limit(chars)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def unclosed_quote(path: Path, lines: Iterable[str]) -> KamError | None:
    """The record in which a quote opens and never closes (it would swallow every row after
    it into one cell), as kam's error naming its row; None when every quote closes."""
    count = 0
    with _field_limit(sys.maxsize):
        try:
            for _ in csv.reader(lines, strict=True):
                count += 1
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                return KamError(
                    path,
                    'every quoted cell closed (a cell that starts with " ends with ")',
                    "a quote that opens in this row and is never closed",
                    row=count + 1,
                )
    return None


def _records(path: Path, text: str) -> list[list[str]]:
    """Every CSV record; a cell over :data:`CELL_CHARS` is an error at its row, and so is a
    quote that never closes."""
    if '"' in text:
        problem = unclosed_quote(path, io.StringIO(text, newline=""))
        if problem is not None:
            raise problem
    records: list[list[str]] = []
    with _field_limit(int(CELL_CHARS.value())):
        try:
            for record in csv.reader(io.StringIO(text)):
                records.append(record)
        except csv.Error as exc:
            row = len(records) + 1
            if "field larger than field limit" in str(exc):
                expected = CELL_CHARS.expected("cells")
                raise KamError(path, expected, "a longer one", row=row) from None
            raise KamError(path, "a CSV text file", quote(exc), row=row) from None
    return records


def _parse_csv(path: Path, records: list[list[str]], top: int) -> pd.DataFrame:
    """Rows of text cells under the header ``records[top]``; a row with more non-empty fields
    than the header is an error."""
    header = records[top]
    width = len(header)
    rows = []
    for number, record in enumerate(records[top + 1 :], start=top + 2):
        if len(record) > width and any(cell.strip() for cell in record[width:]):
            raise KamError(
                path, f"{width} fields as in the header", f"{len(record)} fields", row=number
            )
        rows.append((record + [""] * width)[:width])
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame.columns = [c if c.strip() else f"Unnamed: {i}" for i, c in enumerate(header)]
    return frame


def _too_many_columns(path: Path, columns: int, more: bool = False) -> None:
    if columns > COLUMNS.value():
        found = f"{'more than ' if more else ''}{columns:,} columns"
        raise KamError(path, COLUMNS.expected("a header"), found, row=1)


def _csv_header(path: Path) -> None:
    """Count the header's columns from the first line alone, before anything else is read."""
    longest = int(COLUMNS.value() * (NAME_CHARS.value() * 4 + 3)) + 4096  # in UTF-8 bytes
    head = b""
    with path.open("rb") as handle:
        while b"\n" not in head and len(head) <= longest:
            chunk = handle.read(1 << 16)
            if not chunk:
                break
            head += chunk
    line = head.split(b"\n", 1)[0]
    if line.count(b",") + 1 > COLUMNS.value():  # a comma may sit in a quoted header: count right
        with _field_limit(len(line) + 1):
            header = next(csv.reader([line.decode("utf-8", errors="replace")]), [])
        _too_many_columns(path, len(header), more=len(line) > longest)
    if len(line) > longest:
        raise KamError(
            path,
            f"a header row of at most {longest:,} bytes ({COLUMNS.variable} columns of "
            f"{NAME_CHARS.variable} characters)",
            "a longer first line",
            row=1,
        )


def _unzipped_mb(path: Path) -> float | None:
    """A zipped workbook's size once unzipped (:data:`ZIPPED`), from its zip directory alone, before
    python-calamine opens it; ``None`` when it is no zip file at all, which the reader then
    reports."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(item.file_size for item in archive.infolist()) / MB
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def check_file(path: Path, kind: str = "") -> None:
    """Refuse a data file of template ``kind`` beyond kam's :data:`LIMITS` before reading it:
    its size (the ledger's own limit; for any other file an .xlsx or .parquet counts unpacked),
    an .xlsx workbook's unzipped size, the header's columns."""
    ledger = kind == "transactions"
    size_limit = LEDGER_MB if ledger else FILE_MB
    size = path.stat().st_size / MB
    if size > size_limit.value():
        raise KamError(path, size_limit.expected("a file"), f"{fmt_count(size)} MB")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        _csv_header(path)
    elif suffix in ZIPPED and (unzipped := _unzipped_mb(path)) is not None:
        for limit in sorted((XLSX_MB,) if ledger else (XLSX_MB, FILE_MB), key=Limit.value):
            if unzipped > limit.value():
                raise KamError(
                    path,
                    limit.expected(f"{workbook(path)}"),
                    f"{fmt_count(unzipped)} MB once unzipped",
                )
    elif suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            meta = pq.read_metadata(path)
        except Exception:  # pyarrow raises many types for a damaged file: its reader reports it
            return
        _too_many_columns(path, meta.num_columns)
        # what pandas will hold: the pages uncompressed, and at least 8 bytes a cell (a column
        # of one repeated value is a few bytes on disk and in its pages, whatever its length)
        pages = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        unpacked = max(pages, 8 * meta.num_rows * meta.num_columns) / MB
        if not ledger and unpacked > FILE_MB.value():  # the ledger is streamed by DuckDB
            raise KamError(path, FILE_MB.expected("a file"), f"{fmt_count(unpacked)} MB unpacked")


def _long_cells(path: Path, frame: pd.DataFrame) -> None:
    """A text cell over :data:`CELL_CHARS` (an .xlsx or .parquet file) is an error."""
    rows = frame.index
    for name in frame.columns:
        if frame[name].dtype == object:
            too_long(path, frame[name], CELL_CHARS, "cells", lambda i: int(rows[i]), str(name))


def _blank(value: object) -> bool:
    return (
        value is None or (isinstance(value, float) and math.isnan(value)) or not str(value).strip()
    )


def header_lookup(table: Table, columns: dict[str, str] | None = None) -> dict[str, str]:
    """Each :func:`header_key` the table reads mapped to its column: names and aliases, then the
    engagement's ``columns:`` mapping, which wins."""
    lookup = {header_key(a): c.name for c in table.columns for a in (c.name, *c.aliases)}
    lookup.update({header_key(header): name for header, name in (columns or {}).items()})
    return lookup


NESTED = re.compile(r"^(struct|(large_|fixed_size_)?list|map|(sparse_|dense_)?union)\b|\]$", re.I)
"""A nested type as pyarrow (``struct<a: string>``) or DuckDB (``STRUCT(a VARCHAR)``, ``BIGINT[]``)
names it."""


def plain_columns(
    path: Path, types: dict[str, str], table: Table, columns: dict[str, str] | None = None
) -> None:
    """A Parquet column the template reads holds one value per row (text, a number, a date),
    not a struct, a list or a map (its cells would show as ``{'a': 'C029'}``)."""
    lookup = header_lookup(table, columns)
    for name, kind in types.items():
        if header_key(name) in lookup and NESTED.search(kind):
            raise KamError(
                path,
                "a column of single values (text, a number or a date)",
                f"a column of type {quote(kind)}",
                column=name,
            )


def find_header(
    rows: list[list], table: Table, columns: dict[str, str] | None = None
) -> tuple[int, bool]:
    """The index of the header row among the first :data:`HEADER_ROWS` rows, and whether it holds
    every required column: the first that does; else the one with most known headers (the first
    non-empty row when none has any), whose missing column the error then names."""
    lookup = header_lookup(table, columns)
    required = {c.name for c in table.columns if c.required}
    best, most, first = None, 0, None
    for i, row in enumerate(rows[:HEADER_ROWS]):
        cells = [v for v in row if not _blank(v)]
        if not cells:
            continue
        first = i if first is None else first
        found = {lookup.get(header_key(_cell(v))) for v in cells} - {None}
        if required <= found:
            return i, True
        if len(found) > most:
            best, most = i, len(found)
    return (best if best is not None else first or 0), False


def workbook(path: Path) -> str:
    """What a workbook of ``path``'s kind is called in a message."""
    suffix = path.suffix.lower()
    return "an OpenDocument .ods spreadsheet" if suffix == ".ods" else f"an Excel {suffix} workbook"


def _cell(value: object) -> object:
    """A workbook cell as kam reads it: a whole number without ``.0`` (python-calamine returns
    every number as a float: customer 1001 must not become "1001.0")."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _sheet_rows(path: Path, book, name: str) -> list[list]:
    """The cells of worksheet ``name`` from A1 (so that row numbers are Excel's), without empty
    columns on the left; its width is checked against :data:`COLUMNS` before any cell is
    converted."""
    try:
        sheet = book.get_sheet_by_name(name)
    except Exception as exc:  # python-calamine raises several types for a damaged sheet
        raise KamError(path, workbook(path), type(exc).__name__, sheet=name) from None
    if sheet.width > COLUMNS.value():
        raise KamError(
            path, COLUMNS.expected("a header"), f"{sheet.width:,} columns", row=1, sheet=name
        )
    rows = sheet.to_python(skip_empty_area=False)
    left = sheet.start[1] if sheet.start else 0
    return [r[left:] for r in rows] if left else rows


def read_workbook(
    path: Path, table: Table | None, sheet: str | None = None, columns: dict[str, str] | None = None
) -> tuple[list[list], Reading]:
    """The rows of the worksheet holding ``table`` and how it was found: the one named
    ``sheet``; else the one sheet whose header (found by :func:`find_header`) has the
    template's required columns; with none, the sheet named like the template, or the first.
    Two such sheets are an error naming them."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # python-calamine raises several types for a damaged workbook
        raise KamError(path, workbook(path), type(exc).__name__) from None
    with book:
        names = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        if not names:
            raise KamError(path, "a worksheet", "a workbook without one")
        if sheet is not None and sheet not in names:
            raise KamError(
                path, f"a sheet named {quote(sheet)}", "sheets " + ", ".join(map(quote, names))
            )
        wanted = [sheet] if sheet is not None else names
        found: dict[str, tuple[list[list], int]] = {}
        for name in wanted:
            rows = _sheet_rows(path, book, name)
            top, matches = find_header(rows, table, columns) if table else (0, True)
            if matches or sheet is not None or len(names) == 1:
                found[name] = (rows, top)
        matching = [n for n in found if sheet is None and len(names) > 1]
        if len(matching) > 1:
            base = table.name if table else path.stem
            raise KamError(
                path,
                f"one sheet with the columns of {base}, or the sheet named in engagement.yaml "
                f"(files: {{{base}: {{file: {path.name}, sheet: ...}}}})",
                "sheets " + ", ".join(map(quote, matching)) + " with them",
            )
        if found:
            chosen = next(iter(found))
        else:
            aliases = {_norm(n) for n in ((table.name, *table.aliases) if table else ())}
            chosen = next((n for n in names if _norm(n) in aliases), names[0])
            rows = _sheet_rows(path, book, chosen)
            found[chosen] = (rows, find_header(rows, table, columns)[0] if table else 0)
    rows, top = found[chosen]
    others = tuple(n for n in names if n != chosen)
    return rows, Reading(path, chosen, top + 1, other_sheets=others)


def read_parquet(path: Path) -> pd.DataFrame:
    """A Parquet file as a frame, read in batches one row group after another: pyarrow's
    parallel reader holds a buffer for each row group in flight, which grows with their number
    whatever their size."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as handle:
        batches = list(handle.iter_batches(batch_size=1 << 16))
        table = pa.Table.from_batches(batches, schema=handle.schema_arrow)
    del batches
    return table.to_pandas()


def read_raw(
    path: Path,
    table: Table | None = None,
    sheet: str | None = None,
    columns: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, list[Note], Reading]:
    """Read a file as it is (every CSV cell as text) from its header row on; returns the frame,
    indexed by spreadsheet row, its warnings and how it was read."""
    warnings: list[Note] = []
    suffix = path.suffix.lower()
    if not path.is_file():
        raise KamError(path, "an existing file", "no such file")
    if suffix in SUFFIXES:
        check_file(path, table.name if table else "")
    if sheet is not None and suffix not in EXCEL:
        raise KamError(
            path,
            "a workbook (.xlsx, .xlsm, .xlsb, .xls or .ods) to take a sheet from",
            f"a {suffix} file",
        )
    reading = Reading(path)
    if suffix == ".csv":
        raw = path.read_bytes()
        if not raw.strip():
            raise KamError(path, "a header row", "an empty file")
        records = _records(path, _decode(path, raw))
        top = find_header(records, table, columns)[0] if table else 0
        frame = _parse_csv(path, records, top)
        reading = Reading(path, header_row=top + 1)
    elif suffix in EXCEL:
        rows, reading = read_workbook(path, table, sheet, columns)
        top = reading.header_row - 1
        if top >= len(rows):
            raise KamError(path, "a header row", "an empty sheet", sheet=reading.sheet)
        header = [_cell(v) for v in rows[top]]
        header = [str(h) if str(h).strip() else f"Unnamed: {i}" for i, h in enumerate(header)]
        body = [[_cell(v) for v in row] for row in rows[top + 1 :]]
        frame = pd.DataFrame(body, columns=header, dtype=object)
    elif suffix == ".parquet":
        try:
            import pyarrow.parquet as pq

            schema = pq.read_schema(path)
            frame = read_parquet(path)
        except Exception as exc:  # pyarrow raises many types for a damaged file
            raise KamError(path, "a Parquet file", type(exc).__name__) from None
        if table is not None:
            plain_columns(path, {f.name: str(f.type) for f in schema}, table, columns)
    else:
        raise KamError(path, KINDS, f"a {suffix or 'suffix-less'} file")
    top = reading.header_row - 1
    frame.index = pd.RangeIndex(top + 2, len(frame) + top + 2)
    if suffix != ".csv":  # the CSV reader stops at the first long cell
        try:
            _too_many_columns(path, len(frame.columns))
            _long_cells(path, frame)
        except KamError as exc:
            raise exc.in_sheet(reading.sheet if reading.other_sheets else None) from None
    blank = frame.apply(_is_empty).all(axis=1) if len(frame.columns) else frame.index.notna()
    return frame.loc[~blank], warnings, reading


def canonical_headers(
    path: Path,
    columns: list,
    table: Table,
    mapping: dict[str, str] | None = None,
    row: int = 1,
) -> dict[str, str]:
    """Map each header to its canonical name (aliases and ``mapping``, the engagement's
    ``columns:``, by :func:`header_key`); an unknown header keeps its text. Where several headers
    name one column, the one ``mapping`` names wins, else the first of :data:`PREFERRED`; the
    others keep their text (and are left out). Any other such pair is an error."""
    lookup = header_lookup(table, mapping)
    explicit = {header_key(h) for h in mapping or {}}
    renames: dict[str, str] = {}
    claims: dict[str, list] = {}
    for position, header in enumerate(columns, start=1):
        text = str(header)
        if text.startswith("Unnamed:") or not text.strip():
            raise KamError(
                path, "a header in every column", "an empty header", row=row, column=str(position)
            )
        if len(text) > NAME_CHARS.value():
            raise KamError(
                path,
                NAME_CHARS.expected("a header"),
                f"{quote(text)} ({len(text):,} characters)",
                row=row,
                column=str(position),
            )
        canonical = lookup.get(header_key(text), unicodedata.normalize("NFKC", text).strip())
        claims.setdefault(canonical, []).append(header)
    for canonical, headers in claims.items():
        winner = headers[0]
        if len(headers) > 1:
            keys = [header_key(h) for h in headers]
            chosen = [h for h, k in zip(headers, keys) if k in explicit]
            order = [header_key(a) for a in (canonical, *PREFERRED.get(canonical, ()))]
            if len(chosen) == 1:
                winner = chosen[0]
            elif not chosen and all(k in order for k in keys):
                winner = min(headers, key=lambda h: order.index(header_key(h)))
            else:
                raise KamError(
                    path,
                    f"one column for {canonical}",
                    f"both {quote(headers[0])} and {quote(headers[1])}",
                    row=row,
                    hint=f"name the one to read in engagement.yaml: columns: "
                    f"{{{table.name}: {{{headers[0]}: {canonical}}}}}",
                )
        for header in headers:
            renames[header] = (
                canonical
                if header is winner
                else unicodedata.normalize("NFKC", str(header)).strip()
            )
    return renames


def described(reading: Reading, renames: dict[str, str], table: Table, mapping=None) -> Reading:
    """``reading`` with the headers read under another name and those left out for another."""
    known = {c.name for c in table.columns}
    lookup = header_lookup(table, mapping)
    renamed = tuple((str(h), c) for h, c in renames.items() if c in known and str(h) != c)
    ignored = tuple(
        str(h) for h, c in renames.items() if c not in known and header_key(h) in lookup
    )
    return replace(reading, renamed=renamed, ignored=ignored)


def missing_column(
    path: Path, table: Table, column: Column, renames: dict[str, str], row: int
) -> KamError:
    """A required column the header lacks, with the ``columns:`` line that would read one of the
    file's unknown headers as it."""
    known = {c.name for c in table.columns}
    unknown = [str(h) for h, c in renames.items() if c not in known]
    which = f"{quote(unknown[0])} holds" if unknown else "a column under another header holds"
    header = unknown[0] if unknown else "THAT HEADER"
    return KamError(
        path,
        f"a column {column.name} ({'/'.join(column.aliases)})",
        f"columns {', '.join(map(str, renames))}",
        row=row,
        hint=f"if {which} {column.name}, add to engagement.yaml: "
        f"columns: {{{table.name}: {{{header}: {column.name}}}}}",
    )


def too_long(
    path: Path, values: pd.Series, limit: Limit, what: str, row: Callable[[int], int], column: str
) -> None:
    """The first text of ``values`` over ``limit`` characters is an error; ``row(i)`` is the
    spreadsheet row of the ``i``-th value."""
    lengths = values.map(lambda v: len(v) if isinstance(v, str) else 0).to_numpy()
    long = lengths > limit.value()
    if long.any():
        i = int(np.flatnonzero(long)[0])
        found = f"{quote(values.iloc[i])} ({lengths[i]:,} characters)"
        raise KamError(path, limit.expected(what), found, row=row(i), column=column)


NUMBER_PATTERN = (
    r"^([+-]?)(¥|\$|€|£|CNY|RMB|USD)?\s*([+-]?)"
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(%|元|万元|万|亿元|亿)?$"
)
"""A number as people type it, after NFKC and upper case (a regular expression that Python and
DuckDB read alike): a sign, a currency sign or code, digits with commas between thousands only,
and a unit. Groups: sign, currency, sign, digits, unit."""
UNITS = {"": "1", "元": "1", "%": "0.01", "万": "1e4", "万元": "1e4", "亿": "1e8", "亿元": "1e8"}
"""What each unit of :data:`NUMBER_PATTERN` multiplies by."""
NUMBERS = "a number (e.g. 12,345.6, ¥12,345, 1.2万 or 25%)"
_NUMBER_TEXT = re.compile(NUMBER_PATTERN)


def number_text(text: str) -> float | None:
    """The number a text of :data:`NUMBER_PATTERN` means (``25%`` is 0.25, ``1.2万`` 12,000);
    ``None`` for any other text and for what could be read two ways: two signs, a currency with
    a percent, commas not between thousands (``12,34``)."""
    match = _NUMBER_TEXT.match(cell_text(text).upper())
    if match is None:
        return None
    sign, currency, sign2, digits, unit = match.groups()
    if (sign and sign2) or (currency and unit == "%"):
        return None
    value = float(Decimal(digits.replace(",", "")) * Decimal(UNITS[unit or ""]))
    return -value if "-" in sign + sign2 else value


def _numbers(
    path: Path, values: pd.Series, column: str, rows: np.ndarray, bounded: bool = False
) -> pd.Series:
    """Convert a column to floats; the first cell that is not a finite number, or (unless the
    column has bounds of its own) beyond :data:`AMOUNT`, is an error."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype(float)
        text = values.astype(str)
    else:
        text = values.map(
            lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else cell_text(v)
        )
        numbers = pd.to_numeric(text.str.replace("\u2212", "-"), errors="coerce").astype(float)
        typed = numbers.isna() & (text != "")  # 12,345 / ¥12,345.00 / 12,345元 / 1.2万 / 25%
        if typed.any():
            numbers[typed] = text[typed].map(number_text).astype(float)
        bad = numbers.isna() & (text != "")
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise KamError(path, NUMBERS, quote(text.iloc[i]), row=int(rows[i]), column=column)
    infinite = np.isinf(numbers.to_numpy())
    if infinite.any():
        i = int(np.flatnonzero(infinite)[0])
        raise KamError(
            path, "a finite number", quote(text.iloc[i]), row=int(rows[i]), column=column
        )
    huge = np.abs(numbers.to_numpy()) > AMOUNT
    if huge.any() and not bounded:
        i = int(np.flatnonzero(huge)[0])
        expected = f"a number from -{fmt_bound(AMOUNT)} to {fmt_bound(AMOUNT)}"
        raise KamError(path, expected, quote(text.iloc[i]), row=int(rows[i]), column=column)
    return numbers


DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%Y年%m月%d日",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M",
)


DATE_FORMS = (
    "a date such as 2025-03-04, 2025/3/4, 2025.3.4, 20250304 or 2025年3月4日 "
    "(not 03/04/2025: day and month cannot be told apart)"
)
"""What a date cell may hold: :data:`DATE_FORMATS` as an error message lists them."""


def _parse_date(value: object) -> dt.date | None:
    """A date from an Excel cell or text in one of :data:`DATE_FORMATS`; ``None`` if it is none."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = cell_text(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _is_empty(values: pd.Series) -> pd.Series:
    return values.isna() | values.astype(str).str.strip().eq("")


def _customer_ids(path: Path, values: pd.Series, loaded: Loaded) -> pd.Series:
    """A column of customer IDs by :func:`customer_key` (an empty one stays empty), with the
    note on forms read as another ID."""
    blank = values.map(_blank)
    texts = values.map(lambda v: str(_cell(v)).strip()).where(~blank, "")
    forms = {raw: customer_key(raw) for raw in texts.unique() if raw}
    loaded.warnings.extend(folded_ids(path.name, forms))
    return texts.map(lambda raw: forms.get(raw, "")).astype(object)


def validate(
    path: Path,
    frame: pd.DataFrame,
    table: Table,
    columns: dict[str, str] | None = None,
    reading: Reading | None = None,
) -> Loaded:
    """Check a raw frame against ``table`` (headers mapped by ``columns``, the engagement's
    ``columns:``) and return it with canonical headers and types."""
    rows = frame.index.to_numpy()
    reading = reading or Reading(path)
    renames = canonical_headers(path, list(frame.columns), table, columns, reading.header_row)
    frame = frame.rename(columns=renames).reset_index(drop=True)
    known = {c.name for c in table.columns}
    reading = described(reading, renames, table, columns)
    loaded = Loaded(frame=frame, file=path, rows=[int(r) for r in rows], reading=reading)
    for col in table.columns:
        if col.name not in frame.columns:
            if col.required:
                raise missing_column(path, table, col, renames, reading.header_row)
            if col.default is not None:
                frame[col.name] = col.default
            continue
        values = frame[col.name]
        if col.name == CUSTOMER_ID:
            values = _customer_ids(path, values, loaded)
            frame[col.name] = values
        empty = _is_empty(values)
        if empty.any() and col.default is None and col.required:
            i = int(np.flatnonzero(empty.to_numpy())[0])
            raise KamError(
                path, f"a value for {col.name}", "an empty cell", row=int(rows[i]), column=col.name
            )
        if col.kind == "number":
            bounded = col.minimum is not None and col.maximum is not None
            numbers = _numbers(path, values, col.name, rows, bounded)
            if col.default is not None:
                numbers = numbers.fillna(col.default)
            if col.minimum is not None and (numbers < col.minimum).any():
                i = int(np.flatnonzero((numbers < col.minimum).to_numpy())[0])
                raise KamError(
                    path,
                    f"a number ≥ {fmt_bound(col.minimum)}",
                    quote(values.iloc[i]),
                    row=int(rows[i]),
                    column=col.name,
                )
            if col.maximum is not None and (numbers > col.maximum).any():
                i = int(np.flatnonzero((numbers > col.maximum).to_numpy())[0])
                raise KamError(
                    path,
                    f"a number ≤ {fmt_bound(col.maximum)}",
                    quote(values.iloc[i]),
                    row=int(rows[i]),
                    column=col.name,
                )
            frame[col.name] = numbers
        elif col.kind == "date":
            parsed = values.map(_parse_date)
            text = values.map(
                lambda v: (
                    "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip()
                )
            )
            bad = parsed.isna() & text.ne("")
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise KamError(
                    path,
                    DATE_FORMS,
                    quote(values.iloc[i]),
                    row=int(rows[i]),
                    column=col.name,
                )
            outside = parsed.map(lambda d: d is not None and not FIRST_DATE <= d <= LAST_DATE)
            if outside.any():
                i = int(np.flatnonzero(outside.to_numpy())[0])
                raise KamError(
                    path, DATES, quote(values.iloc[i]), row=int(rows[i]), column=col.name
                )
            frame[col.name] = pd.to_datetime(parsed)
        elif col.kind == "choice":
            assert col.choices is not None
            texts = values.map(
                lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else _norm(v)
            )
            mapped = texts.map(col.choices)
            bad = mapped.isna() & (texts != "")
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                accepted = ", ".join(sorted(set(col.choices.values())))
                raise KamError(
                    path,
                    f"one of {accepted}",
                    quote(values.iloc[i]),
                    row=int(rows[i]),
                    column=col.name,
                )
            frame[col.name] = mapped.fillna(col.default)
        else:
            frame[col.name] = values.map(
                lambda v: (
                    "" if v is None or (isinstance(v, float) and math.isnan(v)) else cell_text(v)
                )
            ).astype(object)
            if not col.free:
                too_long(
                    path, frame[col.name], NAME_CHARS, "a name", lambda i: int(rows[i]), col.name
                )
        if col.unique:
            keys = frame[col.name]
            dup = keys.duplicated(keep=False) & keys.ne("")
            if dup.any():
                first = keys[dup].iloc[0]
                where = [str(rows[i]) for i in np.flatnonzero(keys.eq(first).to_numpy())]
                raise KamError(
                    path,
                    f"each {col.name} once",
                    f"{quote(first)} in rows {', '.join(where)}",
                    column=col.name,
                )
    for name in frame.columns:
        if name in known:
            continue
        if table.extra == "number":
            frame[name] = _numbers(path, frame[name], name, rows, table.extra_range is not None)
            empty = frame[name].isna()
            if empty.any():
                i = int(np.flatnonzero(empty.to_numpy())[0])
                raise KamError(path, NUMBERS, "an empty cell", row=int(rows[i]), column=name)
            if table.extra_range is not None:
                low, high = table.extra_range
                outside = (frame[name] < low) | (frame[name] > high)
                if outside.any():
                    i = int(np.flatnonzero(outside.to_numpy())[0])
                    raise KamError(
                        path,
                        f"a score from {fmt_bound(low)} to {fmt_bound(high)}",
                        quote(f"{frame[name].iloc[i]:g}"),
                        row=int(rows[i]),
                        column=name,
                    )
            loaded.extra.append(name)
        else:
            loaded.warnings.append(Note.of("column_ignored", file=path.name, column=str(name)))
            frame = frame.drop(columns=name)
    if frame.empty:
        raise KamError(path, "at least one data row", "only a header")
    loaded.frame = frame
    return loaded


def read_table(
    path: Path,
    table: Table | str,
    sheet: str | None = None,
    columns: dict[str, str] | None = None,
) -> Loaded:
    """Read and validate one data file.

    Parameters
    ----------
    path
        A ``.csv`` (UTF-8 with or without BOM, GB18030/GBK, or UTF-16 with its BOM, comma- or
        tab-separated), a workbook (``.xlsx``, ``.xlsm``,
        ``.xlsb``, ``.xls``, ``.ods``) or a ``.parquet`` file.
    table
        The template it follows, or its name in :data:`TABLES`.
    sheet
        The worksheet to read (a workbook's); by default the one whose header fits ``table``.
    columns
        Header → column of ``table``, for headers that are no alias of it.
    """
    spec = TABLES[table] if isinstance(table, str) else table
    frame, warnings, reading = read_raw(path, spec, sheet, columns)
    try:
        loaded = validate(path, frame, spec, columns, reading)
    except KamError as exc:
        raise exc.in_sheet(reading.sheet if reading.other_sheets else None) from None
    loaded.warnings[:0] = warnings
    return loaded
