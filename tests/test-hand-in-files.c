/* test-hand-in-files.c: what a hand-in's file must be, and that nothing is half-stored */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cx-test-util.h"

#include "cx-hand-in-files.h"
#include "cx-store-hand-ins.h"

static const CxHandIn details = { .assignment = (char *) "看图写话",
                                  .class_name = (char *) "二年级",
                                  .pupil = (char *) "王小明" };

typedef struct
{
  char *dir; /* where the pupil's files are */
  char *data_dir;
  CxStore *store;
} Fixture;

static char *system_data_dirs;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  /* Content sniffing needs the system's shared MIME database, which the
   * isolated data folders of each test hide. */
  g_setenv ("XDG_DATA_DIRS", system_data_dirs, TRUE);
  fx->dir = cx_test_make_dir ();
  fx->store = cx_test_new_store (&fx->data_dir);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_clear_object (&fx->store);
  g_free (fx->dir);
  g_free (fx->data_dir);
}

static char *
write_file (Fixture *fx, const char *name, const void *content, gsize length)
{
  char *path = g_build_filename (fx->dir, name, NULL);

  cx_test_write_file (path, content, length);
  return path;
}

/* Every file kept under DATA/hand-ins, temporary ones included. */
static guint
count_kept_files (Fixture *fx)
{
  g_autofree char *top = g_build_filename (fx->data_dir, "hand-ins", NULL);
  g_autoptr (GDir) dir = g_dir_open (top, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sub = g_build_filename (top, name, NULL);
      g_autoptr (GDir) inner = NULL;

      if (!g_file_test (sub, G_FILE_TEST_IS_DIR))
        {
          n++;
          continue;
        }
      inner = g_dir_open (sub, 0, NULL);
      while (inner != NULL && g_dir_read_name (inner) != NULL)
        n++;
    }
  return n;
}

static guint
count_hand_ins (Fixture *fx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = cx_store_list_hand_ins (fx->store, FALSE, &error);

  g_assert_no_error (error);
  return list->len;
}

/* Handing in @path fails with @code, naming the file, and keeps nothing. */
static void
assert_refused (Fixture *fx, const char *path, int code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) checked = NULL;
  g_autofree char *name = g_path_get_basename (path);

  g_assert_cmpint (cx_hand_in_files_add (fx->store, path, &details, NULL, &error), ==, 0);
  g_assert_error (error, CX_HAND_IN_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_false (cx_hand_in_files_check (path, NULL, &checked));
  g_assert_error (checked, CX_HAND_IN_ERROR, code);
  g_assert_cmpuint (count_hand_ins (fx), ==, 0);
  g_assert_cmpuint (count_kept_files (fx), ==, 0);
}

