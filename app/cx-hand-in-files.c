/* cx-hand-in-files.c: a hand-in's file checked, kept in the store and recorded */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cx-hand-in-files.h"
#include "cx-kept-files.h"
#include "cx-upload.h"

#define FOLDER     "hand-ins"
#define SNIFF_SIZE 4096
/* How often the UI hears of a copy's progress. */
#define PROGRESS_INTERVAL_US (250 * 1000)

G_STATIC_ASSERT (CX_HAND_IN_MAX_FILE_SIZE <= CX_UPLOAD_MAX_FILE_SIZE);

/* clang-format off */
G_DEFINE_QUARK (cx-hand-in-error-quark, cx_hand_in_error)
/* clang-format on */

/* Programs and scripts that run when opened on Windows, Android or a Linux
 * desktop: a shared classroom computer must not pass them on. */
static const char *const refused_extensions[] = {
  "apk", "app", "appimage", "bat", "cmd", "com", "cpl", "deb", "desktop", "dll",  "exe",
  "hta", "jar", "js",       "jse", "lnk", "msi", "msp", "pif", "ps1",     "psm1", "reg",
  "rpm", "run", "scr",      "sh",  "sys", "vb",  "vbe", "vbs", "wsf",     "wsh",
};

/* The same, told by their content whatever their name says. Compared
 * exactly: the MIME database makes every script (Python too) a kind of
 * application/x-executable. */
static const char *const refused_content_types[] = {
  "application/x-executable",
  "application/x-sharedlib",
  "application/x-pie-executable",
  "application/x-ms-dos-executable",
  "application/x-msdownload",
  "application/vnd.microsoft.portable-executable",
  "application/x-shellscript",
  "application/x-mach-binary",
  "application/x-ms-shortcut",
  "application/x-desktop",
  "application/vnd.android.package-archive",
};

char *
cx_hand_in_files_get_path (CxStore *store, const char *content_hash)
{
  return cx_kept_file_get_path (store, FOLDER, content_hash);
}

/**
 * cx_hand_in_files_is_refused_name:
 *
 * Returns: %TRUE if @name ends like a program or script (.exe, .bat, .sh,
 *   .apk, .js, .vbs, …), which is never taken in
 */
