#!/usr/bin/python3
"""UI test: student mode on the classroom computer, driven through AT-SPI.

A teacher switches the app to student mode. A pupil picks the class and
their name, finds nothing that reaches settings, sync or lesson plans (no
control, no shortcut), searches and opens a resource of the class's
courses and hands in a file by dropping it on the page. "Next Pupil"
leaves nothing of theirs for the next one. A wrong PIN does not leave the
mode, a teacher's does; and a restart in student mode comes back into it.

Run under Xvfb and a private D-Bus session (see run-ui-test.sh).
"""
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cx_atspi as ui  # noqa: E402
import pyatspi  # noqa: E402

CLI = os.environ["CUNXIAO_CLI"]
APP = os.environ["CUNXIAO_APP"]
HUB = os.environ["CUNXIAO_HUB"]
SHOTS = os.path.join(os.environ.get("CX_SCREENSHOTS", "screenshots"), "student")
PIN = "2468"
ASSIGNMENT = "抄写一首古诗"
STUDENT_WINDOW = "Cunxiao Student Mode"
# libadwaita 1.2 names a message dialog's button by its mnemonic and its text.
CONFIRM = re.compile(r"(^| )Student Mode$")
# What a pupil must not reach, by any name a control could carry.
FORBIDDEN = re.compile(r"Preferences|Settings|Sync|Lessons?\b|Lesson Plan|Teach|Timetable|"
                       r"Student Mode…",
                       re.IGNORECASE)