static void
test_accepted (Fixture *fx, gconstpointer data)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
  static const char python[] = "#!/usr/bin/env python3\nprint ('你好')\n";
  static const char docx[] = "PK\x03\x04\x14\x00\x06\x00";
  const struct
  {
    const char *name;
    const void *content;
    gsize length;
  } files[] = {
    { "作文.txt", "我的家乡在山里。", strlen ("我的家乡在山里。") },
    { "画.png", png, sizeof png },
    { "猜数字.py", python, strlen (python) },
    { "报告.docx", docx, sizeof docx - 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *path = write_file (fx, files[i].name, files[i].content, files[i].length);
      g_autoptr (GPtrArray) list = NULL;
      g_autofree char *kept = NULL;
      g_autofree char *content = NULL;
      gsize length;
      CxHandIn *recorded;

      cx_hand_in_files_check (path, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (cx_hand_in_files_add (fx->store, path, &details, NULL, &error), >, 0);
      g_assert_no_error (error);
      list = cx_store_list_hand_ins (fx->store, FALSE, &error);
      recorded = g_ptr_array_index (list, list->len - 1);
      g_assert_cmpstr (recorded->file_name, ==, files[i].name);
      g_assert_cmpint (recorded->size, ==, files[i].length);
      g_assert_cmpstr (recorded->pupil, ==, "王小明");
      kept = cx_hand_in_files_get_path (fx->store, recorded->content_hash);
      g_assert_true (g_file_get_contents (kept, &content, &length, NULL));
      g_assert_cmpmem (content, length, files[i].content, files[i].length);
    }
  g_assert_cmpuint (count_kept_files (fx), ==, G_N_ELEMENTS (files));
}

static void
test_refused_types (Fixture *fx, gconstpointer data)
{
  static const char *const names[] = { "setup.exe", "作业.bat", "run.cmd", "go.SH",
                                       "x.msi",     "game.apk", "a.js",    "hello.vbs" };
  static const char elf[] = "\x7f"
                            "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e";
  static const char pe[] = "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
                           "This program cannot be run in DOS mode";
  static const char script[] = "#!/bin/sh\nrm -rf ~\n";
  static const char env_script[] = "#!/usr/bin/env bash\nrm -rf ~\n";
  static const char launcher[] = "[Desktop Entry]\nType=Application\nName=x\nExec=rm -rf ~\n";

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = write_file (fx, names[i], "harmless", 8);

      g_assert_true (cx_hand_in_files_is_refused_name (names[i]));
      assert_refused (fx, path, CX_HAND_IN_ERROR_REFUSED_TYPE);
    }
  g_assert_true (cx_hand_in_files_is_refused_name ("game.exe. "));
  g_assert_true (cx_hand_in_files_is_refused_name ("作业.jpg.exe"));
  g_assert_false (cx_hand_in_files_is_refused_name ("作业.exe.jpg"));
  g_assert_false (cx_hand_in_files_is_refused_name ("作文.txt"));
  g_assert_false (cx_hand_in_files_is_refused_name ("sh"));
  g_assert_false (cx_hand_in_files_is_refused_name ("photo.jpg"));

  /* A program renamed to look like a picture is told by its content. */
  {
    g_autofree char *path = write_file (fx, "photo.jpg", elf, sizeof elf - 1);

    assert_refused (fx, path, CX_HAND_IN_ERROR_REFUSED_TYPE);
  }
  {
    g_autofree char *path = write_file (fx, "作业.doc", pe, sizeof pe - 1);

    assert_refused (fx, path, CX_HAND_IN_ERROR_REFUSED_TYPE);
  }
  {
    g_autofree char *path = write_file (fx, "readme.txt", script, strlen (script));

    assert_refused (fx, path, CX_HAND_IN_ERROR_REFUSED_TYPE);
  }
  {
    g_autofree char *path = write_file (fx, "env.txt", env_script, strlen (env_script));

    assert_refused (fx, path, CX_HAND_IN_ERROR_REFUSED_TYPE);
  }
  /* Told by the shared MIME database: a launcher that runs a command. */
  {
    g_autofree char *path = write_file (fx, "笔记.txt", launcher, strlen (launcher));

    assert_refused (fx, path, CX_HAND_IN_ERROR_REFUSED_TYPE);
  }
}

