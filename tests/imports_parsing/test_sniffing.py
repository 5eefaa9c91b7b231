"""Format, encoding, delimiter, header row and headers come from the bytes, not the name."""

import codecs

import pytest

from imports.parsing import iter_rows, sniff

from .files import write_csv, write_xlsx

ROWS = [["sku", "title", "price"], ["A-1", "Kettle, steel", "12.50"], ["B-2", "水杯", "9.90"]]


def test_a_plain_utf8_csv_is_read_with_its_headers_and_a_preview(tmp_path):
    info = sniff(write_csv(tmp_path / "p.csv", ROWS), filename="p.csv")
    assert (info.format, info.encoding, info.delimiter, info.header_row) == ("csv", "utf-8", ",", 1)
    assert info.headers == ["sku", "title", "price"]
    assert info.preview == [["A-1", "Kettle, steel", "12.50"], ["B-2", "水杯", "9.90"]]
    assert info.estimated_rows == 2


def test_a_utf8_bom_is_recognised_and_not_left_on_the_first_header(tmp_path):
    info = sniff(write_csv(tmp_path / "p.csv", ROWS, bom=True), filename="p.csv")
    assert info.encoding == "utf-8-sig"
    assert info.headers[0] == "sku"
    assert list(iter_rows(tmp_path / "p.csv", info))[0] == (2, ["A-1", "Kettle, steel", "12.50"])


def test_a_gbk_file_with_chinese_headers_is_read_as_gb18030(tmp_path):
    rows = [["订单编号", "商品编码", "购买数量", "订单状态"], ["1001", "A-1", "2", "交易成功"]]
    path = write_csv(tmp_path / "淘宝.csv", rows, encoding="gbk")
    info = sniff(path, filename="淘宝.csv")
    assert info.encoding == "gb18030"
    assert info.headers == ["订单编号", "商品编码", "购买数量", "订单状态"]
    assert list(iter_rows(path, info)) == [(2, ["1001", "A-1", "2", "交易成功"])]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_files_from_excel_unicode_text_are_read(tmp_path, encoding):
    path = write_csv(tmp_path / "u.txt", ROWS, encoding=encoding, delimiter="\t")
    info = sniff(path, filename="u.txt")
    assert info.encoding.startswith("utf-16")
    assert info.delimiter == "\t"
    assert [cells for _n, cells in iter_rows(path, info)][1] == ["B-2", "水杯", "9.90"]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_semicolon_tab_and_pipe_delimiters_are_detected(tmp_path, delimiter):
    rows = [["sku", "price", "note"], ["A", "1,50", "x, y"], ["B", "2,00", "z"]]
    info = sniff(write_csv(tmp_path / "d.csv", rows, delimiter=delimiter), filename="d.csv")
    assert info.delimiter == delimiter
    assert info.headers == ["sku", "price", "note"]


