"""Hostile files get one clear error (a stable code and a sentence) and nothing else."""

import os
import random
import time

import pytest

from imports.parsing import ImportFileError, iter_rows, sniff

from .files import write_csv, write_xlsx, zip_bomb


def refused(path, filename="upload.csv") -> ImportFileError:
    """The error sniffing or reading every row of the file raises."""
    with pytest.raises(ImportFileError) as caught:
        info = sniff(path, filename=filename)
        for _row in iter_rows(path, info):
            pass
    assert caught.value.message and not caught.value.message.startswith(("Traceback", "'"))
    return caught.value


def test_an_empty_file_is_refused(tmp_path):
    (tmp_path / "e.csv").write_bytes(b"")
    assert refused(tmp_path / "e.csv").code == "empty_file"


def test_a_file_of_blank_lines_is_refused_as_empty(tmp_path):
    (tmp_path / "e.csv").write_text("\n \r\n\t\n")
    assert refused(tmp_path / "e.csv").code == "empty_file"


def test_a_header_only_file_has_headers_and_no_rows(tmp_path):
    path = write_csv(tmp_path / "h.csv", [["sku", "on_hand"]])
    info = sniff(path, filename="h.csv")
    assert info.headers == ["sku", "on_hand"]
    assert info.preview == []
    assert list(iter_rows(path, info)) == []


