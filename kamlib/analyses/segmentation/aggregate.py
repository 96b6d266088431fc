"""Customer segmentation: the ledger aggregated in DuckDB, once, when it is read. Rows never reach
pandas one by one; only per-customer figures and counts do (the transaction and
financial indicator families, and where every row of the ledger went).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kamlib.analyses.segmentation.methods import Period, months_later
from kamlib.core.ledger import Ledger


def customer_indicators(ledger: Ledger, period: Period, terms_days: int = 90) -> pd.DataFrame:
    """Per-customer indicators (the transaction and financial families), in DuckDB: the
    figures of :func:`ledger_pass`.

    One row per customer with at least one transaction in the ledger; period figures are for
    ``period``, history figures over the ledger up to the period's end
    (``max_year_share``: the largest share of revenue in one of the twelve-month years ending
    with the period; none when the ledger holds one year only).

    The single-indicator families: transaction (``orders``, ``revenue``, ``profit``, ``margin``,
    ``average_order``, ``largest_order``, ``returns`` and ``return_lines``: the amount and the
    count of return lines, ``purchase_cycle_days``: the mean days between consecutive orders
    with sales, (last order date − first) ÷ (orders − 1), an order dated by its first line)
    and, with ``paid_date``, financial (``largest_receipt`` and ``average_receipt``: the
    largest and the mean paid sale line; ``collection_days``: the mean days from a sale to its
    payment; ``average_outstanding``: the amount owed on an average day of the period, by every
    sale, before the period or in it, until it is paid; ``outstanding_ratio``: that ÷ the
    period's sales; ``overdue_share``).
    """
    return ledger_pass(ledger, period, None, terms_days)[1]


def ledger_pass(
    ledger: Ledger, period: Period, report_date: dt.date | None, terms_days: int = 90
) -> tuple[dict[str, float], pd.DataFrame]:
    """Every figure the segmentation takes from the ledger: where every row went (nothing is
    dropped without being counted: :data:`ACCOUNTING`), the period's revenue and the counts
    behind the data-quality notes (rows without a customer and their amount, rows dated after
    the report date and their amount, zero amounts, rows paid before their date, profits above
    their amount, and ``duplicates``: rows in the period that repeat another row exactly), and
    the per-customer indicators (:func:`customer_indicators`).

    Three scans of the rows: every row into cells (customer, rows without one too, × year ×
    period bucket), whose sums give the counts and the customers' period, history and payment
    figures; the period's rows by customer and order, which gives the orders; and the period's
    rows by a hash of the whole row, which gives the duplicates. Everything else works on the
    cells (a few per customer). ``report_date`` ``None``: no row counts as future.
    """
    has = ledger.has
    profit = "sum(profit)" if has("profit") else "NULL::DOUBLE"
    quantity = "sum(quantity)" if has("quantity") else "NULL::DOUBLE"
    if has("paid_date"):
        paid = "paid_date IS NOT NULL AND amount > 0"
        late = (
            "amount > 0 AND ((paid_date IS NULL AND date < $due) "
            f"OR paid_date - date > {terms_days})"
        )
        # the days of the period a sale was owed: from its date (or the period's start) to its
        # payment (or the period's end), whichever sale it is, before the period or in it
        owed = "greatest(least(coalesce(paid_date, $after), $after) - greatest(date, $start), 0)"
        financial = (
            f"sum(paid_date - date) FILTER ({paid}) AS collection_sum, "
            f"count(*) FILTER ({paid}) AS collection_n, "
            f"sum(amount) FILTER ({paid}) AS receipt_sum, "
            f"sum(amount) FILTER ({late}) AS late, "
            "max(amount) FILTER (paid_date IS NOT NULL) AS largest_receipt, "
            # in DOUBLE: an average over days needs no cent, and DECIMAL products cost
            f"sum(amount::DOUBLE * {owed}) FILTER (amount > 0) AS owed, "
            "count(*) FILTER (paid_date < date) AS paid_before"
        )
    else:
        financial = (
            "NULL::DOUBLE AS collection_sum, 0 AS collection_n, NULL::DOUBLE AS receipt_sum, "
            "NULL::DOUBLE AS late, NULL::DOUBLE AS largest_receipt, NULL::DOUBLE AS owed, "
            "0 AS paid_before"
        )
    profit_above = "count(*) FILTER (amount > 0 AND profit > amount)" if has("profit") else "0"
    future = "date > $report" if report_date is not None else "false"
    # lines without an order number are orders of their own
    if not has("order_id"):
        order_key = "rowid"
    elif ledger.lines_without_order:
        order_key = "order_id, CASE WHEN order_id IS NULL THEN rowid END"
    else:
        order_key = "order_id"
    # The years of the history: the twelve months ending with the period (0), the twelve before
    # them (1), ... back to the ledger's first date; rows after the period are in none. With
    # one year only, no customer's revenue can be anywhere but in one year: no share.
    after = period.end + dt.timedelta(days=1)
    starts = [months_later(after, -12)]
    while starts[-1] > ledger.first:
        starts.append(months_later(after, -12 * (len(starts) + 1)))
    year = " ".join(f"WHEN date >= DATE '{start}' THEN {k}" for k, start in enumerate(starts))
    year_share = (
        "max(amount) / nullif(sum(amount) FILTER (amount > 0), 0)"
        if len(starts) > 1
        else "NULL::DOUBLE"
    )
    # scan 1: every row into cells (customer, rows without one too, × year × period bucket:
    # 1 = the period, 2 = the previous period, 0 = other); a row after the period is in no
    # year (y is NULL), every other is in one
    cells = f"""
    CREATE OR REPLACE TEMP TABLE kam_cells AS
    SELECT customer_id, CASE WHEN date > $end THEN NULL {year} END AS y,
           CASE WHEN date BETWEEN $start AND $end THEN 1
                WHEN date BETWEEN $prev_start AND $prev_end THEN 2 ELSE 0 END AS b,
           sum(amount) AS amount, {profit} AS profit, {quantity} AS quantity,
           count(*) AS lines, -sum(amount) FILTER (amount < 0) AS returns,
           count(*) FILTER (amount < 0) AS return_lines, min(date) AS first,
           max(date) AS last, sum(amount) FILTER (amount > 0) AS positive, {financial},
           count(*) FILTER ({future}) AS future, sum(amount) FILTER ({future}) AS future_amount,
           count(*) FILTER (amount = 0) AS zero, {profit_above} AS profit_above
    FROM ledger_rows GROUP BY ALL
    """
    sql = f"""
    WITH years AS (SELECT customer_id, y, sum(amount) AS amount FROM kam_cells
                   WHERE customer_id IS NOT NULL AND y IS NOT NULL GROUP BY ALL),
    hist AS (SELECT customer_id, {year_share} AS max_year_share FROM years GROUP BY ALL),
    orders AS (
        SELECT customer_id, count(*) AS orders, max(amount) AS largest_order,
               sum(amount) FILTER (amount > 0) AS order_sales,
               (max(day) FILTER (amount > 0) - min(day) FILTER (amount > 0))
                   / nullif(count(*) FILTER (amount > 0) - 1, 0) AS purchase_cycle_days
        FROM (SELECT customer_id, sum(amount) AS amount, min(date) AS day FROM ledger_rows
              WHERE customer_id IS NOT NULL AND date BETWEEN $start AND $end
              GROUP BY customer_id, {order_key})
        GROUP BY ALL),
    customers AS (
        SELECT customer_id,
               sum(amount) FILTER (b = 1) AS revenue, sum(profit) FILTER (b = 1) AS profit,
               sum(quantity) FILTER (b = 1) AS quantity, sum(lines) FILTER (b = 1) AS lines,
               sum(returns) FILTER (b = 1) AS returns,
               sum(return_lines) FILTER (b = 1) AS return_lines,
               max(last) FILTER (b = 1) AS last_date,
               sum(collection_sum) FILTER (b = 1) / nullif(sum(collection_n) FILTER (b = 1), 0)
                   AS collection_days,
               sum(late) FILTER (b = 1) / nullif(sum(positive) FILTER (b = 1), 0)
                   AS overdue_share,
               max(largest_receipt) FILTER (b = 1) AS largest_receipt,
               sum(receipt_sum) FILTER (b = 1) / nullif(sum(collection_n) FILTER (b = 1), 0)
                   AS average_receipt,
               sum(owed) / $days AS average_outstanding,
               sum(positive) FILTER (b = 1) AS sales,
               sum(amount) FILTER (b = 2) AS prev_revenue, min(first) AS first_date,
               sum(amount) AS lifetime_revenue
        FROM kam_cells WHERE customer_id IS NOT NULL GROUP BY ALL)
    SELECT customers.*, orders.orders, orders.largest_order, orders.order_sales,
           orders.purchase_cycle_days, hist.max_year_share
    FROM customers
    LEFT JOIN orders USING (customer_id)
    LEFT JOIN hist USING (customer_id)
    ORDER BY customer_id
    """
    known = "customer_id IS NOT NULL"
    measures = {
        "rows": "sum(lines)",
        "no_customer": f"sum(lines) FILTER (NOT {known})",
        "before_period": f"sum(lines) FILTER ({known} AND b <> 1 AND y IS NOT NULL)",
        "in_period": f"sum(lines) FILTER ({known} AND b = 1)",
        "after_period": f"sum(lines) FILTER ({known} AND y IS NULL)",
        "period_revenue": f"sum(amount) FILTER ({known} AND b = 1)",
        "no_customer_amount": f"sum(amount) FILTER (NOT {known})",
        "future": "sum(future)",
        "future_amount": "sum(future_amount)",
        "zero": "sum(zero)",
        "paid_before": "sum(paid_before)",
        "profit_above": "sum(profit_above)",
    }
    totals = ", ".join(f"coalesce({sql}, 0)" for sql in measures.values())
    prev = period.previous()
    params = {
        "start": period.start,
        "end": period.end,
        "prev_start": prev.start,
        "prev_end": prev.end,
        "days": (period.end - period.start).days + 1,
        "report": report_date,
    }
    if has("paid_date"):
        params["after"] = period.end + dt.timedelta(days=1)
        params["due"] = period.end - dt.timedelta(days=terms_days)
    con = ledger.con

    def run(query: str):
        return con.execute(query, {k: v for k, v in params.items() if f"${k}" in query})

    # rows in the period that repeat another row exactly, one hash per row
    duplicates = (
        "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM ledger_rows "
        f"WHERE date BETWEEN $start AND $end GROUP BY hash({', '.join(ledger.columns)}) "
        "HAVING count(*) > 1)"
    )
    try:
        run(cells)
        row = con.execute(f"SELECT {totals} FROM kam_cells").fetchone()
        frame = run(sql).df()
        (duplicates,) = run(duplicates).fetchone()
    finally:
        con.execute("DROP TABLE IF EXISTS kam_cells")
    scan = {
        key: (float(v) if key.endswith(("amount", "revenue")) else int(v))
        for key, v in zip(measures, row)
    }
    scan["duplicates"] = int(duplicates)
    frame = frame.set_index("customer_id")
    frame.index = pd.Index(frame.index.astype(str).to_numpy(dtype=object), name="customer_id")
    for col in ("last_date", "first_date"):
        frame[col] = pd.to_datetime(frame[col])
    counts = ["lines", "orders", "return_lines"]
    frame[counts] = frame[counts].fillna(0).astype(int)
    # a customer of the period without a return returned nothing: 0, not unknown
    frame["returns"] = frame["returns"].where(frame["lines"] == 0, frame["returns"].fillna(0))
    # a customer of the period is one whose net revenue in it is positive: returns alone, or a
    # sale and its return, make none
    frame["active"] = frame["revenue"].fillna(0) > 0
    end = pd.Timestamp(period.end)
    frame["average_order"] = frame["revenue"] / frame["orders"].replace(0, np.nan)
    # of the period's sales (its orders before returns): a return never makes one order more
    frame["largest_order_share"] = frame["largest_order"] / frame["order_sales"].where(
        frame["order_sales"] > 0
    )
    frame["margin"] = frame["profit"] / frame["revenue"].where(frame["revenue"] > 0)
    frame["recency_days"] = (end - frame["last_date"]).dt.days
    frame["outstanding_ratio"] = frame["average_outstanding"] / frame["sales"].where(
        frame["sales"] > 0
    )
    frame["growth"] = frame["revenue"] / frame["prev_revenue"].where(frame["prev_revenue"] > 0) - 1
    return scan, frame


ACCOUNTING = ("rows", "no_customer", "before_period", "in_period", "after_period")
