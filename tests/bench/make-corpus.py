#!/usr/bin/python3
"""Builds the download benchmark's package corpus from Debian-packaged content.

    make-corpus.py OUT_DIR

writes three versions of one package, each a complete source tree with its
package.json, as a publisher would receive them:

  OUT_DIR/v1  a fresh course: Chinese HTML chapters (debian-reference-zh-cn),
              chapters of its PDF (qpdf), worksheet PDFs typeset with cairo,
              images, read-aloud audio (espeak-ng) and H.264 videos (ffmpeg)
  OUT_DIR/v2  a revision: one video re-recorded, one trimmed, some pages edited
  OUT_DIR/v3  an errata: a few small edits scattered over many HTML and PDF files

Everything is deterministic, so two runs build the same bytes and benchmark
figures can be compared across machines.

Needs: debian-reference-zh-cn, fonts-wqy-microhei, python3-cairo, qpdf,
espeak-ng, ffmpeg.
"""

import json
import os
import random
import shutil
import subprocess
import sys

import cairo

REFERENCE = "/usr/share/debian-reference"
FONT = "WenQuanYi Micro Hei"

UNITS = [
    ("unit-1", "第一单元 认识电脑", ["pr01", "ch01", "ch02"]),
    ("unit-2", "第二单元 文件与程序", ["ch03", "ch04", "ch05"]),
    ("unit-3", "第三单元 网络", ["ch06", "ch07", "ch08"]),
    ("unit-4", "第四单元 系统", ["ch09", "ch10"]),
    ("unit-5", "第五单元 数据", ["ch11", "ch12", "apa"]),
]

POEMS = [
    ("咏鹅", "鹅，鹅，鹅，曲项向天歌。白毛浮绿水，红掌拨清波。"),
    ("静夜思", "床前明月光，疑是地上霜。举头望明月，低头思故乡。"),
    ("春晓", "春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。"),
    ("悯农", "锄禾日当午，汗滴禾下土。谁知盘中餐，粒粒皆辛苦。"),
    ("画", "远看山有色，近听水无声。春去花还在，人来鸟不惊。"),
]


def run(*argv):
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def worksheet(path, title, lines, edits=()):
    """Typesets a two-page worksheet; `edits` replaces words, as a teacher's
    correction would before the PDF is made again."""
    text = "\n".join(lines)
    for old, new in edits:
        text = text.replace(old, new, 1)
    surface = cairo.PDFSurface(path, 595, 842)
    surface.set_metadata(cairo.PDF_METADATA_CREATE_DATE, "2026-09-01T08:00:00")
    ctx = cairo.Context(surface)
    ctx.select_font_face(FONT)
    rows = text.split("\n")
    for page in range(2):
        ctx.set_font_size(20)
        ctx.move_to(50, 60)
        ctx.show_text("%s（%d）" % (title, page + 1))
        ctx.set_font_size(11)
        for i, row in enumerate(rows[page * 40 : page * 40 + 40]):
            ctx.move_to(50, 100 + i * 18)
            ctx.show_text(row[:44])
        ctx.show_page()
    surface.finish()


def chapter_text(chapter):
    """Plain lines of a debian-reference chapter, for worksheets."""
    with open(os.path.join(REFERENCE, chapter + ".zh-cn.html"), encoding="utf-8") as f:
        html = f.read()
    out, keep = [], True
    for part in html.replace(">", "<").split("<"):
        part = part.strip()
        if keep and part and len(part) > 8 and not part.startswith(("a ", "/", "div", "span")):
            out.append(part)
        keep = not keep
    return out[:200]


def video(path, pattern, seconds, seed, options=""):
    run("ffmpeg", "-y", "-v", "error", "-f", "lavfi",
        "-i", "%s=size=320x240:rate=15%s" % (pattern, options),
        "-f", "lavfi", "-i", "sine=frequency=%d:sample_rate=22050" % (220 + seed),
        "-t", str(seconds), "-c:v", "libx264", "-preset", "medium", "-crf", "30",
        "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "32k",
        "-threads", "1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
        "-flags:a", "+bitexact", "-map_metadata", "-1", "-movflags", "+faststart", path)


def trim(src, dst, start):
    run("ffmpeg", "-y", "-v", "error", "-ss", str(start), "-i", src, "-c", "copy",
        "-fflags", "+bitexact", "-map_metadata", "-1", "-movflags", "+faststart", dst)