gboolean
cx_hand_in_files_is_refused_name (const char *name)
{
  g_autofree char *trimmed = NULL;
  const char *dot;

  g_return_val_if_fail (name != NULL, FALSE);

  /* Windows drops trailing dots and spaces: "game.exe. " runs as game.exe. */
  trimmed = g_strdup (name);
  for (gsize n = strlen (trimmed); n > 0 && (trimmed[n - 1] == '.' || trimmed[n - 1] == ' '); n--)
    trimmed[n - 1] = '\0';
  dot = strrchr (trimmed, '.');
  if (dot == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (refused_extensions); i++)
    if (g_ascii_strcasecmp (dot + 1, refused_extensions[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Programs known by their first bytes, even where the shared MIME
 * database is missing: ELF, DOS/Windows (MZ) and shell scripts. */
static gboolean
has_program_magic (const guint8 *data, gsize length)
{
  static const char *const shells[] = { "sh", "bash", "dash", "zsh", "ksh", "csh" };
  g_autofree char *first_line = NULL;
  const char *interpreter;
  const char *end;

  if ((length >= 4 && memcmp (data,
                              "\x7f"
                              "ELF",
                              4) == 0) ||
      (length >= 2 && memcmp (data, "MZ", 2) == 0))
    return TRUE;
  if (length < 3 || memcmp (data, "#!", 2) != 0)
    return FALSE;
  end = memchr (data, '\n', length);
  first_line = g_strndup ((const char *) data + 2,
                          (end != NULL ? (gsize) (end - (const char *) data) : length) - 2);
  g_strstrip (first_line);
  /* "#!/bin/sh", "#!/usr/bin/env bash -e" */
  interpreter = strrchr (first_line, '/');
  interpreter = interpreter != NULL ? interpreter + 1 : first_line;
  if (g_str_has_prefix (interpreter, "env "))
    interpreter += 4;
  for (guint i = 0; i < G_N_ELEMENTS (shells); i++)
    if (g_str_has_prefix (interpreter, shells[i]) &&
        (interpreter[strlen (shells[i])] == '\0' || interpreter[strlen (shells[i])] == ' '))
      return TRUE;
  return FALSE;
}

static gboolean
is_refused_content (const guint8 *data, gsize length)
{
  g_autofree char *type = NULL;

  if (has_program_magic (data, length))
    return TRUE;
  type = g_content_type_guess (NULL, data, length, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (refused_content_types); i++)
    if (g_content_type_equals (type, refused_content_types[i]))
      return TRUE;
  return FALSE;
}

static gboolean
set_unreadable (GError **error, const char *name, const GError *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, cause->message);
  else
    g_set_error (error, CX_HAND_IN_ERROR, CX_HAND_IN_ERROR_UNREADABLE,
                 _ ("“%s” cannot be read: %s"), name, cause->message);
  return FALSE;
}

/* Opens @path once every check passed, positioned at its start. */
static GInputStream *
open_checked (const char *path, guint64 *out_size, GCancellable *cancellable, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *display = g_filename_display_name (name);
  guint8 head[SNIFF_SIZE];
  gsize n = 0;
  guint64 size;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_set_error (error, CX_HAND_IN_ERROR, CX_HAND_IN_ERROR_NOT_A_FILE,
                   _ ("“%s” is not there any more; was the USB stick taken out?"), display);
      return NULL;
    }
  if (info == NULL)
    {
      set_unreadable (error, display, local_error);
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, CX_HAND_IN_ERROR, CX_HAND_IN_ERROR_NOT_A_FILE,
                   _ ("“%s” is not a file; choose a file to hand in"), display);
      return NULL;
    }
  if (!cx_upload_name_is_valid (name))
    {
      g_set_error (error, CX_HAND_IN_ERROR, CX_HAND_IN_ERROR_BAD_NAME,
                   _ ("“%s” cannot be handed in under that name; rename it first"), display);
      return NULL;
    }
  if (cx_hand_in_files_is_refused_name (name))
    {
      g_set_error (error, CX_HAND_IN_ERROR, CX_HAND_IN_ERROR_REFUSED_TYPE,
                   _ ("“%s” is a program or script; those cannot be handed in"), display);
      return NULL;
    }
  size = (guint64) g_file_info_get_size (info);
  if (size > CX_HAND_IN_MAX_FILE_SIZE)
    {
      g_autofree char *have = g_format_size (size);
      g_autofree char *most = g_format_size (CX_HAND_IN_MAX_FILE_SIZE);

      g_set_error (error, CX_HAND_IN_ERROR, CX_HAND_IN_ERROR_TOO_LARGE,
                   _ ("“%s” is %s; a hand-in can be at most %s"), display, have, most);
      return NULL;
    }

  in = g_file_read (file, cancellable, &local_error);
  if (in == NULL || !g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head, &n,
                                              cancellable, &local_error))
    {
      set_unreadable (error, display, local_error);
      return NULL;
    }
  if (n == 0)
    {
      g_set_error (error, CX_HAND_IN_ERROR, CX_HAND_IN_ERROR_EMPTY,
                   _ ("“%s” is empty; there is nothing to hand in"), display);
      return NULL;
    }
  if (is_refused_content (head, n))
    {
      g_set_error (error, CX_HAND_IN_ERROR, CX_HAND_IN_ERROR_REFUSED_TYPE,
                   _ ("“%s” is a program or script; those cannot be handed in"), display);
      return NULL;
    }
  if (!g_seekable_seek (G_SEEKABLE (in), 0, G_SEEK_SET, cancellable, &local_error))
    {
      set_unreadable (error, display, local_error);
      return NULL;
    }
  *out_size = size;
  return G_INPUT_STREAM (g_steal_pointer (&in));
}

/**
 * cx_hand_in_files_check:
 *
 * Checks @path the way handing it in would, without copying it: so a
 * file chooser can say at once what is wrong.
 *
 * Returns: %TRUE if it can be handed in; else a %CX_HAND_IN_ERROR naming
 *   the file
 */
gboolean
cx_hand_in_files_check (const char *path, GCancellable *cancellable, GError **error)
{
  g_autoptr (GInputStream) in = NULL;
  guint64 size;

  g_return_val_if_fail (path != NULL, FALSE);

  in = open_checked (path, &size, cancellable, error);
  return in != NULL;
}

