#!/usr/bin/python3
"""UI test: the real app in a real window, driven through AT-SPI.

A teacher with no network: the hub that installed the demo package is gone.
They find a resource by a Chinese search, open it, put it and a second one
into a new lesson, drag a third into it from the library beside the plan, teach it full screen (next, previous, black screen, end),
and the session lands in the usage journal. Along the way every page is
photographed (under $CX_SCREENSHOTS) and every interactive control must
have an accessible name. Then the hub comes back behind a slow link with an
update: the sync is paused (nothing more is fetched), resumed, cancelled
and run again to the end, each going on from what arrived; and once the
computer is enrolled the app syncs by itself.

Run under Xvfb and a private D-Bus session (see run-ui-test.sh).
"""
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cx_atspi as ui  # noqa: E402
import pyatspi  # noqa: E402

CLI = os.environ["CUNXIAO_CLI"]
HUB = os.environ["CUNXIAO_HUB"]
APP = os.environ["CUNXIAO_APP"]
DEMO = os.environ["CUNXIAO_DEMO"]
PROXY = os.environ["CUNXIAO_FAULT_PROXY"]
WEBKIT = os.environ.get("CUNXIAO_APP_WEBKIT") == "1"
SHOTS = os.environ.get("CX_SCREENSHOTS", "screenshots")
# The update's new file, and the link it comes through: about 75 s to fetch,
# time enough to pause it.
UPDATE_BYTES = 3000 * 1000
LINK_BYTES_PER_SECOND = 40 * 1000
# What arrives before each Pause and Cancel: several whole chunks.
ARRIVED_BEFORE_STOP = 300 * 1000

step_number = 0


def step(text):
    global step_number
    step_number += 1
    print("# %d. %s" % (step_number, text), flush=True)


def run(*args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs).stdout


def serve(work, name, args):
    """Starts a server that says its address on its output; returns it and
    the address."""
    log = open(os.path.join(work, name + ".log"), "w")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    url = ui.wait_until(lambda: (re.search(r"http://[0-9.:]+/", open(log.name).read()) or
                                 [None])[0], name + " to listen")
    return proc, url


def install_demo(work, env):
    """Publishes the demo package on a hub, installs it, then stops the hub."""
    repo, key = os.path.join(work, "repo"), os.path.join(work, "hub.key")
    pub = run(HUB, "keygen", "--output", key)
    pubkey = re.search(r"ed25519:[A-Za-z0-9+/=]+", pub).group(0)
    run(HUB, "publish", DEMO, "--repo", repo, "--key", key, "--repository-id", "ui-test")
    hub, url = serve(work, "hub", [HUB, "serve", "--repo", repo, "--port", "0",
                                   "--bind", "127.0.0.1"])
    try:
        run(CLI, "init", env=env)
        run(CLI, "hub", "add", url, "--key", pubkey, env=env)
        run(CLI, "packages", "install", "yuwen-1a", env=env)
    finally:
        hub.terminate()
        hub.wait()
    return url


def publish_update(work):
    """A new version of the demo package, with a recording that takes a
    while to fetch on a slow link (random bytes: nothing compresses them)."""
    src = os.path.join(work, "yuwen-1a-v2")
    shutil.copytree(DEMO, src)
    extra = "unit-2/lesson-2/朗读录音.webm"
    with open(os.path.join(src, extra), "wb") as f:
        f.write(os.urandom(UPDATE_BYTES))
    path = os.path.join(src, "package.json")
    with open(path, encoding="utf-8") as f:
        meta = json.load(f)
    unit = next(u for u in meta["units"] if u["id"] == "unit-2")
    next(l for l in unit["lessons"] if l["id"] == "lesson-2")["files"].append(extra)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=2)
    run(HUB, "publish", src, "--repo", os.path.join(work, "repo"),
        "--key", os.path.join(work, "hub.key"))


