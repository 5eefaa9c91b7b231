"""Parse + validate speed of the import file layer, on one core, without a database.

    .venv/bin/python bench/import_parse.py --rows 200000 [--json PATH]

Generates an orders CSV of `--rows` lines over 5,000 SKUs and two years twice (EcomOps
template headers in UTF-8, Taobao-style Chinese headers in GBK), then times `sniff` +
`iter_rows` + `RowValidator.validate` over each (records are dropped as they come, as a
loader that writes in batches does), and as the baseline in the same run a bare `csv.reader`
pass over the same file (reading only). Rates are per CPU second of this one process, so a
busy machine does not distort them; wall seconds are printed too. `--json` writes {"rows",
"utf8_rows_per_s", "gbk_rows_per_s", "utf8_csv_read_rows_per_s", "gbk_csv_read_rows_per_s",
"utf8_seconds", "gbk_seconds", "utf8_cpu_seconds", "gbk_cpu_seconds"}.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

GENERIC_HEADERS = [
    "order_number",
    "line_key",
    "sku",
    "quantity",
    "amount",
    "refunded_amount",
    "ordered_at",
    "status",
]
TAOBAO_HEADERS = [
    "订单编号",
    "子订单编号",
    "商品编码",
    "购买数量",
    "实付金额",
    "退款金额",
    "订单创建时间",
    "订单状态",
]
TAOBAO_STATUSES = ["交易成功"] * 17 + ["交易关闭", "卖家已发货，等待买家确认", "退款成功"]
GENERIC_STATUSES = ["paid"] * 17 + ["cancelled", "pending", "refunded"]


def generate(path: Path, rows: int, *, headers, statuses, encoding: str, seed: int = 8) -> None:
    rng = random.Random(seed)
    skus = [f"SKU-{number:05d}" for number in range(5000)]
    start = dt.datetime(2024, 11, 1, 8, 0, 0)
    span = 730 * 86400
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        order, line = 100000000, 0
        for _ in range(rows):
            if line == 0 or rng.random() < 0.7:
                order += 1
                line = 0
                moment = start + dt.timedelta(seconds=rng.randrange(span))
            line += 1
            quantity = rng.choice((1, 1, 1, 2, 2, 3, 5))
            price = rng.choice((9.9, 19.9, 29.95, 49.0, 99.0, 199.0))
            status = rng.choice(statuses)
            refund = "退款" in status or status == "refunded"
            refunded = f"{price * quantity:.2f}" if refund else "0"
            writer.writerow(
                [
                    order,
                    f"{order}-{line}",
                    rng.choice(skus),
                    quantity,
                    f"{price * quantity:.2f}",
                    refunded,
                    moment.strftime("%Y-%m-%d %H:%M:%S"),
                    status,
                ]
            )


def parse_all(path: Path, *, kind: str = "orders") -> tuple[int, int, float, float]:
    """(valid rows, rejected rows, wall seconds, CPU seconds) of reading the whole file."""
    from imports.parsing import RowValidator, iter_rows, sniff, suggest_mapping

    began, began_cpu = time.perf_counter(), time.process_time()
    info = sniff(path, filename=path.name)
    preset, mapping = suggest_mapping(kind, info.headers)
    validator = RowValidator(
        kind=kind,
        mapping=mapping,
        options={"preset": preset, "date_order": info.date_order},
        tz="Asia/Shanghai",
        headers=info.headers,
    )
    valid = rejected = 0
    validate = validator.validate
    for number, cells in iter_rows(path, info):
        record, _problems = validate(number, cells)
        if record is None:
            rejected += 1
        else:
            valid += 1
    return valid, rejected, time.perf_counter() - began, time.process_time() - began_cpu


def bare_read(path: Path, encoding: str) -> float:
    """CPU seconds of a bare csv.reader pass over the file (the baseline)."""
    began = time.process_time()
    with open(path, encoding=encoding, newline="") as handle:
        for _row in csv.reader(handle):
            pass
    return time.process_time() - began


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecomops.settings")
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    results = {"rows": args.rows}
    with tempfile.TemporaryDirectory(prefix="ecomops-parse-") as folder:
        table = []
        for label, headers, statuses, encoding in (
            ("utf8", GENERIC_HEADERS, GENERIC_STATUSES, "utf-8"),
            ("gbk", TAOBAO_HEADERS, TAOBAO_STATUSES, "gbk"),
        ):
            path = Path(folder) / f"orders-{label}.csv"
            generate(path, args.rows, headers=headers, statuses=statuses, encoding=encoding)
            read_cpu = bare_read(path, encoding)
            valid, rejected, seconds, cpu = parse_all(path)
            if valid + rejected != args.rows or rejected:
                print(f"{label}: {rejected} of {args.rows} rows rejected", file=sys.stderr)
                return 1
            results[f"{label}_seconds"] = round(seconds, 3)
            results[f"{label}_cpu_seconds"] = round(cpu, 3)
            results[f"{label}_rows_per_s"] = round(args.rows / cpu)
            results[f"{label}_csv_read_rows_per_s"] = round(args.rows / read_cpu)
            mb = path.stat().st_size / 1e6
            table.append((label, mb, seconds, cpu, args.rows / cpu, args.rows / read_cpu))
    print(
        f"{'file':<6} {'MB':>6} {'wall s':>7} {'CPU s':>7} {'rows/CPU-s':>11} "
        f"{'bare csv.reader rows/CPU-s':>27} {'ratio':>6}"
    )
    for label, mb, seconds, cpu, rate, baseline in table:
        print(
            f"{label:<6} {mb:>6.1f} {seconds:>7.2f} {cpu:>7.2f} {rate:>11,.0f} "
            f"{baseline:>27,.0f} {rate / baseline:>6.0%}"
        )
    if args.json:
        args.json.write_text(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