/* The copy's errors in this file's own terms. */
static void
translate_copy_error (GError **error, GError *cause, const char *display)
{
  g_autoptr (GError) owned = cause;
  g_autofree char *most = g_format_size (CX_HAND_IN_MAX_FILE_SIZE);

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    g_set_error (error, CX_HAND_IN_ERROR, CX_HAND_IN_ERROR_NO_SPACE,
                 _ ("The disk is full, so “%s” was not handed in; free some space and try again"),
                 display);
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
    g_set_error (error, CX_HAND_IN_ERROR, CX_HAND_IN_ERROR_TOO_LARGE,
                 _ ("“%s” grew while it was copied; a hand-in can be at most %s"), display, most);
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    g_set_error (error, CX_HAND_IN_ERROR, CX_HAND_IN_ERROR_EMPTY,
                 _ ("“%s” is empty; there is nothing to hand in"), display);
  else
    g_propagate_error (error, g_steal_pointer (&owned));
}

typedef struct
{
  char *path;
  char *dir;
  CxHandIn details; /* its strings owned here */
  /* What the copy made. */
  char *hash;
  char *copy_path;
  guint64 size;
  gboolean created;
  /* Progress, reported from the worker thread. */
  CxHandInProgressFunc progress;
  gpointer progress_data;
  GDestroyNotify progress_data_free;
  GMainContext *context;
  gint64 last_report;
} AddData;

static void
add_data_free (AddData *data)
{
  g_free (data->path);
  g_free (data->dir);
  g_free (data->details.assignment);
  g_free (data->details.class_name);
  g_free (data->details.pupil);
  g_free (data->hash);
  g_free (data->copy_path);
  if (data->progress_data_free != NULL)
    data->progress_data_free (data->progress_data);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AddData, add_data_free)

static AddData *
add_data_new (CxStore *store, const char *path, const CxHandIn *details)
{
  AddData *data = g_new0 (AddData, 1);

  data->path = g_strdup (path);
  data->dir = g_build_filename (cx_store_get_data_dir (store), FOLDER, NULL);
  data->details = *details;
  data->details.assignment = g_strdup (details->assignment);
  data->details.class_name = g_strdup (details->class_name);
  data->details.pupil = g_strdup (details->pupil);
  data->details.uuid = NULL;
  data->details.file_name = NULL;
  data->details.content_hash = NULL;
  return data;
}

/* One progress report on its way to the caller's main context; it keeps
 * the task, and so its AddData, alive. */
typedef struct
{
  GTask *task;
  guint64 copied;
  guint64 total;
} Report;

static gboolean
report_cb (gpointer user_data)
{
  Report *report = user_data;
  AddData *data = g_task_get_task_data (report->task);

  data->progress (report->copied, report->total, data->progress_data);
  return G_SOURCE_REMOVE;
}

static void
report_free (Report *report)
{
  g_object_unref (report->task);
  g_free (report);
}

typedef struct
{
  AddData *data;
  GTask *task; /* the caller's task; NULL when copying in the caller's thread */
} CopyState;

static void
copy_progress (guint64 copied, gpointer user_data)
{
  CopyState *state = user_data;
  AddData *data = state->data;
  gint64 now = g_get_monotonic_time ();
  Report *report;

  if (data->progress == NULL)
    return;
  if (state->task == NULL)
    {
      data->progress (copied, data->size, data->progress_data);
      return;
    }
  if (now - data->last_report < PROGRESS_INTERVAL_US && copied < data->size)
    return;
  data->last_report = now;
  report = g_new0 (Report, 1);
  report->task = g_object_ref (state->task);
  report->copied = copied;
  report->total = data->size;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, report_cb, report,
                              (GDestroyNotify) report_free);
}

/* Checks and copies; touches no database, so it may run in any thread. */
static gboolean
copy_in (AddData *data, GTask *task, GCancellable *cancellable, GError **error)
{
  g_autoptr (GInputStream) in = NULL;
  g_autofree char *name = g_path_get_basename (data->path);
  g_autofree char *display = g_filename_display_name (name);
  GError *copy_error = NULL;
  CopyState state = { data, task };

  in = open_checked (data->path, &data->size, cancellable, error);
  if (in == NULL)
    return FALSE;
  if (!cx_kept_file_copy_into (data->dir, in, display, CX_HAND_IN_MAX_FILE_SIZE, NULL,
                               copy_progress, &state, &data->copy_path, &data->hash, &data->size,
                               &data->created, cancellable, &copy_error))
    {
      translate_copy_error (error, copy_error, display);
      return FALSE;
    }
  return TRUE;
}

