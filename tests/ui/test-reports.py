#!/usr/bin/python3
"""UI test of the Reports page: the real app in a real window, through AT-SPI.

The store is the report tests' October 2026 (tests/cx-test-report-fixture.c,
written by report-fixture), whose figures are known, with an admin and a
teacher added through cunxiao-cli. In the app: the page opens locked; the
teacher's own name and PIN are refused with the guard's message; the admin's
unlock it; October shows the fixture's figures in the form's table and the
month's figures; a field typed and saved is in the store (read back with
cunxiao-cli); the report exported to XLSX through the file chooser holds the
figures (read with openpyxl); the usage log of two days exported as JSON
holds their records; Lock hides it all again. The file chooser is the
desktop portal's when there is one, so it is driven with the pointer and
keys (xdotool), not through the accessibility bus. Screenshots go under
$CX_SCREENSHOTS/reports, one at 800×600; every control must have an
accessible name.

Run under Xvfb and a private D-Bus session (see run-ui-test.sh).
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import openpyxl
import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cx_atspi as ui  # noqa: E402

CLI = os.environ["CUNXIAO_CLI"]
APP = os.environ["CUNXIAO_APP"]
FIXTURE = os.environ["CUNXIAO_REPORT_FIXTURE"]
SHOTS = os.path.join(os.environ.get("CX_SCREENSHOTS", "screenshots"), "reports")

step_number = 0


def step(text):
    global step_number
    step_number += 1
    print("# %d. %s" % (step_number, text), flush=True)


def run(*args, env=None, input=None):
    try:
        return subprocess.run(args, check=True, capture_output=True, text=True, env=env,
                              input=input).stdout
    except subprocess.CalledProcessError as e:
        raise AssertionError("%s failed (%d): %s%s" % (" ".join(args), e.returncode, e.stdout,
                                                         e.stderr)) from None


def check_names(root, where, failures):
    failures += ["%s: %s" % (where, b) for b in ui.unnamed_controls(root)]


def editable(window, name):
    """The text field named @name (its row may have that name too)."""
    def field():
        for node in ui.find_all(window, None, name, visible=False):
            try:
                node.queryEditableText()
                return node
            except NotImplementedError:
                continue
        return None
    try:
        return ui.wait_until(field, "a text field named %r" % name)
    except ui.Timeout:
        for n in ui.descendants(window):
            try:
                n.queryEditableText()
                print("#  text field: %s %r" % (n.getRoleName(), n.name))
            except Exception:
                pass
        raise


def save_in_chooser(title, path):
    """Saves as @path in the file chooser titled @title. On a desktop with a
    portal it is the portal's window, in another process that may not be on
    the accessibility bus: it is driven like a person would, with the
    pointer over it and the keyboard (its Name field has the focus)."""
    def window_id():
        out = subprocess.run(["xdotool", "search", "--name", "^%s$" % re.escape(title)],
                             capture_output=True, text=True).stdout.split()
        return out[-1] if out else None
    wid = ui.wait_until(window_id, "a file chooser titled %r" % title, timeout=30)
    geometry = dict(line.split("=") for line in subprocess.run(
        ["xdotool", "getwindowgeometry", "--shell", wid], capture_output=True, text=True,
        check=True).stdout.split())
    time.sleep(1)
    ui.point_at(int(geometry["X"]) + 200, int(geometry["Y"]) + 15)
    ui.press("ctrl+a")
    subprocess.run(["xdotool", "type", "--delay", "20", path], check=True)
    time.sleep(0.5)
    ui.press("Return")


def unlock(window, name, pin):
    ui.set_text(ui.wait_for(window, None, "Admin's Name"), name)
    ui.set_text(ui.wait_for(window, None, "PIN"), pin)
    ui.click(ui.wait_for(window, "push button", "Unlock"))


def scroll_down(window, clicks):
    """Wheel clicks over the report, through XTest."""
    x, y = ui.center(window)
    ui.point_at(x, y + 100)
    for _ in range(clicks):
        subprocess.run(["xdotool", "click", "5"], check=True)
        time.sleep(0.05)
    time.sleep(0.5)


def main():
    work = tempfile.mkdtemp(prefix="cunxiao-reports-ui-")
    data = os.path.join(work, "school")
    env = dict(os.environ, CUNXIAO_DATA_DIR=data)
    failures = []
    app_proc = None

    step("the fixture's October 2026, an admin and a teacher with PINs")
    run(FIXTURE, data)
    run(CLI, "accounts", "add", "--role", "admin", "--pin-stdin", "李校长", env=env,
        input="2468\n")
    run(CLI, "accounts", "add", "--role", "teacher", "--pin-stdin", "王老师", env=env,
        input="1357\n")

    try:
        app_proc = subprocess.Popen([APP], env=dict(env, GSETTINGS_BACKEND="memory"))
        app = ui.app_named("cunxiao")
        window = ui.wait_for(app, "frame", "Cunxiao")
        ui.click(ui.wait_for(window, "page tab", "Reports"))

        step("the page opens locked")
        ui.wait_for(window, "label", "Reports Are for the School's Admin")
        if ui.find_all(window, "push button", "Previous Month"):
            failures.append("the month picker shows while locked")
        ui.screenshot(SHOTS, "01-locked")
        check_names(window, "Reports page (locked)", failures)

        step("a teacher's own name and PIN are refused with the guard's message")
        unlock(window, "王老师", "1357")
        ui.wait_for(window, "label", "Wrong PIN. 4 tries left", timeout=30)
        if ui.find_all(window, "push button", "Previous Month"):
            failures.append("a teacher's PIN unlocked the reports")
        ui.screenshot(SHOTS, "02-refused")

        step("the admin's name and PIN unlock it")
        unlock(window, "李校长", "2468")
        ui.wait_for(window, "push button", "Previous Month", timeout=30)
        month = ui.wait_for(window, "label", re.compile(r"^[A-Z][a-z]+ \d{4}$"))
        shown_month = datetime.datetime.strptime(month.name, "%B %Y")
        away = shown_month.year * 12 + shown_month.month - (2026 * 12 + 10)
        for _ in range(abs(away)):
            ui.click(ui.wait_for(window, "push button",
                                 "Previous Month" if away > 0 else "Next Month"))
        ui.wait_for(window, "label", "October 2026")

        step("October's figures: the form's table and the month's figures")
        for cell in ("Synchronous classroom, Activities: 1",
                     "Synchronous classroom, Teachers: 2",
                     "Synchronous classroom, Pupils: 11",
                     "Synchronous classroom, Subjects: 数学",
                     "Remote-delivery classroom, Pupils: 12",
                     "Master-teacher classroom, Subjects: 科学",
                     "Local lesson, Pupils: 8",
                     "Process materials uploaded: 2",
                     "Lesson plans prepared: 2",
                     "Hand-ins: 2",
                     "Resources opened: 5"):
            try:
                ui.wait_for(window, "label", cell, timeout=20, visible=False)
            except ui.Timeout:
                failures.append("no cell %r" % cell)
        ui.wait_for(window, "label", re.compile(r"^5 of 24 usage records were not counted"),
                    visible=False)
        ui.screenshot(SHOTS, "03-unlocked")
        check_names(window, "Reports page (unlocked)", failures)

        step("the charts are there, each saying its values")
        for title, value in (("Usage per day", "7: 5"), ("Activities by subject", "数学: 2"),
                             ("Activities by form", None), ("Resources opened most", None)):
            chart = ui.wait_for(window, "image", title, visible=False)
            described = chart.description or ""
            if not described or (value is not None and value not in described):
                failures.append("chart %r says %r" % (title, described))
        scroll_down(window, 8)
        ui.screenshot(SHOTS, "04-charts")

        step("an admin field typed and saved is kept with the month")
        ui.set_text(editable(window, "Partner school"), "城东小学")
        ui.set_text(editable(window, "Publicity: county"), "3")
        ui.set_text(editable(window, "Highlights of the month"), "同步课堂全覆盖")
        scroll_down(window, 20)
        ui.click(ui.wait_for(window, "push button", "Save", visible=False))
        saved = os.path.join(work, "saved.json")

        def saved_fields():
            # The store, not the toast: a toast may be gone before a slow
            # (sanitized) app has been looked through.
            run(CLI, "report", "--month", "2026-10", "-o", saved, env=env)
            with open(saved, encoding="utf-8") as f:
                fields = json.load(f)["fields"]
            return fields if fields["partner_school"] else None
        fields = ui.wait_until(saved_fields, "the fields to be saved", timeout=60)
        if fields["partner_school"] != "城东小学":
            failures.append("the partner school saved is %r" % fields["partner_school"])
        if fields["highlights"] != "同步课堂全覆盖":
            failures.append("the highlights saved are %r" % fields["highlights"])
        if fields["publicity"]["county"] != 3:
            failures.append("the county's publicity saved is %r" % fields["publicity"])
        ui.screenshot(SHOTS, "05-saved")

        step("the report exported as XLSX through the file chooser")
        target = os.path.join(work, "october-report.xlsx")
        ui.click(ui.wait_for(window, "push button", "Export Report…"))
        time.sleep(2)
        ui.screenshot(SHOTS, "06-export-chooser")
        save_in_chooser("Export Report", target)
        # The file appears whole (renamed into place); the toast saying so may
        # be gone before a slow (sanitized) app has been looked through.
        ui.wait_until(lambda: os.path.exists(target), "the report to be exported", timeout=60)
        ui.screenshot(SHOTS, "07-exported")
        sheet = openpyxl.load_workbook(target).worksheets[0]
        rows = [[c for c in r] for r in sheet.iter_rows(values_only=True)]
        sync_row = next((r for r in rows if r and r[0] == "同步课堂"), None)
        if sync_row is None or list(sync_row[1:4]) != [1, 2, 11]:
            failures.append("the XLSX's 同步课堂 row is %r" % (sync_row,))
        if not any(r and "城东小学" in [str(c) for c in r] for r in rows):
            failures.append("the XLSX lacks the saved partner school")

        step("the usage log of two days exported as JSON")
        log = os.path.join(work, "usage.json")
        ui.click(ui.wait_for(window, "push button", "Export Usage Log…", visible=False))
        ui.wait_for(app, "label", "Export Usage Log", timeout=20)
        ui.set_text(editable(app, "From"), "2026-10-07")
        ui.set_text(editable(app, "To"), "2026-10-08")
        ui.screenshot(SHOTS, "08-usage-range")
        check_names(app, "the usage log's range", failures)
        # libadwaita 1.2 names a response's button twice: "Choose File… Choose File…"
        ui.click(ui.wait_for(app, "push button", re.compile(r"^Choose File…")))
        save_in_chooser("Export Usage Log", log)
        ui.wait_until(lambda: os.path.exists(log), "the usage log to be exported", timeout=60)
        with open(log, encoding="utf-8") as f:
            exported = json.load(f)
        records = exported if isinstance(exported, list) else next(
            (v for v in exported.values() if isinstance(v, list)), [])
        if len(records) != 7:
            failures.append("the usage log of 7–8 October has %d records, not 7: %r"
                            % (len(records), exported))

        step("at 800×600 the page still fits")
        for wid in run("xdotool", "search", "--name", "^Cunxiao$").split():
            subprocess.run(["xdotool", "windowsize", wid, "800", "600"], check=False)
        ui.wait_until(lambda: window.queryComponent().getExtents(pyatspi.WINDOW_COORDS).width
                      <= 820, "the window to be 800 wide")
        time.sleep(1)
        ui.screenshot(SHOTS, "09-small")

        step("Lock hides the report again")
        ui.click(ui.wait_for(window, "push button", "Lock"))
        ui.wait_for(window, "label", "Reports Are for the School's Admin")
        if ui.find_all(window, "label", "Synchronous classroom, Activities: 1", visible=False):
            failures.append("the table is still there after Lock")
    finally:
        if app_proc is not None:
            app_proc.terminate()
            app_proc.wait()

    if failures:
        print("FAILED (files kept in %s):\n  " % work + "\n  ".join(failures))
        sys.exit(1)
    shutil.rmtree(work)
    print("ok: the Reports page")


main()