def bring_hub_back(work, url):
    """The hub again, with an API for enrolled computers, behind a slow link
    on the address the app knows it by."""
    hub, hub_url = serve(work, "hub2", [HUB, "serve", "--repo", os.path.join(work, "repo"),
                                        "--data", os.path.join(work, "hub-data"),
                                        "--port", "0", "--bind", "127.0.0.1"])
    upstream = re.match(r"http://([0-9.:]+)/", hub_url).group(1)
    port = re.match(r"http://[0-9.]+:([0-9]+)/", url).group(1)
    proxy, _ = serve(work, "proxy", [PROXY, "--upstream", upstream, "--port", port,
                                     "--bind", "127.0.0.1", "--rate", str(LINK_BYTES_PER_SECOND),
                                     "--log", os.path.join(work, "proxy-requests.log")])
    return [hub, proxy]


def requests_through(work):
    path = os.path.join(work, "proxy-requests.log")
    return open(path).read().count("\n") if os.path.exists(path) else 0


def stored_bytes(data):
    total = 0
    for d, _, files in os.walk(data):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(d, f))
            except FileNotFoundError:  # renamed into place meanwhile
                pass
    return total


def pack_starts(work):
    """Where each request for part of a pack file started, in order."""
    with open(os.path.join(work, "proxy-requests.log")) as f:
        return [int(m.group(1)) for m in re.finditer(r"\.pack range=bytes=(\d+)-", f.read())]


def journal(data):
    db = sqlite3.connect(os.path.join(data, "cunxiao.db"))
    try:
        return [(k, json.loads(p)) for k, p in db.execute("SELECT kind, payload FROM journal")]
    finally:
        db.close()


def open_page(app, name):
    ui.click(ui.wait_for(app, "page tab", name))
    time.sleep(0.5)


def search_and_open(app, text, title):
    entry = ui.wait_for(app, "entry", "Search the library")
    ui.set_text(entry, text)
    results = ui.wait_for(app, "list", "Search results")
    ui.click(ui.wait_for(results, "push button", title))
    ui.wait_for(app, "push button", "Back to the Library")


def add_to_lesson(app, target):
    ui.click(ui.wait_for(app, "push button", "Add to Lesson"))
    ui.click(ui.wait_for(app, "push button", target))