/* Records the copied file; if that fails, takes the copy back out. */
static gint64
record (CxStore *store, AddData *data, GError **error)
{
  g_autofree char *name = g_path_get_basename (data->path);
  CxHandIn record = data->details;
  gint64 id;

  record.file_name = name;
  record.content_hash = data->hash;
  record.size = (gint64) data->size;
  id = cx_store_add_hand_in (store, &record, error);
  if (id == 0 && data->created && g_unlink (data->copy_path) != 0)
    g_debug ("Could not remove %s after a failed hand-in", data->copy_path);
  return id;
}

/**
 * cx_hand_in_files_add:
 * @path: the pupil's file
 * @details: assignment (or assignment id), class, pupil and lesson; the
 *   file's name, hash and size are filled in here
 *
 * Checks the file (see cx_hand_in_files_check()), copies it in and records
 * the hand-in, queued for upload. Nothing is kept if any step fails.
 * Blocks: the UI uses cx_hand_in_files_add_async().
 *
 * Returns: the hand-in's id, or 0 with @error set: a %CX_HAND_IN_ERROR
 *   naming the file, %G_IO_ERROR_CANCELLED, or the store's error
 */
gint64
cx_hand_in_files_add (CxStore *store,
                      const char *path,
                      const CxHandIn *details,
                      GCancellable *cancellable,
                      GError **error)
{
  g_autoptr (AddData) data = NULL;

  g_return_val_if_fail (CX_IS_STORE (store), 0);
  g_return_val_if_fail (path != NULL && details != NULL, 0);

  data = add_data_new (store, path, details);
  if (!copy_in (data, NULL, cancellable, error))
    return 0;
  return record (store, data, error);
}

static void
copy_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GTask *caller_task = task_data;
  GError *error = NULL;

  if (copy_in (g_task_get_task_data (caller_task), caller_task, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Back in the caller's thread, which owns the store: record the copy. */
static void
copied_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CxStore *store = g_task_get_source_object (task);
  AddData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gint64 id;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      if (data->created)
        g_unlink (data->copy_path);
      return;
    }
  id = record (store, data, &error);
  if (id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
}

/**
 * cx_hand_in_files_add_async:
 * @progress: (nullable): told the bytes copied so far, at most every
 *   250 ms and once at the end, on the thread-default main context of the
 *   caller
 *
 * Does cx_hand_in_files_add() without blocking: the checks and the copy
 * in a worker thread, the record in the caller's thread (which owns
 * @store). Cancelling removes whatever was copied.
 */
void
cx_hand_in_files_add_async (CxStore *store,
                            const char *path,
                            const CxHandIn *details,
                            CxHandInProgressFunc progress,
                            gpointer progress_data,
                            GDestroyNotify progress_data_free,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GTask) copy = NULL;
  AddData *data;

  g_return_if_fail (CX_IS_STORE (store));
  g_return_if_fail (path != NULL && details != NULL);

  data = add_data_new (store, path, details);
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_data_free = progress_data_free;
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cx_hand_in_files_add_async);
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);

  copy = g_task_new (NULL, cancellable, copied_cb, g_object_ref (task));
  g_task_set_source_tag (copy, copy_worker);
  g_task_set_task_data (copy, task, NULL);
  g_task_run_in_thread (copy, copy_worker);
}

/**
 * cx_hand_in_files_add_finish:
 *
 * Returns: the hand-in's id, or 0 with @error set (see
 *   cx_hand_in_files_add())
 */
gint64
cx_hand_in_files_add_finish (CxStore *store, GAsyncResult *result, GError **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, store), 0);
  g_return_val_if_fail (g_async_result_is_tagged (result, cx_hand_in_files_add_async), 0);

  /* -1 on error */
  id = g_task_propagate_int (G_TASK (result), error);
  return MAX (id, 0);
}
