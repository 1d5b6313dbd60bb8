#!/usr/bin/python3
"""UI test of the Timetable page: the real app in a real window, through AT-SPI.

Two computers of one school are enrolled with a hub started here, which also
publishes the district's timetable. Both change the same class of the
school's own offline and sync; the second (the one the app runs on) gets a
conflict. In the app: the week grid shows the classes, the day list too, a
class's details open, a new class is added through the form (after it says
what is missing and what is wrong), the conflicted class shows both versions
side by side and "Keep Mine" settles it. A sync from the command line then
takes the choice to the hub, and the other computer gets it. A live class a
few minutes away raises a desktop notification, and clicking it opens the
class. Screenshots of each view go under $CX_SCREENSHOTS; every control on
the page and in its windows must have an accessible name.

Run under Xvfb and a private D-Bus session (see run-ui-test.sh).
"""
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cx_atspi as ui  # noqa: E402

CLI = os.environ["CUNXIAO_CLI"]
HUB = os.environ["CUNXIAO_HUB"]
APP = os.environ["CUNXIAO_APP"]
DEMO = os.environ["CUNXIAO_DEMO"]
SHOTS = os.path.join(os.environ.get("CX_SCREENSHOTS", "screenshots"), "timetable")
HERE = os.path.dirname(os.path.abspath(__file__))

step_number = 0


def step(text):
    global step_number
    step_number += 1
    print("# %d. %s" % (step_number, text), flush=True)


def run(*args, **kwargs):
    try:
        return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs).stdout
    except subprocess.CalledProcessError as e:
        raise AssertionError("%s failed (%d): %s%s" % (" ".join(args), e.returncode, e.stdout,
                                                         e.stderr)) from None


def today_at(hour, minute=0):
    t = time.localtime()
    return int(time.mktime((t.tm_year, t.tm_mon, t.tm_mday, hour, minute, 0, 0, 0, -1)))


