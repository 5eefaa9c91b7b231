"""Reading streams: memory stays flat however long the file is."""

import tracemalloc

from imports.parsing import RowValidator, iter_rows, sniff, suggest_mapping

from .helpers import NOW

HEADER = "order_number,line_key,sku,quantity,amount,ordered_at,status\n"


def write_orders(path, rows: int):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for n in range(rows):
            handle.write(
                f"{n},{n}-1,SKU-{n % 5000:05d},2,59.90,2026-03-05 10:{n % 60:02d}:00,paid\n"
            )
    return path


def peak_while_reading(path) -> tuple[int, int]:
    info = sniff(path, filename=path.name)
    _preset, mapping = suggest_mapping("orders", info.headers)
    validator = RowValidator(kind="orders", mapping=mapping, headers=info.headers, now=NOW)
    tracemalloc.start()
    try:
        count = 0
        for number, cells in iter_rows(path, info):
            record, _problems = validator.validate(number, cells)
            count += record is not None
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_file_ten_times_longer_needs_no_more_memory_to_read(tmp_path):
    short_count, short_peak = peak_while_reading(write_orders(tmp_path / "s.csv", 2_000))
    long_path = write_orders(tmp_path / "l.csv", 20_000)
    long_count, long_peak = peak_while_reading(long_path)
    assert (short_count, long_count) == (2_000, 20_000)
    assert long_peak < short_peak * 1.5 + 64 * 1024
    assert long_peak < long_path.stat().st_size / 4