def speech(path, text):
    wav = path + ".wav"
    run("espeak-ng", "-v", "cmn", "-s", "120", "-w", wav, text)
    run("ffmpeg", "-y", "-v", "error", "-i", wav, "-c:a", "libopus", "-b:a", "24k",
        "-fflags", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1", path)
    os.unlink(wav)


def image(path, pattern, seed):
    source = "%s=size=640x480" % pattern
    if pattern in ("cellauto", "life"):
        source += ":seed=%d" % seed
    run("ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", source,
        "-frames:v", "1", "-q:v", "4", "-fflags", "+bitexact", path)


def edit_html(path, rng, n, insert=None):
    """Small corrections at `n` places, as an errata sheet would list them."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for _ in range(n):
        at = text.find("。", rng.randrange(len(text) // 10, len(text) - 100))
        if at < 0:
            continue
        text = text[:at] + "（已更正）" + text[at:]
    if insert:
        at = text.find("<p>", len(text) // 2)
        text = text[:at] + insert + text[at:]
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def build_v1(root):
    units = []
    for n, (uid, title, chapters) in enumerate(UNITS):
        lessons = []
        for k, chapter in enumerate(chapters):
            lid = "lesson-%d" % (k + 1)
            d = os.path.join(root, uid, lid)
            os.makedirs(d)
            files = []
            html = os.path.join(d, "课文.html")
            shutil.copy(os.path.join(REFERENCE, chapter + ".zh-cn.html"), html)
            files.append(html)
            ws = os.path.join(d, "练习.pdf")
            worksheet(ws, "%s 练习" % title, chapter_text(chapter))
            files.append(ws)
            poem, words = POEMS[(n + k) % len(POEMS)]
            audio = os.path.join(d, "朗读-%s.opus" % poem)
            speech(audio, words)
            files.append(audio)
            pic = os.path.join(d, "插图.jpg")
            image(pic, ["mandelbrot", "cellauto", "life", "testsrc2"][(n + k) % 4], n * 7 + k)
            files.append(pic)
            lessons.append({"id": lid, "title": "%s 第%d课" % (title, k + 1),
                            "files": [os.path.relpath(f, root) for f in files]})
        units.append({"id": uid, "title": title, "files": [], "lessons": lessons})

    # Reference chapters as PDF pages, and the videos, belong to whole units.
    pdf = os.path.join(REFERENCE, "debian-reference.zh-cn.pdf")
    for n, pages in enumerate(["1-40", "41-90", "91-150"]):
        dst = os.path.join(root, UNITS[n][0], "参考资料.pdf")
        run("qpdf", "--empty", "--deterministic-id", "--pages", pdf, pages, "--", dst)
        units[n]["files"].append(os.path.relpath(dst, root))
    for n, pattern in enumerate(["mandelbrot", "testsrc2"]):
        dst = os.path.join(root, UNITS[n + 3][0], "视频.mp4")
        video(dst, pattern, 40, n)
        units[n + 3]["files"].append(os.path.relpath(dst, root))
    for d in ("images",):
        dst = os.path.join(root, "images")
        shutil.copytree(os.path.join(REFERENCE, d), dst)
    write_package(root, units)


def write_package(root, units):
    meta = {"id": "bench-xinxi", "title": "信息技术 四年级（基准测试）", "subject": "信息技术",
            "grade": "4", "edition": "基准版", "units": units}
    with open(os.path.join(root, "package.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=2)


def revised_worksheet(chapter):
    lines = chapter_text(chapter)
    return lines[:20] + ["新增练习：写出三个文件名。"] * 5 + lines[20:]


def build_v2(v1, root):
    """A revision: one video re-recorded, one trimmed, some pages edited."""
    shutil.copytree(v1, root)
    rng = random.Random(2)
    video(os.path.join(root, "unit-4", "视频.mp4"), "mandelbrot", 40, 5, ":start_scale=2")
    src = os.path.join(v1, "unit-5", "视频.mp4")
    trim(src, os.path.join(root, "unit-5", "视频.mp4"), 8)
    section = "<p>本节为修订版新增内容：课堂上先请学生观察插图，再朗读课文，最后完成练习。</p>\n" * 12
    for uid, lid in (("unit-1", "lesson-2"), ("unit-3", "lesson-1"), ("unit-4", "lesson-2")):
        edit_html(os.path.join(root, uid, lid, "课文.html"), rng, 6, insert=section)
    ws = os.path.join(root, "unit-2", "lesson-1", "练习.pdf")
    worksheet(ws, "%s 练习" % UNITS[1][1], revised_worksheet("ch03"))


def build_v3(v2, root):
    """An errata: a few small edits scattered over many HTML and PDF files."""
    shutil.copytree(v2, root)
    rng = random.Random(3)
    for n, (uid, _title, chapters) in enumerate(UNITS):
        for k, chapter in enumerate(chapters):
            d = os.path.join(root, uid, "lesson-%d" % (k + 1))
            if (n + k) % 3 != 2:
                edit_html(os.path.join(d, "课文.html"), rng, 3)
            if (n + k) % 3 == 0:
                lines = chapter_text(chapter)
                if uid == "unit-2" and k == 0:
                    lines = revised_worksheet(chapter)
                word = lines[7].split()[0][:2] if lines[7].split() else lines[7][:2]
                worksheet(os.path.join(d, "练习.pdf"), "%s 练习" % UNITS[n][1], lines,
                          edits=[(word, word + "＊")])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make-corpus.py OUT_DIR")
    out = sys.argv[1]
    for v in ("v1", "v2", "v3"):
        shutil.rmtree(os.path.join(out, v), ignore_errors=True)
    os.makedirs(out, exist_ok=True)
    build_v1(os.path.join(out, "v1"))
    build_v2(os.path.join(out, "v1"), os.path.join(out, "v2"))
    build_v3(os.path.join(out, "v2"), os.path.join(out, "v3"))


if __name__ == "__main__":
    main()