class Hub:
    """A hub serving the demo package and the timetable API, on loopback."""

    def __init__(self, work):
        self.work = work
        self.data = os.path.join(work, "hub-data")
        repo, key = os.path.join(work, "repo"), os.path.join(work, "hub.key")
        pub = run(HUB, "keygen", "--output", key)
        self.key = re.search(r"ed25519:[A-Za-z0-9+/=]+", pub).group(0)
        run(HUB, "publish", DEMO, "--repo", repo, "--key", key, "--repository-id", "tt-test")
        self.log = open(os.path.join(work, "hub.log"), "w")
        self.proc = subprocess.Popen([HUB, "serve", "--repo", repo, "--data", self.data,
                                      "--port", "0", "--bind", "127.0.0.1"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.url = ui.wait_until(
            lambda: (re.search(r"http://[0-9.:]+/", open(self.log.name).read()) or [None])[0],
            "the hub to listen")

    def enrol(self, env):
        out = run(HUB, "enroll", "--data", self.data, "--school", "石桥小学")
        code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", out).group(0)
        run(CLI, "init", env=env)
        run(CLI, "hub", "add", self.url, "--key", self.key, env=env)
        run(CLI, "enroll", self.url, code, env=env)

    def publish_timetable(self, entries):
        path = os.path.join(self.work, "大课表.json")
        with open(path, "w") as f:
            json.dump(entries, f, ensure_ascii=False)
        run(HUB, "timetable", "--data", self.data, "--import", path)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def closed_port():
    """A loopback port nothing listens on: a live stream that cannot be reached."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


DEAD_STREAM = "http://127.0.0.1:%d/live/yuwen" % closed_port()
FALLBACK = "unit-2/lesson-1/咏鹅.png"


def district_timetable(live_start=None):
    def entry(uuid, form, subject, klass, teacher, partner, starts, minutes, package="", unit="",
              **links):
        return dict({"uuid": uuid, "form": form, "subject": subject, "class": klass,
                     "teacher": teacher, "partner_school": partner, "starts_at": starts,
                     "ends_at": starts + minutes * 60, "package": package, "unit": unit}, **links)
    return [
        entry("3b0c1f52-8a6e-4c1e-9f0a-1d2e3f405162", "sync-classroom", "语文", "一年级", "李老师",
              "县一小", today_at(9), 40, "yuwen-1a", "unit-2", live_url=DEAD_STREAM,
              fallback=FALLBACK),
        entry("4c1d2063-9b7f-4d2f-8a1b-2e3f40516273", "master-classroom", "英语", "三年级",
              "周老师", "", today_at(10, 30), 40),
        entry("5d2e3174-ac80-4e30-9b2c-3f4051627384", "remote-delivery", "音乐", "二年级", "",
              "县一小", today_at(15), 40),
    ] + ([entry("6e3f4285-bd91-4f41-8c3d-405162738495", "sync-classroom", "科学", "四年级",
                "赵老师", "城关小学", live_start, 30)] if live_start else [])


def open_page(app, name):
    ui.click(ui.wait_for(app, "page tab", name))
    time.sleep(0.5)


def entry_text(window, title):
    """The text field of the form's row titled @title (a group may have that
    title too: the row is the one holding a text field)."""
    def field():
        for row in ui.find_all(window, None, title):
            fields = []
            for n in ui.descendants(row):
                try:
                    if n.getRoleName() in ("text", "entry"):
                        fields.append(n)
                except Exception:
                    pass
            if len(fields) == 1:  # the row, not a group of rows
                return fields[0]
        return None
    return ui.wait_until(field, "a text field in the row %r" % title)


def type_into(window, title, text):
    ui.set_text(entry_text(window, title), text)
    time.sleep(0.2)


def check_names(root, where, failures):
    failures += ["%s: %s" % (where, b) for b in ui.unnamed_controls(root)]


def main():
    work = tempfile.mkdtemp(prefix="cunxiao-tt-ui-")
    mine_env = dict(os.environ, CUNXIAO_DATA_DIR=os.path.join(work, "laptop-a"))
    other_env = dict(os.environ, CUNXIAO_DATA_DIR=os.path.join(work, "laptop-b"))
    failures = []

    step("a hub with the demo package and the district's timetable; two laptops enrolled")
    hub = Hub(work)
    app_proc = notifier = None
    try:
        hub.publish_timetable(district_timetable())
        for env in (mine_env, other_env):
            hub.enrol(env)
        run(CLI, "packages", "install", "yuwen-1a", env=mine_env)

        step("laptop A adds a class of the school's own; both laptops sync")
        run(CLI, "timetable", "add", "--form", "local", "--subject", "数学", "--class", "三年级",
            "--teacher", "刘老师", "--start", time.strftime("%Y-%m-%dT14:00"), env=mine_env)
        run(CLI, "sync", "--once", env=mine_env)
        run(CLI, "sync", "--once", env=other_env)
        if "数学" not in run(CLI, "timetable", "list", env=other_env):
            failures.append("laptop B did not get the school's class")

        step("both change it offline; B syncs first, so A gets a conflict")
        uuid = re.search(r"\t数学\t.*\t([0-9a-f-]{36})$", run(CLI, "timetable", "list", env=mine_env),
                         re.M).group(1)
        run(CLI, "timetable", "edit", uuid, "--teacher", "王老师", "--partner", "县一小",
            env=other_env)
        run(CLI, "sync", "--once", env=other_env)
        run(CLI, "timetable", "edit", uuid, "--teacher", "张老师", env=mine_env)
        # A live class in a few minutes, published now so the setup's time does not eat into it.
        hub.publish_timetable(district_timetable(int(time.time()) + 210))
        out = run(CLI, "sync", "--once", env=mine_env)
        listed = run(CLI, "timetable", "list", env=mine_env)
        if "CONFLICT" not in listed:
            raise AssertionError("laptop A has no conflict:\n%s\n%s" % (out, listed))

        step("the app starts on laptop A, with a notification server on the desktop")
        notes = os.path.join(work, "notifications.jsonl")
        notifier = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "fake_notifications.py"),
                                     notes], stdout=subprocess.PIPE, text=True)
        if notifier.stdout.readline().strip() != "ready":
            raise AssertionError("the notification server did not start")
        app_proc = subprocess.Popen([APP, "--page", "timetable"],
                                    env=dict(mine_env, GSETTINGS_BACKEND="memory"))
        app = ui.app_named("cunxiao")
        window = ui.wait_for(app, "frame", "Cunxiao")

        step("the week grid shows the district's classes and the school's own")
        for name in ("语文 · 一年级", "英语 · 三年级", "音乐 · 二年级", "数学 · 三年级"):
            ui.wait_for(window, "push button", re.compile("^" + re.escape(name) + ", "))
        conflicted = ui.wait_for(window, "push button", re.compile(r"^数学 · 三年级, "))
        if "changed here and at the hub" not in conflicted.name:
            failures.append("the conflicted class does not say so: %r" % conflicted.name)
        ui.wait_for(window, "label", re.compile(r"^One class was changed both here and at the hub"))
        ui.screenshot(SHOTS, "01-week")
        check_names(window, "Timetable page (week)", failures)

        step("the day list shows the same day's classes, in time order")
        ui.click(ui.wait_for(window, "push button", "Day"))
        day = ui.wait_for(window, "list", "Classes of the day")
        rows = [n.name for n in ui.find_all(day, "push button")]
        order = [r.split(",")[0] for r in rows]
        expected = [o for o in order if o in ("语文 · 一年级", "英语 · 三年级", "数学 · 三年级",
                                               "音乐 · 二年级")]
        if expected != ["语文 · 一年级", "英语 · 三年级", "数学 · 三年级", "音乐 · 二年级"]:
            failures.append("day list order: %r" % order)
        ui.screenshot(SHOTS, "02-day")
        check_names(window, "Timetable page (day)", failures)

        step("a class's details open, with its material, and lead to the Library")
        ui.click(ui.wait_for(day, "push button", re.compile(r"^语文 · 一年级, ")))
        details = ui.wait_for(app, "frame", "语文 · 一年级")
        ui.wait_for(details, "label", "Synchronous classroom")
        ui.wait_for(details, "label", "第二单元 古诗诵读")
        ui.wait_for(details, "label", re.compile(r"^It cannot be reached from here \("),
                    timeout=30)
        ui.wait_for(details, "label", "咏鹅.png, kept on this computer")
        ui.screenshot(SHOTS, "03-details")
        check_names(details, "details", failures)

        step("its live stream cannot be reached: the material kept here opens instead")
        ui.click(ui.wait_for(details, "push button", "Open Instead"))
        ui.wait_gone(app, "frame", "语文 · 一年级")
        ui.wait_for(window, "push button", "Back to the Library")
        ui.wait_for(window, "label", "咏鹅")
        ui.screenshot(SHOTS, "03b-instead")
        db = sqlite3.connect(os.path.join(mine_env["CUNXIAO_DATA_DIR"], "cunxiao.db"))
        kinds = [k for (k,) in db.execute("SELECT kind FROM journal")]
        db.close()
        if "class.fallback-opened" not in kinds:
            failures.append("opening the material instead is not in the journal: %r" % kinds)
        ui.click(ui.wait_for(window, "push button", "Back to the Library"))
        open_page(app, "Timetable")
        ui.click(ui.wait_for(day, "push button", re.compile(r"^语文 · 一年级, ")))
        details = ui.wait_for(app, "frame", "语文 · 一年级")
        ui.click(ui.wait_for(details, "push button", "Open in Library"))
        ui.wait_gone(app, "frame", "语文 · 一年级")
        ui.wait_for(window, "push button", "静夜思")  # unit 2 is unfolded
        open_page(app, "Timetable")

        step("a new class of the school's own: the form says what is missing, then what is wrong")
        ui.click(ui.wait_for(window, "push button", "Add a Class"))
        editor = ui.wait_for(app, "frame", "New Class")
        ui.click(ui.wait_for(editor, "push button", "Save"))
        ui.wait_for(editor, "label", "Give the subject, for example 数学.")
        ui.screenshot(SHOTS, "04-form-missing")
        check_names(editor, "new class form", failures)
        type_into(editor, "Subject", "美术")
        type_into(editor, "Class", "二年级")
        type_into(editor, "Teacher", "陈老师")
        type_into(editor, "Starts at", "16:00")
        type_into(editor, "Ends at", "15:20")
        ui.click(ui.wait_for(editor, "push button", "Save"))
        ui.wait_for(editor, "label", "The class must end after it starts.")
        ui.screenshot(SHOTS, "05-form-wrong")
        type_into(editor, "Ends at", "16:40")
        ui.click(ui.wait_for(editor, "push button", "Save"))
        ui.wait_gone(app, "frame", "New Class")
        ui.wait_for(window, "push button", re.compile(r"^美术 · 二年级, .*school’s own"))

        step("the conflicted class shows both versions side by side; Keep Mine settles it")
        ui.click(ui.wait_for(window, "push button", "Review Conflicts"))
        details = ui.wait_for(app, "frame", "数学 · 三年级")
        ui.wait_for(details, "label", "Changed Here and at the Hub")
        compare = ui.wait_for(details, None, re.compile("side by side"))
        for text in ("This computer", "The hub", "张老师", "王老师"):
            ui.wait_for(compare, "label", text)
        ui.screenshot(SHOTS, "06-conflict")
        check_names(details, "conflict", failures)
        ui.click(ui.wait_for(details, "push button", "Keep Mine"))
        ui.wait_gone(details, "label", "Changed Here and at the Hub")
        ui.wait_for(details, "label", re.compile(r"^Your version is kept"))
        ui.screenshot(SHOTS, "07-kept")
        ui.press("Escape")
        ui.wait_gone(app, "frame", "数学 · 三年级")
        ui.wait_gone(window, "label", re.compile(r"^One class was changed"))

        step("a live class a few minutes away raises a notification; clicking it opens the class")
        note = ui.wait_until(lambda: next((json.loads(line) for line in open(notes)
                                           if "科学" in line), None),
                             "the class reminder", timeout=30)
        if not re.match(r"^科学 · 四年级 starts in [1-4] minutes?$", note["summary"]):
            failures.append("reminder says %r" % note["summary"])
        if "Synchronous classroom" not in note["body"] or "城关小学" not in note["body"]:
            failures.append("reminder body %r" % note["body"])
        subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.Notifications",
                        "--object-path", "/org/freedesktop/Notifications", "--method",
                        "org.freedesktop.Notifications.TestClick", str(note["id"])],
                       check=True, capture_output=True)
        details = ui.wait_for(app, "frame", "科学 · 四年级")
        ui.screenshot(SHOTS, "08-from-reminder")
        ui.press("Escape")
        ui.wait_gone(app, "frame", "科学 · 四年级")

        step("a sync takes the choice and the new class to the hub; laptop B gets them")
        run(CLI, "sync", "--once", env=mine_env)
        run(CLI, "sync", "--once", env=other_env)
        listed = run(CLI, "timetable", "list", env=other_env)
        maths = [line for line in listed.splitlines() if "\t数学\t" in line]
        if len(maths) != 1 or "\t张老师\t" not in maths[0]:
            failures.append("laptop B has %r, not 张老师's version" % maths)
        if not any("\t美术\t二年级\t陈老师\t" in line for line in listed.splitlines()):
            failures.append("laptop B did not get the class added in the app:\n" + listed)
        if "CONFLICT" in run(CLI, "timetable", "list", env=mine_env):
            failures.append("laptop A still has a conflict after syncing")
    except Exception:
        ui.screenshot(SHOTS, "failed-at-step-%d" % step_number)
        if app_proc is not None and app_proc.poll() is not None:
            print("# the app had exited, with status %d" % app_proc.returncode)
        raise
    finally:
        for proc in (app_proc, notifier):
            if proc is None:
                continue
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        hub.stop()

    for f in failures:
        print("FAIL: " + f)
    print("%d steps, %d failures; screenshots in %s" % (step_number, len(failures), SHOTS))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