static void
test_too_large (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fx->dir, "video.mp4", NULL);
  g_autofree char *fits = g_build_filename (fx->dir, "fits.mp4", NULL);
  int fd;

  /* Sparse: no real space used. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, CX_HAND_IN_MAX_FILE_SIZE + 1), ==, 0);
  close (fd);
  assert_refused (fx, path, CX_HAND_IN_ERROR_TOO_LARGE);

  fd = g_open (fits, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (write (fd,
                          "\0\0\0\x18"
                          "ftypmp42",
                          12),
                   ==, 12);
  g_assert_cmpint (ftruncate (fd, CX_HAND_IN_MAX_FILE_SIZE), ==, 0);
  close (fd);
  g_assert_true (cx_hand_in_files_check (fits, NULL, NULL));
}

static void
test_empty_missing_unreadable (Fixture *fx, gconstpointer data)
{
  g_autofree char *empty = write_file (fx, "空.txt", "", 0);
  g_autofree char *missing = g_build_filename (fx->dir, "gone.jpg", NULL);
  g_autofree char *folder = g_build_filename (fx->dir, "照片", NULL);
  g_autofree char *locked = write_file (fx, "locked.txt", "secret", 6);

  assert_refused (fx, empty, CX_HAND_IN_ERROR_EMPTY);
  assert_refused (fx, missing, CX_HAND_IN_ERROR_NOT_A_FILE);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  assert_refused (fx, folder, CX_HAND_IN_ERROR_NOT_A_FILE);

  /* A file whose reading fails, as on a failing USB stick: this
   * process's own memory file answers EIO at offset 0. */
  assert_refused (fx, "/proc/self/mem", CX_HAND_IN_ERROR_UNREADABLE);

  g_assert_cmpint (g_chmod (locked, 0), ==, 0);
  if (access (locked, R_OK) == 0)
    g_test_message ("Running with the right to read any file: no permission case");
  else
    assert_refused (fx, locked, CX_HAND_IN_ERROR_UNREADABLE);
}

/* The copy is made, then recording fails: the copy goes again, unless the
 * same content was kept already for an earlier hand-in. */