def test_an_excel_sep_line_sets_the_delimiter_and_is_skipped(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("sep=;\nsku;units\nA;3\n", encoding="utf-8")
    info = sniff(path, filename="s.csv")
    assert (info.delimiter, info.header_row, info.headers) == (";", 2, ["sku", "units"])
    assert list(iter_rows(path, info)) == [(3, ["A", "3"])]


def test_title_lines_above_the_header_are_skipped(tmp_path):
    rows = [
        ["订单报表 2026-03-01 至 2026-03-31"],
        [],
        ["订单编号", "商品编码", "购买数量", "实付金额"],
        ["1001", "A-1", "2", "59.90"],
    ]
    path = write_csv(tmp_path / "report.csv", rows, encoding="gbk")
    info = sniff(path, filename="report.csv")
    assert info.header_row == 3
    assert info.headers == ["订单编号", "商品编码", "购买数量", "实付金额"]
    assert list(iter_rows(path, info)) == [(4, ["1001", "A-1", "2", "59.90"])]


def test_unknown_headers_are_still_found_as_the_first_wide_text_row(tmp_path):
    rows = [["Export"], ["Alpha", "Beta", "Gamma"], ["1", "2", "3"]]
    info = sniff(write_csv(tmp_path / "x.csv", rows), filename="x.csv")
    assert (info.header_row, info.headers) == (2, ["Alpha", "Beta", "Gamma"])


def test_duplicate_and_empty_header_names_are_made_unique(tmp_path):
    rows = [["sku", "Price", "", "Price", "price "], ["A", "1", "2", "3", "4"]]
    info = sniff(write_csv(tmp_path / "h.csv", rows), filename="h.csv")
    assert info.headers == ["sku", "Price", "[C]", "Price (2)", "price"]


def test_a_chosen_header_row_and_delimiter_override_the_guess(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("a;b\nsku;units\nA;3\n", encoding="utf-8")
    info = sniff(path, filename="o.csv", header_row=2, delimiter=";")
    assert info.headers == ["sku", "units"]


def test_a_workbook_is_recognised_by_its_content_whatever_its_name(tmp_path):
    path = write_xlsx(tmp_path / "orders.csv", ROWS, sheet_title="Orders", extra_sheets=["Notes"])
    info = sniff(path, filename="orders.csv")
    assert (info.format, info.sheet, info.sheets) == ("xlsx", "Orders", ["Orders", "Notes"])
    assert info.headers == ["sku", "title", "price"]
    assert info.preview[0] == ["A-1", "Kettle, steel", "12.50"]


def test_the_first_sheet_with_data_is_chosen_unless_one_is_named(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "Cover"
    data = workbook.create_sheet("Data")
    data.append(["sku", "units"])
    data.append(["A", 1])
    other = workbook.create_sheet("Other")
    other.append(["sku", "on_hand"])
    workbook.save(tmp_path / "w.xlsx")
    assert sniff(tmp_path / "w.xlsx").sheet == "Data"
    assert sniff(tmp_path / "w.xlsx", sheet="Other").headers == ["sku", "on_hand"]


def test_file_info_survives_a_round_trip_through_json(tmp_path):
    import json

    from imports.parsing import FileInfo

    info = sniff(write_csv(tmp_path / "p.csv", ROWS), filename="p.csv")
    again = FileInfo.from_dict(json.loads(json.dumps(info.as_dict())))
    assert again == info
    assert list(iter_rows(tmp_path / "p.csv", again)) == list(iter_rows(tmp_path / "p.csv", info))


def test_a_gb18030_sample_of_latin1_bytes_is_not_mistaken_for_chinese(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("sku,title\nA,Crème brûlée façon grand-mère\n".encode("cp1252"))
    from imports.parsing import ImportFileError

    with pytest.raises(ImportFileError) as caught:
        sniff(path, filename="latin.csv")
    assert caught.value.code == "unknown_encoding"
    assert "UTF-8" in caught.value.message
    assert codecs.lookup("gb18030")


def test_a_chosen_encoding_reads_a_file_detection_refused(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("sku,title\nA,Crème brûlée\n".encode("cp1252"))
    info = sniff(path, filename="latin.csv", encoding="windows-1252")
    assert info.encoding == "cp1252"
    assert list(iter_rows(path, info)) == [(2, ["A", "Crème brûlée"])]


@pytest.mark.parametrize(
    "overrides, code",
    [
        ({"encoding": "rot13"}, "unknown_encoding"),
        ({"encoding": "no-such-codec"}, "unknown_encoding"),
        ({"delimiter": ";;"}, "bad_delimiter"),
        ({"delimiter": '"'}, "bad_delimiter"),
        ({"header_row": 0}, "no_header"),
        ({"header_row": 99}, "no_header"),
    ],
)
def test_unusable_overrides_are_refused_with_a_clear_error(tmp_path, overrides, code):
    from imports.parsing import ImportFileError

    path = write_csv(tmp_path / "p.csv", ROWS)
    with pytest.raises(ImportFileError) as caught:
        sniff(path, filename="p.csv", **overrides)
    assert caught.value.code == code
