"""prongsai.errors.in_language: a page shows one language of a core message written "ไทย (English)"."""

from __future__ import annotations

import pytest

from prongsai.errors import InputError, in_language

CASES = [
    # (message, Thai shown, English shown)
    ("ไม่พบไฟล์ (file not found)", "ไม่พบไฟล์", "file not found"),
    (
        "ไม่รู้จักคอลัมน์ foo, bar (unknown column(s))",
        "ไม่รู้จักคอลัมน์ foo, bar",
        "unknown column(s)",
    ),
    (
        "แม่แบบใช้ไม่ได้: ต้องใช้หน่วยความจำเกินกว่าที่ระบบอนุญาต (1,536 MB) จึงหยุดอ่าน (it needed more memory (1,536 MB))",
        "แม่แบบใช้ไม่ได้: ต้องใช้หน่วยความจำเกินกว่าที่ระบบอนุญาต (1,536 MB) จึงหยุดอ่าน",
        "it needed more memory (1,536 MB)",
    ),
    # Not an English closing group: the message is the same in both languages.
    ("ไฟล์ใหญ่เกินกว่าที่ระบบอนุญาต (2 MB)", None, None),
    ("โอกาสที่จะเกิด (1–5)", None, None),
    ("รองรับเฉพาะไฟล์ (CSV หรือ XLSX)", None, None),
    ("ขาดคำตอบข้อ O1 (ตอบ มี หรือ ไม่มี)", None, None),
    ("file not found (missing file)", None, None),  # nothing Thai before it: not a translation
    ("ใส่ปี (พ.ศ.", None, None),  # unbalanced
    ("", None, None),
]


@pytest.mark.parametrize(("message", "thai", "english"), CASES)
def test_one_language_of_a_message(message: str, thai: str | None, english: str | None) -> None:
    assert in_language(message, "th") == (message if thai is None else thai)
    assert in_language(message, "en") == (message if english is None else english)


def test_a_whole_input_error_keeps_its_place_in_both_languages() -> None:
    error = InputError("ผล.csv", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100 (score must be 0–100)", row=3, field="i1")
    assert in_language(str(error), "th") == "ผล.csv, แถว 3, ช่อง i1: คะแนนต้องอยู่ระหว่าง 0 ถึง 100"
    assert error.in_language("th") == "ผล.csv, แถว 3, ช่อง i1: คะแนนต้องอยู่ระหว่าง 0 ถึง 100"
    assert error.in_language("en") == "ผล.csv, row 3, field i1: score must be 0–100"
    assert str(error).endswith("(score must be 0–100)")  # the CLI prints both
