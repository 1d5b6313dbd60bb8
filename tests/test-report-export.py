#!/usr/bin/python3
"""test-report-export.py: the report's files read back by independent readers.

The XLSX is opened with openpyxl, the CSV with Python's csv module, the JSON
checked against data/*.schema.json with jsonschema. The store is the
fixture of test-report.c (tests/cx-test-report-fixture.c): its figures are
known, so every cell is checked exactly. Prints TAP.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

import jsonschema
import openpyxl

CLI = os.environ["CUNXIAO_CLI"]
FIXTURE = os.environ["CUNXIAO_REPORT_FIXTURE"]
SRCDIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FIELDS = [
    "partner-school=城东小学",
    "reporter=李校长",
    "stage=小学",
    "agreement-signed=yes",
    "equipment-ok=是",
    "space-opened=no",
    "publicity=3",
    "publicity-county=1",
    "highlights=同步课堂全覆盖, \"一起读\"活动",
    "next-plan=开展网络研修\n第二行",
]

T1 = "11111111-1111-4111-8111-111111111111"  # CX_TEST_REPORT_T1

NOTE = ("5 of 24 usage records were not counted: 2 unreadable, 1 of a kind the "
        "report does not know, 2 incomplete.")

# The form's sheet, row by row, as the fixture with FIELDS must give it.
EXPECTED_MAIN = [
    ["“互联网+义务教育”结对帮扶工作月报表"],
    ["农村学校", "", "城镇学校", "城东小学", "月份", "2026年10月"],
    ["填报人", "李校长", "学段", "小学"],
    [],
    ["协议签订", "技术环境达标", "学校空间开通", "协议上传", "过程资料上传数", "小规模学校"],
    ["是", "是", "否", "未填", 2, "未填"],
    [],
    ["帮扶形式", "活动次数", "参与教师数", "参与学生数", "涉及学科"],
    ["同步课堂", 1, 2, 11, "数学"],
    ["专递课堂", 1, 1, 12, "英语"],
    ["名师课堂", 1, 1, 8, "科学"],
    ["网络研修", 1, 1, 0, "语文"],
    ["合计", 4, 5, 31, "数学、科学、英语、语文"],
    ["本校授课（不计入合计）", 1, 1, 8, "数学"],
    [],
    ["备课数", "作业提交数", "资源打开次数", "资源使用时长（分钟）"],
    [2, 2, 5, 12],
    [],
    ["宣传报道", "校级", "县级", "市级", "省级"],
    ["篇数", 3, 1, 0, 0],
    [],
    ["工作亮点", "同步课堂全覆盖, \"一起读\"活动"],
    ["下月计划", "开展网络研修\n第二行"],
    [NOTE],
]

results = []


def check(name, function):
    try:
        function()
        results.append((True, name, None))
    except Exception as error:  # a failed check, reported as TAP
        import traceback
        results.append((False, name, traceback.format_exc()))


def run(data_dir, *args, expect=0):
    done = subprocess.run([CLI, "--data-dir", data_dir, *args], capture_output=True,
                          text=True, env=dict(os.environ, LC_ALL="C.UTF-8"))
    assert done.returncode == expect, (args, done.returncode, done.stdout, done.stderr)
    return done


def make_store(bulk=None):
    data_dir = tempfile.mkdtemp(prefix="cx-report-")
    store = os.path.join(data_dir, "store")
    subprocess.run([FIXTURE, store] + ([str(bulk)] if bulk else []), check=True)
    return data_dir, store


def leftovers(folder):
    return [name for name in os.listdir(folder) if name.startswith(".")]


def sheet_rows(sheet):
    rows = []
    for row in sheet.iter_rows(values_only=True):
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(["" if cell is None else cell for cell in cells])
    return rows


def as_text(rows):
    return [[str(cell) for cell in row] for row in rows]


folder, store = make_store()
run(store, "report", "--month", "2026-10", *sum((["--set", f] for f in FIELDS), []))
for fmt in ("xlsx", "csv", "json"):
    run(store, "report", "--month", "2026-10", "--format", fmt, "-o",
        os.path.join(folder, "report." + fmt))


def test_xlsx():
    book = openpyxl.load_workbook(os.path.join(folder, "report.xlsx"))
    assert book.sheetnames == ["月报表", "每日使用", "学科", "常用资源"], book.sheetnames
    main = book["月报表"]
    rows = sheet_rows(main)
    # Numbers are numbers, not text that looks like one.
    assert rows == EXPECTED_MAIN, rows
    assert main["E6"].data_type == "n" and main["B9"].value == 1
    merged = {str(r) for r in main.merged_cells.ranges}
    assert {"A1:F1", "B22:F22", "B23:F23", "A24:F24"} <= merged, merged
    days = sheet_rows(book["每日使用"])
    assert days[0] == ["日期", "日", "使用次数"]
    assert len(days) == 32
    assert days[1] == ["2026-10-01", "1", 3] and days[7] == ["2026-10-07", "7", 5]
    assert sum(row[2] for row in days[1:]) == 19
    assert sheet_rows(book["学科"]) == [["学科", "活动次数"], ["数学", 2], ["科学", 1],
                                        ["英语", 1], ["语文", 1]]
    assert sheet_rows(book["常用资源"]) == [["资源编号", "资源名称", "打开次数", "使用时长（分钟）"],
                                          ["7", "静夜思.mp4", 3, 10], ["9", "加法.pdf", 2, 2]]


def test_csv_round_trip():
    raw = open(os.path.join(folder, "report.csv"), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[:len(EXPECTED_MAIN)] == as_text(EXPECTED_MAIN), rows[:len(EXPECTED_MAIN)]
    assert rows[len(EXPECTED_MAIN) + 1] == ["每日使用"]
    # Written back by Python's csv module, the same bytes.
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    assert out.getvalue() == text


def test_json_schema():
    schema = json.load(open(os.path.join(SRCDIR, "data", "report.schema.json")))
    jsonschema.Draft7Validator.check_schema(schema)
    report = json.load(open(os.path.join(folder, "report.json")))
    jsonschema.validate(report, schema)
    assert report["month"] == "2026-10"
    forms = {f["form"]: f for f in report["forms"]}
    assert forms["sync-classroom"] == {"form": "sync-classroom", "activities": 1, "teachers": 2,
                                       "pupils": 11, "subjects": ["数学"]}
    assert forms["local"]["pupils"] == 8
    assert (report["lesson_plans"], report["hand_ins"], report["process_materials"],
            report["resources_opened"], report["seconds_spent"]) == (2, 2, 2, 5, 720)
    assert report["fields"]["publicity"] == {"school": 3, "county": 1, "city": 0, "province": 0}
    assert report["fields"]["agreement_signed"] == "yes"
    assert report["fields"]["space_opened"] == "no"
    assert report["fields"]["small_school"] == "unknown"
    assert report["journal"] == {"events": 24, "unreadable": 2, "unknown": 1, "incomplete": 2,
                                 "note": NOTE}
    assert report["top_resources"][0] == {"resource": "7", "title": "静夜思.mp4", "opened": 3,
                                          "seconds": 600}
    # A broken report is refused by the schema: the check can fail.
    report["forms"][0]["activities"] = -1
    try:
        jsonschema.validate(report, schema)
    except jsonschema.ValidationError:
        return
    raise AssertionError("the schema took a negative count")


def test_usage_exports():
    schema = json.load(open(os.path.join(SRCDIR, "data", "usage.schema.json")))
    out = os.path.join(folder, "usage.json")
    run(store, "usage", "export", "--from", "2026-10-01", "--to", "2026-10-31", "--format",
        "json", "-o", out)
    log = json.load(open(out))
    jsonschema.validate(log, schema)
    assert len(log["events"]) == 24 and log["events"][0]["kind"] == "class.joined"
    assert log["events"][0]["payload"] == {"timetable_entry": T1}
    # The row that was never JSON comes out as its text.
    assert {"{not json", "just a string"} <= {e["payload"] for e in log["events"]
                                              if isinstance(e["payload"], str)}
    # To standard output; CSV with a BOM, read back by csv.
    done = subprocess.run([CLI, "--data-dir", store, "usage", "export", "--from", "2026-09-30",
                           "--to", "2026-11-01"], capture_output=True, check=True)
    text = done.stdout.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows[0] == ["序号", "时间", "类型", "内容"]
    assert len(rows) == 1 + 26, len(rows)
    assert json.loads(rows[3][3])["pupils"] == 11
    out_csv = io.StringIO(newline="")
    csv.writer(out_csv, lineterminator="\r\n").writerows(rows)
    assert out_csv.getvalue() == text[1:]


def test_empty_month():
    for fmt in ("xlsx", "csv", "json"):
        path = os.path.join(folder, "empty." + fmt)
        done = run(store, "report", "--month", "2026-12", "-o", path)
        assert "No usage was recorded in 2026-12" in done.stderr, done.stderr
    rows = sheet_rows(openpyxl.load_workbook(os.path.join(folder, "empty.xlsx"))["月报表"])
    # No subjects: a blank cell, which openpyxl reads as nothing.
    assert rows[8] == ["同步课堂", 0, 0, 0] and rows[12] == ["合计", 0, 0, 0], rows
    assert len(rows) == len(EXPECTED_MAIN) - 1  # no note: nothing skipped
    report = json.load(open(os.path.join(folder, "empty.json")))
    jsonschema.validate(report, json.load(open(os.path.join(SRCDIR, "data",
                                                            "report.schema.json"))))
    assert report["journal"]["note"] is None and len(report["per_day"]) == 31
    done = run(store, "usage", "export", "--from", "2026-12-01", "--to", "2026-12-31",
               "--format", "json")
    assert json.loads(done.stdout)["events"] == []


def test_bad_input():
    done = run(store, "report", "--month", "2026-13", "-o", "x.xlsx", expect=2)
    assert "YYYY-MM" in done.stderr
    done = run(store, "report", "--month", "2026-10", "--set", "weather=fine", expect=1)
    assert "next-plan" in done.stderr
    done = run(store, "usage", "export", "--from", "2026-10-31", "--to", "2026-10-01", expect=2)
    assert "before it starts" in done.stderr
    run(store, "report", "--month", "2026-10", "-o", os.path.join(folder, "report.txt"),
        expect=2)
    # A name that cannot be written: a clear error, nothing left over.
    target = os.path.join(folder, "a-folder.csv")
    os.mkdir(target)
    done = run(store, "report", "--month", "2026-10", "-o", target, expect=1)
    assert "a-folder.csv" in done.stderr and "folder" in done.stderr, done.stderr
    assert leftovers(folder) == [], leftovers(folder)


def test_into_missing_folder():
    done = run(store, "report", "--month", "2026-10", "-o",
               os.path.join(folder, "no-such", "r.xlsx"), expect=1)
    assert "no-such" in done.stderr
    assert leftovers(folder) == []


def test_100k_events():
    big_folder, big = make_store(100000)
    out = os.path.join(big_folder, "big.xlsx")
    run(big, "report", "--month", "2026-10", "-o", out)
    rows = sheet_rows(openpyxl.load_workbook(out)["月报表"])
    assert rows[13][:2] == ["本校授课（不计入合计）", 1 + 10000], rows[13]
    assert rows[16][1] == 2 + 10000  # hand-ins
    done = run(big, "usage", "export", "--from", "2026-10-01", "--to", "2026-10-31", "-o",
               os.path.join(big_folder, "big.csv"))
    assert "100024" in done.stderr
    with open(os.path.join(big_folder, "big.csv"), newline="", encoding="utf-8-sig") as f:
        assert sum(1 for _ in csv.reader(f)) == 1 + 100024
    assert leftovers(big_folder) == []


for name, function in [("xlsx", test_xlsx), ("csv-round-trip", test_csv_round_trip),
                       ("json-schema", test_json_schema), ("usage-exports", test_usage_exports),
                       ("empty-month", test_empty_month), ("bad-input", test_bad_input),
                       ("missing-folder", test_into_missing_folder),
                       ("100k-events", test_100k_events)]:
    check(name, function)

print("1..%d" % len(results))
for number, (passed, name, reason) in enumerate(results, 1):
    print("%s %d %s" % ("ok" if passed else "not ok", number, name))
    if reason:
        print("# " + reason.replace("\n", "\n# "))
sys.exit(0 if all(passed for passed, _, _ in results) else 1)