def test_blank_lines_are_skipped_and_row_numbers_stay_those_excel_shows(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("sku,on_hand\n\nA,1\n,\n\nB,2\n")
    assert list(iter_rows(path, sniff(path))) == [(3, ["A", "1"]), (6, ["B", "2"])]


def test_random_binary_data_is_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(random.Random(8).randbytes(20_000))
    assert refused(path).code in ("binary_file", "unknown_encoding")


@pytest.mark.parametrize(
    "head", [b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\x1f\x8b\x08\x00", b"\x7fELF\x02"]
)
def test_pdfs_images_archives_and_programs_are_refused_as_binary(tmp_path, head):
    path = tmp_path / "x.csv"
    path.write_bytes(head + b"sku,title\nA,B\n" * 10)
    assert refused(path, "orders.csv").code == "binary_file"


def test_a_legacy_xls_is_refused_with_save_as_xlsx_or_csv(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))
    error = refused(path, "old.xls")
    assert error.code == "legacy_excel"
    assert ".xlsx" in error.message and "CSV" in error.message


def test_an_html_table_saved_as_xls_is_refused(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>sku</td></tr></table></body></html>")
    assert refused(path, "export.xls").code == "not_a_spreadsheet"


def test_a_truncated_workbook_is_refused_as_damaged(tmp_path):
    rows = [["sku", "units"]] + [[f"S{n}", n] for n in range(2000)]
    data = write_xlsx(tmp_path / "full.xlsx", rows).read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    assert refused(tmp_path / "cut.xlsx", "cut.xlsx").code == "corrupt_file"


def test_a_workbook_claiming_a_zip_version_python_cannot_read_is_refused_as_damaged(tmp_path):
    # Found by the fuzz test: zipfile raises NotImplementedError, not BadZipFile, for it.
    data = bytearray(write_xlsx(tmp_path / "full.xlsx", [["sku", "units"], ["S1", 1]]).read_bytes())
    entry = data.index(b"PK\x01\x02")  # the first central directory entry
    data[entry + 6 : entry + 8] = (64).to_bytes(2, "little")  # "needs zip version 6.4"
    (tmp_path / "v64.xlsx").write_bytes(bytes(data))
    assert refused(tmp_path / "v64.xlsx", "v64.xlsx").code == "corrupt_file"


def test_a_workbook_with_damaged_sheet_data_is_refused_as_damaged(tmp_path):
    import zipfile

    rows = [["sku", "units"]] + [[f"S{n}", n] for n in range(3000)]
    write_xlsx(tmp_path / "ok.xlsx", rows)
    with (
        zipfile.ZipFile(tmp_path / "ok.xlsx") as source,
        zipfile.ZipFile(tmp_path / "bad.xlsx", "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # XML cut off mid-row
            target.writestr(item, data)
    assert refused(tmp_path / "bad.xlsx", "bad.xlsx").code == "corrupt_file"


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "a.xlsx", "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert refused(tmp_path / "a.xlsx", "a.xlsx").code == "not_a_spreadsheet"


def test_a_zip_bomb_of_gigabytes_is_refused_quickly_without_inflating(tmp_path):
    path = zip_bomb(tmp_path / "bomb.xlsx", megabytes=2048)
    assert os.path.getsize(path) < 3 * 1024 * 1024
    began = time.monotonic()
    error = refused(path, "bomb.xlsx")
    assert error.code == "zip_bomb"
    # Inflating 2 GB takes several seconds; reading the zip directory takes milliseconds.
    assert time.monotonic() - began < 0.5


def test_a_small_part_that_expands_too_many_times_is_refused(tmp_path, settings):
    path = zip_bomb(tmp_path / "ratio.xlsx", megabytes=20)
    assert refused(path, "ratio.xlsx").code == "zip_bomb"


def test_too_many_parts_in_a_workbook_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_XLSX_MEMBERS = 5
    path = write_xlsx(tmp_path / "w.xlsx", [["sku"], ["A"]])
    assert refused(path, "w.xlsx").code == "zip_bomb"


def test_ten_thousand_columns_are_refused(tmp_path):
    path = write_csv(tmp_path / "wide.csv", [[f"c{n}" for n in range(10_000)], ["1"] * 10_000])
    error = refused(path)
    assert error.code == "too_many_columns"
    assert "10,000" in error.message


def test_a_data_row_wider_than_the_limit_is_refused_at_its_row(tmp_path):
    rows = [["sku", "units"], ["A", "1"], ["B"] + ["x"] * 10_000]
    error = refused(write_csv(tmp_path / "w.csv", rows))
    assert error.code == "too_many_columns"
    assert "Row 3 " in error.message


def test_ten_thousand_columns_in_a_workbook_are_refused(tmp_path):
    path = write_xlsx(tmp_path / "wide.xlsx", [[f"c{n}" for n in range(10_000)]])
    assert refused(path, "wide.xlsx").code == "too_many_columns"


def test_a_one_megabyte_cell_is_refused(tmp_path):
    rows = [["sku", "description"], ["A", "x" * 1_000_000]]
    error = refused(write_csv(tmp_path / "big.csv", rows))
    assert error.code in ("cell_too_large", "line_too_long")
    assert "Row 2 " in error.message


def test_a_one_megabyte_cell_spread_over_many_lines_is_refused(tmp_path):
    rows = [["sku", "description"], ["A", "short"], ["B", "line of text\n" * 80_000]]
    error = refused(write_csv(tmp_path / "big.csv", rows))
    assert error.code == "cell_too_large"
    assert "Row 3 " in error.message


def test_a_one_megabyte_cell_in_a_workbook_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_CELL_BYTES = 1000
    path = write_xlsx(tmp_path / "big.xlsx", [["sku", "description"], ["A", "x" * 5000]])
    assert refused(path, "big.xlsx").code == "cell_too_large"


def test_a_quote_that_is_never_closed_is_refused_with_its_row(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('sku,title,price\nA,"Kettle,12\nB,Cup,3\n')
    error = refused(path)
    assert error.code == "unclosed_quote"
    assert "Row 2 " in error.message


def test_text_after_a_closing_quote_is_refused(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('sku,title,price\nA,"Kettle" 2L,12\n')
    assert refused(path).code == "unclosed_quote"


def test_an_unclosed_quote_beyond_the_sniffed_sample_is_refused_while_reading(tmp_path):
    path = tmp_path / "late.csv"
    good = "".join(f"S{n},Title {n},{n}\n" for n in range(60_000))
    path.write_text("sku,title,price\n" + good + 'X,"never closed,1\nY,ok,2\n')
    info = sniff(path, filename="late.csv")
    with pytest.raises(ImportFileError) as caught:
        for _row in iter_rows(path, info):
            pass
    assert caught.value.code == "unclosed_quote"
    assert "Row 60002 " in caught.value.message


def test_bytes_that_are_not_the_files_encoding_far_into_it_are_refused_with_the_row(tmp_path):
    path = tmp_path / "mixed.csv"
    ascii_part = "".join(f"S{n},{n}\n" for n in range(150_000)).encode()
    path.write_bytes(b"sku,units\n" + ascii_part + "Z,订单\n".encode("gbk"))
    info = sniff(path, filename="mixed.csv")
    assert info.encoding == "utf-8"
    with pytest.raises(ImportFileError) as caught:
        for _row in iter_rows(path, info):
            pass
    assert caught.value.code == "decode_error"
    assert "UTF-8" in caught.value.message


def test_more_rows_than_the_limit_are_refused(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 100
    rows = [["sku", "units"]] + [[f"S{n}", "1"] for n in range(150)]
    assert refused(write_csv(tmp_path / "many.csv", rows)).code == "too_many_rows"


def test_a_file_error_is_an_api_error_with_its_code():
    from core.api.errors import ApiError

    error = ImportFileError("zip_bomb", "No.")
    assert isinstance(error, ApiError)
    assert (error.code, error.error_code, error.status_code, str(error)) == (
        "zip_bomb",
        "zip_bomb",
        400,
        "No.",
    )
