"""Builders of the files the parsing tests feed in: CSV text in any encoding, workbooks, and
the hostile ones (a zip bomb made from repeated zeros, truncated or damaged workbooks)."""

from __future__ import annotations

import csv
import io
import struct
import zlib
from pathlib import Path

import openpyxl


def write_csv(path: Path, rows, *, encoding="utf-8", delimiter=",", bom=False) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


def write_xlsx(path: Path, rows, *, sheet_title="Sheet1", extra_sheets=()) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    for title in extra_sheets:
        workbook.create_sheet(title)
    workbook.save(path)
    return path


def zip_bomb(path: Path, *, megabytes: int) -> Path:
    """A workbook-shaped zip whose sheet expands to `megabytes` MB of zeros.

    The deflate stream is one block of 1 MB of zeros, compressed once and repeated (each block
    ends with a full flush, so blocks do not refer to each other): a 2 GB sheet costs 2 MB on
    disk and well under a second to build. The CRC is the true one, so the archive is valid.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(1 << 20)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert block == first
    crc = 0
    big = bytes(16 << 20)
    for _ in range(megabytes // 16):
        crc = zlib.crc32(big, crc)
    for _ in range(megabytes % 16):
        crc = zlib.crc32(zeros, crc)
    members = [
        _member("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
        _member("xl/workbook.xml", b'<?xml version="1.0"?><workbook/>'),
    ]
    with open(path, "wb") as handle:
        directory = []
        for name, data, method, size, member_crc in members:
            directory.append(_write_local(handle, name, data, method, size, member_crc))
        tail = compressor.flush()
        name = "xl/worksheets/sheet1.xml"
        offset = handle.tell()
        encoded = name.encode()
        compressed_size = len(block) * megabytes + len(tail)
        size = megabytes << 20
        handle.write(_local_header(encoded, 8, crc, compressed_size, size))
        for _ in range(megabytes):
            handle.write(block)
        handle.write(tail)
        directory.append((encoded, 8, crc, compressed_size, size, offset))
        _write_directory(handle, directory)
    return path


def _member(name: str, data: bytes):
    return name, data, 0, len(data), zlib.crc32(data)


def _local_header(name: bytes, method: int, crc: int, compressed: int, size: int) -> bytes:
    return (
        struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, compressed, size, len(name), 0
        )
        + name
    )


def _write_local(handle, name, data, method, size, crc):
    offset = handle.tell()
    encoded = name.encode()
    handle.write(_local_header(encoded, method, crc, len(data), size))
    handle.write(data)
    return encoded, method, crc, len(data), size, offset


def _write_directory(handle, directory) -> None:
    start = handle.tell()
    for name, method, crc, compressed, size, offset in directory:
        handle.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                compressed,
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    end = handle.tell()
    handle.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory), end - start, start, 0
        )
    )