# The demo package's install, shared with the teacher's UI test.
_spec = importlib.util.spec_from_file_location(
    "test_ui", os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-ui.py"))
test_ui = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(test_ui)
run = test_ui.run

step_number = 0


def step(text):
    global step_number
    step_number += 1
    print("# %d. %s" % (step_number, text), flush=True)


def start_app(env):
    proc = subprocess.Popen([APP], env=env)
    return proc


def stop_app(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def forbidden_controls(root):
    """Anything showing whose name leads to a teacher's page or setting."""
    found = []
    for n in ui.descendants(root):
        try:
            if n.getRoleName() in ui.INTERACTIVE | {"page tab list", "menu"} and \
               FORBIDDEN.search(n.name or "") and ui.showing(n):
                found.append("%s %r" % (n.getRoleName(), n.name))
        except Exception:
            continue
    return found


def choose_file(app, path, title="Hand In Work"):
    """Types @path into GTK's own file chooser (no portal under the test's
    D-Bus session) and accepts it."""
    chooser = ui.wait_until(lambda: next((c for c in app if c is not None and
                                          c.name == title), None),
                            "the file chooser", timeout=20)
    ui.point_at(*ui.center(ui.wait_for(chooser, "push button", re.compile(r"Cancel$"))))
    ui.press("ctrl+l")
    location = ui.wait_until(lambda: next((n for n in ui.find_all(chooser)
                                           if n.getRoleName() in ("text", "entry")), None),
                             "the chooser's location entry")
    ui.set_text(location, path)
    ui.click(ui.wait_for(chooser, "push button", re.compile(r"Hand In$")))
    ui.wait_until(lambda: not any(c is not None and c.name == title for c in app),
                  "the file chooser to close")


def recent_files(env):
    path = os.path.join(env["XDG_DATA_HOME"], "recently-used.xbel")
    return open(path, encoding="utf-8").read() if os.path.exists(path) else ""


def frames(app):
    return [c.name for c in app if c is not None and c.getRoleName() in ("frame", "dialog")]


def main():
    work = tempfile.mkdtemp(prefix="cunxiao-student-")
    data = os.path.join(work, "data")
    # A real settings file: the mode must outlive the process.
    env = dict(os.environ, CUNXIAO_DATA_DIR=data, GSETTINGS_BACKEND="keyfile",
               XDG_CONFIG_HOME=os.path.join(work, "config"),
               XDG_DATA_HOME=os.path.join(work, "xdg-data"), GIO_USE_NETWORK_MONITOR="base")
    failures = []

    work_file = os.path.join(work, "我的作业.txt")
    with open(work_file, "w", encoding="utf-8") as f:
        f.write("床前明月光，疑是地上霜。\n")
    teacher_file = os.path.join(work, "张小红的作业.txt")
    with open(teacher_file, "w", encoding="utf-8") as f:
        f.write("举头望明月，低头思故乡。\n")
    bad_file = os.path.join(work, "game.exe")
    with open(bad_file, "wb") as f:
        f.write(b"MZ\x90\x00" + b"\x00" * 64)

    step("the demo package (一年级) is installed; a teacher with a PIN; two classes")
    hub_first = test_ui.install_demo(work, env)
    subprocess.run([CLI, "accounts", "add", "王老师", "--pin-stdin"], input=PIN + "\n",
                   env=env, check=True, capture_output=True, text=True)
    for klass, pupil in (("一年级", "李小明"), ("一年级", "张小红"), ("三年级", "王刚")):
        run(CLI, "class", "pupil", "add", klass, pupil, env=env)

    app_proc = start_app(env)
    app = None
    servers = []
    try:
        app = ui.app_named("cunxiao")
        main_window = ui.wait_for(app, "frame", "Cunxiao")

        step("the teacher prepares a lesson for 一年级 with an assignment")
        ui.click(ui.wait_for(main_window, "page tab", "Lessons"))
        ui.click(ui.wait_for(app, "push button", "New Lesson"))
        ui.set_text(ui.wait_for(app, "text", "Class"), "一年级")
        ui.set_text(ui.wait_for(app, "text", "New assignment"), ASSIGNMENT)
        ui.click(ui.wait_for(app, "push button", "Add the assignment", visible=False))
        ui.wait_for(app, "label", "0 files handed in")
        time.sleep(1)  # the plan's class is saved half a second after typing
        ui.screenshot(SHOTS, "00-assignment")
        failures += ["lessons: %s" % b for b in ui.unnamed_controls(app)]

        step("the teacher switches to student mode from the main menu, and confirms")
        ui.click(ui.wait_for(main_window, "push button", "Main Menu"))
        ui.click(ui.wait_for(app, "menu item", "Student Mode…"))
        ui.screenshot(SHOTS, "01-confirm")
        ui.click(ui.wait_for(app, "push button", CONFIRM))
        student = ui.wait_for(app, "frame", STUDENT_WINDOW)
        ui.wait_gone(app, "frame", "Cunxiao")

        step("a pupil picks the class, then their name")
        ui.wait_for(student, "label", "Which Class Are You In?")
        ui.wait_for(student, "push button", "三年级")
        ui.screenshot(SHOTS, "02-classes")
        failures += ["classes: %s" % b for b in ui.unnamed_controls(app)]
        ui.click(ui.wait_for(student, "push button", "一年级"))
        ui.wait_for(student, "label", "What Is Your Name?")
        ui.wait_for(student, "push button", "Skip")
        ui.screenshot(SHOTS, "03-pupils")
        failures += ["pupils: %s" % b for b in ui.unnamed_controls(app)]
        ui.click(ui.wait_for(student, "push button", "李小明"))
        ui.wait_for(student, "push button", "语文 一年级 上册（演示）")
        ui.screenshot(SHOTS, "04-courses")
        failures += ["courses: %s" % b for b in ui.unnamed_controls(app)]

        step("nothing showing reaches settings, sync or lesson plans")
        failures += ["student window shows %s" % b for b in forbidden_controls(app)]

        step("nor do the teacher's shortcuts")
        ui.point_at(*ui.center(ui.wait_for(student, "entry", "Search the class’s courses")))
        for keys in ("ctrl+comma", "ctrl+q", "F10", "ctrl+w", "alt+Left"):
            ui.press(keys)
            time.sleep(0.7)
            if frames(app) != [STUDENT_WINDOW]:
                failures.append("%s opened or closed a window: %r" % (keys, frames(app)))
                ui.screenshot(SHOTS, "failed-" + keys)
                ui.press("Escape")
            if forbidden_controls(app):
                failures.append("after %s: %s" % (keys, forbidden_controls(app)))

        step("the pupil searches the class's courses and opens 静夜思")
        ui.set_text(ui.wait_for(student, "entry", "Search the class’s courses"), "静夜")
        results = ui.wait_for(student, "list", "Search results")
        ui.click(ui.wait_for(results, "push button", "静夜思"))
        ui.wait_for(student, "push button", "Back to the Courses")
        ui.wait_for(student, "label", "静夜思")
        if ui.find_all(student, "push button", "Open in Browser"):
            failures.append("the viewer offers a way out of the app (Open in Browser)")
        ui.screenshot(SHOTS, "05-viewer")
        failures += ["viewer: %s" % b for b in ui.unnamed_controls(app)]

        step("the pupil hands in a photo of their work through the file chooser")
        ui.click(ui.wait_for(student, "page tab", "Hand In Work"))
        ui.wait_for(student, "label", ASSIGNMENT)
        ui.click(ui.wait_for(student, "push button", "Choose Files…"))
        choose_file(app, work_file)
        done = ui.wait_for(student, "list", "Work handed in", timeout=30)
        ui.wait_for(done, "label", "我的作业.txt")
        ui.screenshot(SHOTS, "06-handed-in")
        failures += ["hand in: %s" % b for b in ui.unnamed_controls(app)]

        step("a program is refused, in plain words, and nothing of it is kept")
        ui.click(ui.wait_for(student, "push button", "Choose Files…"))
        choose_file(app, bad_file)
        ui.wait_for(student, "label", re.compile("game.exe"), timeout=30)
        ui.screenshot(SHOTS, "06-refused")
        if "我的作业" in recent_files(env) or "game.exe" in recent_files(env):
            failures.append("the file chooser left the pupil's files in the recent files")

        step("the classroom's 800×600 screen: the page still fits")
        subprocess.run(["xdotool", "search", "--name", "^" + STUDENT_WINDOW + "$",
                        "windowsize", "800", "600"], check=True)
        time.sleep(1)
        ui.screenshot(SHOTS, "06-800x600")
        ui.wait_for(student, "push button", "Choose Files…")
        ui.wait_for(student, "push button", "Next Pupil")
        ui.wait_for(student, "push button", "Leave Student Mode")

        step("Next Pupil: the next one finds nothing of the last")
        ui.click(ui.wait_for(student, "push button", "Next Pupil"))
        ui.wait_for(student, "label", "What Is Your Name?")
        ui.click(ui.wait_for(student, "push button", "张小红"))
        ui.wait_for(student, "push button", "语文 一年级 上册（演示）")
        entry = ui.wait_for(student, "entry", "Search the class’s courses")
        ui.click(ui.wait_for(student, "page tab", "Hand In Work"))
        ui.wait_for(student, "label", ASSIGNMENT)
        if ui.find_all(student, name=re.compile("我的作业|game.exe"), visible=False):
            failures.append("the last pupil's hand-ins or errors still show")
        ui.screenshot(SHOTS, "07-next-pupil-hand-in")
        ui.click(ui.wait_for(student, "page tab", "Courses"))
        if ui.text_of(entry) != "":
            failures.append("the last pupil's search %r is still there" % ui.text_of(entry))
        # Anywhere in the window, shown or not (GTK 4.8 keeps a hidden stack
        # page's last size): no result, title or page of what they opened.
        left = ui.find_all(student, name=re.compile("静夜思"), visible=False)
        if left:
            failures.append("the last pupil's resource or search is still there: %r"
                            % [(n.getRoleName(), n.name) for n in left])
        ui.screenshot(SHOTS, "07-next-pupil")

        step("the journal has the class and the resource, never the pupil")
        events = [(k, p) for k, p in test_ui.journal(data) if k.startswith("student.")]
        kinds = sorted(set(k for k, _ in events))
        if kinds != ["student.hand-in", "student.resource.opened"]:
            failures.append("student events %r, not a resource opened and a hand-in" % kinds)
        for kind, payload in events:
            if payload.get("class") != "一年级" or "李小明" in json.dumps(payload,
                                                                        ensure_ascii=False):
                failures.append("%s records %r" % (kind, payload))

        step("a wrong PIN does not leave student mode")
        ui.click(ui.wait_for(student, "push button", "Leave Student Mode"))
        dialog = ui.wait_for(app, None, "Leave Student Mode")
        ui.set_text(ui.wait_for(app, None, "Teacher PIN"), "0000")
        ui.click(ui.wait_for(app, "push button", "Leave"))
        ui.wait_for(app, "label", "Wrong PIN. 4 tries left")
        ui.screenshot(SHOTS, "08-wrong-pin")
        if ui.find_all(app, "frame", "Cunxiao"):
            failures.append("a wrong PIN opened the teacher's window")

        step("guessing makes everybody wait, even with the right PIN")
        for left in (3, 2, 1):
            ui.set_text(ui.wait_for(app, None, "Teacher PIN"), "1%03d" % left)
            ui.click(ui.wait_for(app, "push button", "Leave"))
            ui.wait_for(app, "label", re.compile(r"^Wrong PIN. %d tr" % left))
        ui.set_text(ui.wait_for(app, None, "Teacher PIN"), "9999")
        ui.click(ui.wait_for(app, "push button", "Leave"))
        ui.wait_for(app, "label", re.compile(r"^Too many wrong PINs. (Try again|The next try) in "
                                             r"(30|[12][0-9]) seconds"))
        leave = ui.wait_for(app, "push button", "Leave")
        ui.wait_until(lambda: not leave.getState().contains(pyatspi.STATE_SENSITIVE),
                      "Leave to be off while the guard makes everybody wait")
        ui.set_text(ui.wait_for(app, None, "Teacher PIN"), PIN)
        ui.click(leave)
        time.sleep(2)
        if ui.find_all(app, "frame", "Cunxiao"):
            failures.append("the right PIN was taken during the wait")
        ui.screenshot(SHOTS, "08-locked")
        ui.click(ui.wait_for(app, "push button", "Cancel"))
        ui.wait_for(app, "frame", STUDENT_WINDOW)

        step("the teacher's PIN leaves it, once the wait is over")
        ui.click(ui.wait_for(student, "push button", "Leave Student Mode"))
        leave = ui.wait_for(app, "push button", "Leave")
        # A new dialog still knows of the wait: it outlives the dialog.
        if leave.getState().contains(pyatspi.STATE_SENSITIVE):
            failures.append("a new PIN dialog forgot the wait")
        ui.wait_for(app, "label", re.compile(r"^Too many wrong PINs. The next try in \d+ seconds?$"))
        ui.screenshot(SHOTS, "08-waiting")
        ui.wait_until(lambda: leave.getState().contains(pyatspi.STATE_SENSITIVE),
                      "the wait to end", timeout=45)
        ui.set_text(ui.wait_for(app, None, "Teacher PIN"), PIN)
        ui.click(ui.wait_for(app, "push button", "Leave"))
        main_window = ui.wait_for(app, "frame", "Cunxiao")
        ui.wait_gone(app, "frame", STUDENT_WINDOW)
        ui.wait_for(main_window, "page tab", "Lessons")
        ui.screenshot(SHOTS, "09-left")

        step("the teacher sees the hand-in on the lesson, on this computer, not yet on the hub")
        ui.click(ui.wait_for(main_window, "page tab", "Lessons"))
        plans = ui.wait_for(app, "list", "Lesson plans")
        ui.point_at(*ui.center(ui.wait_for(plans, "label", "New Lesson")))
        subprocess.run(["xdotool", "click", "1"], check=True)
        ui.wait_for(app, "label", "1 file handed in")
        ui.wait_for(app, "label", "我的作业.txt")
        ui.wait_for(app, "label", "李小明")
        ui.wait_for(app, "label", "On this computer")
        ui.point_at(640, 500)
        subprocess.run(["xdotool", "click", "--repeat", "15", "5"], check=True)
        time.sleep(0.5)
        ui.screenshot(SHOTS, "09-teacher-sees")
        failures += ["lessons, hand-ins: %s" % b for b in ui.unnamed_controls(app)]

        step("the teacher hands a file in for 张小红, who has no computer of her own today")
        ui.set_text(ui.wait_for(app, "text", "Hand in for (pupil’s name)"), "张小红")
        ui.click(ui.wait_for(app, "push button",
                             "Hand in files for a pupil to “%s”" % ASSIGNMENT))
        choose_file(app, teacher_file, "Hand In for a Pupil")
        ui.wait_for(app, "label", "2 files handed in", timeout=30)
        ui.wait_for(app, "label", "张小红的作业.txt")
        ui.screenshot(SHOTS, "09-teacher-hands-in")
        # Out of student mode the chooser keeps recent files again (which also
        # shows the check in student mode above could fail).
        if "%E5%BC%A0%E5%B0%8F%E7%BA%A2" not in recent_files(env):
            failures.append("leaving student mode did not turn recent files back on")

        step("enrolled and synced, the hand-ins have reached the hub, and the lesson says so")
        # The hub again where the packages came from, now with an API for
        # enrolled computers.
        hub, hub_url = test_ui.serve(work, "hub2", [
            HUB, "serve", "--repo", os.path.join(work, "repo"), "--data",
            os.path.join(work, "hub-data"), "--port", re.search(r":(\d+)/", hub_first).group(1),
            "--bind", "127.0.0.1"])
        servers.append(hub)
        code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}",
                         run(HUB, "enroll", "--data", os.path.join(work, "hub-data"),
                             "--school", "石桥小学")).group(0)
        run(CLI, "enroll", hub_url, code, env=env)
        run(CLI, "sync", "--once", env=env)
        # The plan opened again reads the hand-ins afresh.
        ui.point_at(*ui.center(ui.wait_for(plans, "label", "New Lesson")))
        subprocess.run(["xdotool", "click", "1"], check=True)
        ui.wait_until(lambda: len(ui.find_all(app, "label", "Reached the hub")) == 2,
                      "both hand-ins to say they reached the hub", timeout=30)
        if ui.find_all(app, "label", "On this computer"):
            failures.append("a synced hand-in still says it is only on this computer")
        ui.point_at(640, 500)
        subprocess.run(["xdotool", "click", "--repeat", "15", "5"], check=True)
        time.sleep(0.5)
        ui.screenshot(SHOTS, "09-reached-hub")

        step("back in student mode, the app restarts (a power cut) into it")
        ui.click(ui.wait_for(main_window, "push button", "Main Menu"))
        ui.click(ui.wait_for(app, "menu item", "Student Mode…"))
        ui.click(ui.wait_for(app, "push button", CONFIRM))
        ui.wait_for(app, "frame", STUDENT_WINDOW)
        del dialog
        stop_app(app_proc)
        app_proc = start_app(env)
        app = ui.app_named("cunxiao")
        student = ui.wait_for(app, "frame", STUDENT_WINDOW)
        # The class stays picked; the name is asked again.
        ui.wait_for(student, "label", "What Is Your Name?")
        ui.wait_for(student, "push button", "李小明")
        if ui.find_all(app, "frame", "Cunxiao"):
            failures.append("the restart opened the teacher's window too")
        ui.screenshot(SHOTS, "10-restarted")
    except Exception:
        ui.screenshot(SHOTS, "failed-at-step-%d" % step_number)
        if app_proc.poll() is not None:
            print("# the app had exited, with status %d" % app_proc.returncode)
        for n in ui.descendants(app) if app is not None else []:
            try:
                if n.getRoleName() in ("frame", "label", "push button"):
                    print("#   %s %r" % (n.getRoleName(), n.name))
            except Exception:
                pass
        raise
    finally:
        stop_app(app_proc)
        for server in servers:
            server.terminate()
            server.wait()

    for f in failures:
        print("FAIL: " + f)
    print("%d steps, %d failures; screenshots in %s" % (step_number, len(failures), SHOTS))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