static void
test_record_fails (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_file (fx, "作文.txt", "春天来了", strlen ("春天来了"));
  g_autofree char *other = write_file (fx, "日记.txt", "今天下雨", strlen ("今天下雨"));
  CxHandIn no_class = details;
  CxHandIn no_assignment = details;

  no_class.class_name = NULL;
  g_assert_cmpint (cx_hand_in_files_add (fx->store, path, &no_class, NULL, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (count_kept_files (fx), ==, 0);

  no_assignment.assignment_id = 4242;
  g_assert_cmpint (cx_hand_in_files_add (fx->store, other, &no_assignment, NULL, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (count_kept_files (fx), ==, 0);

  g_assert_cmpint (cx_hand_in_files_add (fx->store, path, &details, NULL, &error), >, 0);
  g_assert_cmpint (cx_hand_in_files_add (fx->store, path, &no_class, NULL, &error), ==, 0);
  g_clear_error (&error);
  g_assert_cmpuint (count_kept_files (fx), ==, 1);
  g_assert_cmpuint (count_hand_ins (fx), ==, 1);
}

typedef struct
{
  GMainLoop *loop;
  GAsyncResult *result;
  guint64 last_copied;
  guint64 total;
  guint reports;
  gboolean freed;
} AsyncState;

static void
progress_cb (guint64 copied, guint64 total, gpointer user_data)
{
  AsyncState *state = user_data;

  g_assert_cmpuint (copied, >=, state->last_copied);
  g_assert_null (state->result);
  state->last_copied = copied;
  state->total = total;
  state->reports++;
}

static void
progress_free (gpointer user_data)
{
  ((AsyncState *) user_data)->freed = TRUE;
}

static void
added_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncState *state = user_data;

  state->result = g_object_ref (result);
  g_main_loop_quit (state->loop);
}

static gint64
add_async (
    Fixture *fx, const char *path, GCancellable *cancellable, AsyncState *state, GError **error)
{
  gint64 id;

  state->loop = g_main_loop_new (NULL, FALSE);
  cx_hand_in_files_add_async (fx->store, path, &details, progress_cb, state, progress_free,
                              cancellable, added_cb, state);
  g_main_loop_run (state->loop);
  id = cx_hand_in_files_add_finish (fx->store, state->result, error);
  g_clear_object (&state->result);
  g_clear_pointer (&state->loop, g_main_loop_unref);
  return id;
}

static void
test_async (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "录音.ogg", NULL);
  g_autofree char *exe = write_file (fx, "game.exe", "MZ", 2);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  AsyncState state = { 0 };

  cx_test_write_random_file (path, 3 * 1024 * 1024 + 17, 7);
  g_assert_cmpint (add_async (fx, path, NULL, &state, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (state.reports, >=, 1);
  g_assert_cmpuint (state.last_copied, ==, 3 * 1024 * 1024 + 17);
  g_assert_cmpuint (state.total, ==, 3 * 1024 * 1024 + 17);
  g_assert_true (state.freed);
  g_assert_cmpuint (count_hand_ins (fx), ==, 1);

  memset (&state, 0, sizeof state);
  g_assert_cmpint (add_async (fx, exe, NULL, &state, &error), ==, 0);
  g_assert_error (error, CX_HAND_IN_ERROR, CX_HAND_IN_ERROR_REFUSED_TYPE);
  g_clear_error (&error);

  /* Cancelled: nothing recorded, nothing more kept. */
  memset (&state, 0, sizeof state);
  g_cancellable_cancel (cancellable);
  cx_test_write_random_file (path, 1024 * 1024, 8);
  g_assert_cmpint (add_async (fx, path, cancellable, &state, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (state.freed);
  g_assert_cmpuint (count_hand_ins (fx), ==, 1);
  g_assert_cmpuint (count_kept_files (fx), ==, 1);
}

/* The disk fills while the file is copied in: the store lives on a 1 MiB
 * tmpfs in a private mount namespace, so the real disk is never touched. */
static void
test_disk_full (Fixture *fx, gconstpointer data)
{
  const char *probe[] = { "unshare", "-rm", "true", NULL };
  const char *cli = g_getenv ("CUNXIAO_CLI");
  g_autofree char *big = g_build_filename (fx->dir, "视频.mp4", NULL);
  g_autofree char *disk = g_build_filename (fx->dir, "disk", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *script = NULL;
  int status;

  if (cx_test_run (probe, NULL, NULL) != 0)
    {
      g_test_skip ("This system does not allow private mount namespaces (unshare -rm), so a "
                   "full disk cannot be made without touching the real one");
      return;
    }
  g_assert_nonnull (cli);
  cx_test_write_random_file (big, 2 * 1024 * 1024, 9);
  g_assert_cmpint (g_mkdir (disk, 0700), ==, 0);
  script = g_strdup_printf (
      "set -u; mount -t tmpfs -o size=1m tmpfs '%s' || exit 90;"
      " '%s' --data-dir '%s/store' init >/dev/null || exit 91;"
      " '%s' --data-dir '%s/store' hand-in add '%s' --class 二年级 --assignment 作业;"
      " echo \"status=$?\";"
      " echo kept: $(find '%s/store/hand-ins' -type f 2>/dev/null | wc -l);"
      " '%s' --data-dir '%s/store' hand-in list",
      disk, cli, disk, cli, disk, big, disk, cli, disk);
  {
    const char *argv[] = { "unshare", "-rm", "sh", "-c", script, NULL };

    status = cx_test_run (argv, &out, &err);
  }
  g_test_message ("out: %s\nerr: %s", out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "status=1\n"));
  g_assert_nonnull (strstr (err, "The disk is full, so “视频.mp4” was not handed in"));
  g_assert_nonnull (strstr (out, "kept: 0\n"));
  g_assert_nonnull (strstr (out, "Nothing has been handed in."));
}

int
main (int argc, char **argv)
{
  const char *data_dirs = g_getenv ("XDG_DATA_DIRS");
  int status;

  system_data_dirs = g_strdup (data_dirs != NULL ? data_dirs : "/usr/local/share:/usr/share");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cx/hand-in-files/accepted", test_accepted);
  ADD ("/cx/hand-in-files/refused-types", test_refused_types);
  ADD ("/cx/hand-in-files/too-large", test_too_large);
  ADD ("/cx/hand-in-files/empty-missing-unreadable", test_empty_missing_unreadable);
  ADD ("/cx/hand-in-files/record-fails", test_record_fails);
  ADD ("/cx/hand-in-files/async", test_async);
  ADD ("/cx/hand-in-files/disk-full", test_disk_full);
#undef ADD

  status = g_test_run ();
  g_free (system_data_dirs);
  return status;
}