def main():
    work = tempfile.mkdtemp(prefix="cunxiao-ui-")
    data = os.path.join(work, "data")
    env = dict(os.environ, CUNXIAO_DATA_DIR=data)
    failures = []
    servers = []

    step("the demo package is installed, and its hub is gone (no network from here on)")
    url = install_demo(work, env)

    step("the app starts")
    app = None
    # Automatic syncs stay on, as they ship; the basic network monitor says a
    # network is there whatever the machine running the test has.
    app_proc = subprocess.Popen([APP], env=dict(env, GSETTINGS_BACKEND="memory",
                                                GIO_USE_NETWORK_MONITOR="base"))
    try:
        app = ui.app_named("cunxiao")
        ui.wait_for(app, "frame", "Cunxiao")
        ui.screenshot(SHOTS, "01-today")

        step("Library: the course tree of the installed package")
        open_page(app, "Library")
        ui.wait_for(app, "push button", "语文 一年级 上册（演示）")
        ui.screenshot(SHOTS, "02-library")

        step("a Chinese search finds 静夜思 as it is typed, and it opens")
        search_and_open(app, "静夜", "静夜思")
        ui.wait_for(app, "label", "静夜思")
        if WEBKIT:
            # The page in WebKit: the view is busy until the page has loaded.
            page = ui.wait_for(app, None, "静夜思.html")
            ui.wait_until(lambda: not page.getState().contains(pyatspi.STATE_BUSY),
                          "the page to load in WebKit", timeout=60)
        else:
            ui.wait_for(app, "push button", "Open in Browser")
        if ui.find_all(app, name="This resource cannot be shown here"):
            failures.append("静夜思 did not open in the viewer")
        ui.screenshot(SHOTS, "03-viewer")

        step("it goes into a new lesson, which opens on the Lessons page")
        add_to_lesson(app, "New Lesson with This")
        ui.wait_for(app, "push button", "Teach")
        ui.screenshot(SHOTS, "04-lesson")

        step("a second resource, 咏鹅, joins the same lesson from the library")
        open_page(app, "Library")
        ui.click(ui.wait_for(app, "push button", "Back to the Library"))
        search_and_open(app, "咏鹅", "咏鹅")
        add_to_lesson(app, "静夜思")
        open_page(app, "Lessons")
        ui.wait_for(app, "push button", "Remove “咏鹅” from the lesson")

        step("a third, 五行, is dragged into it from the library beside the lesson")
        ui.click(ui.wait_for(app, "push button", "Add from Library"))
        ui.set_text(ui.wait_for(app, "entry", "Search the library for this lesson"), "五行")
        picks = ui.wait_for(app, "list", "Library material to add")
        ui.drag(ui.wait_for(picks, "push button", "五行"),
                ui.wait_for(app, "list", "Material of the lesson"))
        ui.wait_for(app, "push button", "Remove “五行” from the lesson")
        ui.screenshot(SHOTS, "04-lesson-dragged")
        ui.click(ui.wait_for(app, "push button", "Add from Library"))

        step("teach mode: full screen, next and previous by button and by clicker key")
        ui.click(ui.wait_for(app, "push button", "Teach"))
        teach = ui.wait_for(app, "frame", "静夜思")
        ui.wait_for(teach, "label", "1 of 3", visible=False)
        ui.screenshot(SHOTS, "05-teach")
        # The controls fade out after a few seconds; the position is read
        # whether or not they show.
        ui.click(ui.wait_for(teach, "push button", "Next", visible=False))
        ui.wait_for(teach, "label", "2 of 3", visible=False)
        ui.point_at(500, 300)
        ui.press("Prior")  # Page Up, as a clicker sends it
        ui.wait_for(teach, "label", "1 of 3", visible=False)
        ui.press("Next")  # Page Down
        ui.wait_for(teach, "label", "2 of 3", visible=False)
        ui.press("b")  # black screen
        ui.screenshot(SHOTS, "06-teach-black")
        # The teacher counts who is there, for the monthly report.
        ui.wait_for(teach, "spin button", "Pupils present", visible=False) \
            .queryValue().currentValue = 23
        ui.click(ui.wait_for(teach, "push button", "End Lesson", visible=False))
        ui.wait_gone(app, "frame", "静夜思")

        step("the session is in the usage journal")
        taught = [p for k, p in journal(data) if k == "lesson.taught"]
        if len(taught) != 1 or taught[0].get("items") != 3 or taught[0].get("items_shown") != 2 \
                or taught[0].get("pupils") != 23:
            failures.append("journal holds %r, not one lesson of 3 items, 2 shown, 23 pupils"
                            % taught)
        opened = [p for k, p in journal(data) if k == "resource.opened"]
        if [p["title"] for p in opened] != ["静夜思", "咏鹅"]:
            failures.append("journal opened %r" % opened)
        prepared = [p for k, p in journal(data) if k == "lesson.prepared"]
        if len(prepared) != 1 or prepared[0].get("title") != "静夜思":
            failures.append("journal holds %r, not the one lesson prepared" % prepared)

        step("every interactive control on every page has an accessible name")
        for page in ("Today", "Library", "Lessons", "Sync"):
            open_page(app, page)
            ui.screenshot(SHOTS, "07-" + page.lower())
            failures += ["%s page: %s" % (page, b) for b in ui.unnamed_controls(app)]

        step("with the hub gone, Sync Now says so in plain words and nothing else changes")
        open_page(app, "Sync")
        ui.click(ui.wait_for(app, "push button", "Sync Now"))
        ui.wait_for(app, None, re.compile(r"^The hub could not be reached\. Everything on this"),
                    timeout=120)
        ui.screenshot(SHOTS, "08-sync-offline")
        open_page(app, "Library")
        ui.wait_for(app, "push button", "语文 一年级 上册（演示）")

        step("the hub is back behind a slow link with an update; the sync is paused")
        publish_update(work)
        servers += bring_hub_back(work, url)
        open_page(app, "Sync")
        stored = stored_bytes(data)
        ui.click(ui.wait_for(app, "push button", "Sync Now"))
        ui.wait_for(app, "label", re.compile(r"^Fetching package 1 of 1: "), timeout=60)
        # Whole pieces of the new file kept on disk, so there is something to go on from.
        ui.wait_until(lambda: stored_bytes(data) > stored + ARRIVED_BEFORE_STOP,
                      "part of the update to arrive", timeout=60)
        ui.click(ui.wait_for(app, "push button", "Pause"))
        ui.wait_for(app, "label", re.compile(r"^Sync paused\. What arrived is kept"))
        ui.wait_for(app, "push button", "Resume")
        cancel = ui.wait_for(app, "push button", "Cancel")
        ui.wait_gone(app, "push button", "Pause")
        ui.wait_for(app, "push button", "Sync paused")  # the window's indicator
        packages = ui.wait_for(app, "list", "Packages of this sync")
        ui.wait_for(packages, "label", "Paused; Resume goes on from here")
        ui.screenshot(SHOTS, "09-sync-paused")
        failures += ["Sync page, paused: %s" % b for b in ui.unnamed_controls(app)]

        step("while paused nothing is fetched; Resume goes on")
        time.sleep(2)  # the request under way when Pause was pressed ends
        if not pack_starts(work):
            failures.append("paused, yet the transfer under way went on")
        before = requests_through(work), stored_bytes(data)
        time.sleep(4)
        if (requests_through(work), stored_bytes(data)) != before:
            failures.append("paused, yet the sync went on: %r requests and bytes stored, then %r"
                            % (before, (requests_through(work), stored_bytes(data))))
        if not ui.find_all(app, "label", re.compile(r"^Sync paused\.")):
            failures.append("the paused status did not stay")
        stored = stored_bytes(data)
        ui.click(ui.wait_for(app, "push button", "Resume"))
        # What arrives on disk says it goes on; looking through the whole
        # window for labels is slow on a loaded machine, and the rest of
        # the update must not arrive before Cancel is pressed.
        ui.wait_until(lambda: stored_bytes(data) > stored + ARRIVED_BEFORE_STOP,
                      "more of the update to arrive", timeout=60)

        step("Cancel stops it too; Sync Now goes on from what arrived, to the end")
        ui.click(cancel)
        ui.wait_for(app, "label", re.compile(r"^Sync cancelled\. What arrived is kept"),
                    timeout=60)
        ui.wait_for(packages, "label", "Not finished; the next sync goes on from here")
        ui.click(ui.wait_for(app, "push button", "Sync Now"))
        ui.wait_for(app, "label", "Sync finished: 1 package updated.", timeout=180)
        ui.wait_for(app, "push button", "Sync Now")
        ui.wait_for(app, "push button", "Online")  # the indicator is back to the link
        starts = pack_starts(work)
        if len(starts) < 2 or any(b <= a for a, b in zip(starts, starts[1:])):
            failures.append("a sync did not go on from what arrived (pack requests from %r)"
                            % starts)
        ui.screenshot(SHOTS, "10-sync-resumed")

        step("enrolled from the Sync page, the app syncs by itself")
        code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}",
                         run(HUB, "enroll", "--data", os.path.join(work, "hub-data"),
                             "--school", "石桥小学")).group(0)
        ui.set_text(ui.wait_for(app, None, "Enrolment code"), code)
        ui.click(ui.wait_for(app, "push button", "Enrol"))
        ui.wait_for(app, "label", re.compile(r"^Sync finished: \d+ usage records? sent"),
                    timeout=120)
        ui.wait_for(app, None, "Next automatic sync")
        ui.screenshot(SHOTS, "11-sync-automatic")
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
        app_proc.send_signal(signal.SIGTERM)
        try:
            app_proc.wait(10)
        except subprocess.TimeoutExpired:
            app_proc.kill()
        for server in servers:
            server.terminate()
            server.wait()

    for f in failures:
        print("FAIL: " + f)
    print("%d steps, %d failures; screenshots in %s" % (step_number, len(failures), SHOTS))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
