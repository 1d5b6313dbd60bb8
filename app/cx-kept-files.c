/* cx-kept-files.c: copying a file into the store, verified and atomically */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cx-kept-files.h"

char *
cx_kept_file_get_path (CxStore *store, const char *folder, const char *content_hash)
{
  g_autofree char *sub = g_strndup (content_hash, 2);

  return g_build_filename (cx_store_get_data_dir (store), folder, sub, content_hash, NULL);
}

/* "Cannot keep NAME: REASON" */
static gboolean
set_io_error (GError **error, int saved, const char *name)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _ ("Cannot keep %s: %s"), name,
               g_strerror (saved));
  return FALSE;
}

/* A write that failed: a full disk (or quota) gets its own clear message. */
static gboolean
set_write_error (GError **error, int saved, const char *name)
{
  if (saved == ENOSPC || saved == EDQUOT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _ ("The disk is full: there is no room to keep “%s”"), name);
      return FALSE;
    }
  return set_io_error (error, saved, name);
}

/* Copies @in to @fd, hashing as it goes; refuses more than @max_size. */
static gboolean
copy_and_hash (GInputStream *in,
               int fd,
               const char *name,
               guint64 max_size,
               CxKeptFileProgressFunc progress,
               gpointer progress_data,
               char **out_hex,
               guint64 *out_size,
               GCancellable *cancellable,
               GError **error)
{
  g_autoptr (GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (256 * 1024);
  guint64 total = 0;

  for (;;)
    {
      g_autoptr (GError) read_error = NULL;
      gssize n = g_input_stream_read (in, buffer, 256 * 1024, cancellable, &read_error);

      if (n < 0 && g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&read_error));
          return FALSE;
        }
      if (n < 0)
        {
          g_set_error (error, G_IO_ERROR, read_error->code, _ ("Could not read “%s”: %s"), name,
                       read_error->message);
          return FALSE;
        }
      if (n == 0)
        break;
      total += (guint64) n;
      if (total > max_size)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       _ ("“%s” is larger than %u MiB, too large to keep"), name,
                       (guint) (max_size / (1024 * 1024)));
          return FALSE;
        }
      g_checksum_update (sha, buffer, n);
      for (gssize done = 0; done < n;)
        {
          gssize w = write (fd, buffer + done, (gsize) (n - done));

          if (w < 0 && errno == EINTR)
            continue;
          if (w <= 0)
            return set_write_error (error, w < 0 ? errno : ENOSPC, name);
          done += w;
        }
      if (progress != NULL)
        progress (total, progress_data);
    }
  if (total == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _ ("“%s” is empty"), name);
      return FALSE;
    }
  *out_hex = g_strdup (g_checksum_get_string (sha));
  *out_size = total;
  return TRUE;
}

/* Makes sure a rename into @dir survives a power cut. */
static void
sync_dir (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return;
  if (fsync (fd) != 0)
    g_debug ("Could not sync %s: %s", dir, g_strerror (errno));
  close (fd);
}

/**
 * cx_kept_file_copy_into:
 * @dir: the folder the copy goes into (as DIR/XX/SHA256), made if missing
 * @in: the file's content, read from where it stands
 * @name: the file's name, for messages
 * @suffix: (nullable): appended to the copy's name, e.g. ".pdf", so its kind
 *   can still be told from its name
 * @progress: (nullable) (scope call): told the bytes copied so far, in the
 *   calling thread
 * @out_path: (out) (optional): where the copy is
 * @out_created: (out) (optional): %FALSE when the same content was kept
 *   already (so the caller must not remove it if it backs out)
 *
 * Copies through a temporary file in @dir, fsync and rename. On failure
 * nothing is left behind. A full disk is %G_IO_ERROR_NO_SPACE, more than
 * @max_size %G_IO_ERROR_MESSAGE_TOO_LARGE, an empty file
 * %G_IO_ERROR_INVALID_DATA.
 *
 * Returns: %TRUE with the copy's SHA-256 (hex) and size, once it is on disk
 *   under its final name
 */
gboolean
cx_kept_file_copy_into (const char *dir,
                        GInputStream *in,
                        const char *name,
                        guint64 max_size,
                        const char *suffix,
                        CxKeptFileProgressFunc progress,
                        gpointer progress_data,
                        char **out_path,
                        char **out_hash,
                        guint64 *out_size,
                        gboolean *out_created,
                        GCancellable *cancellable,
                        GError **error)
{
  g_autofree char *temp = g_build_filename (dir, ".incoming-XXXXXX", NULL);
  g_autofree char *hex = NULL;
  g_autofree char *target = NULL;
  g_autofree char *target_dir = NULL;
  g_autofree char *sub = NULL;
  guint64 size = 0;
  gboolean existed;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_write_error (error, errno, name);
  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_write_error (error, errno, name);
  if (!copy_and_hash (in, fd, name, max_size, progress, progress_data, &hex, &size, cancellable,
                      error) ||
      fsync (fd) != 0)
    {
      if (error != NULL && *error == NULL)
        set_write_error (error, errno, name);
      close (fd);
      g_unlink (temp);
      return FALSE;
    }
  if (close (fd) != 0)
    {
      set_write_error (error, errno, name);
      g_unlink (temp);
      return FALSE;
    }

  sub = g_strndup (hex, 2);
  target = g_strconcat (dir, G_DIR_SEPARATOR_S, sub, G_DIR_SEPARATOR_S, hex, suffix, NULL);
  target_dir = g_path_get_dirname (target);
  existed = g_file_test (target, G_FILE_TEST_EXISTS);
  if (g_mkdir_with_parents (target_dir, 0700) != 0 || g_rename (temp, target) != 0)
    {
      set_write_error (error, errno, name);
      g_unlink (temp);
      return FALSE;
    }
  sync_dir (target_dir);
  if (out_path != NULL)
    *out_path = g_steal_pointer (&target);
  if (out_created != NULL)
    *out_created = !existed;
  *out_hash = g_steal_pointer (&hex);
  *out_size = size;
  return TRUE;
}

/**
 * cx_kept_file_copy_in:
 * @folder: under the data folder, e.g. "hand-ins"
 * @path: a regular file of at most @max_size bytes
 * @suffix: (nullable): see cx_kept_file_copy_into()
 *
 * Returns: %TRUE with the copy's SHA-256 (hex) and size, once it is on disk
 *   under its final name
 */
gboolean
cx_kept_file_copy_in (CxStore *store,
                      const char *folder,
                      const char *path,
                      guint64 max_size,
                      const char *suffix,
                      char **out_hash,
                      guint64 *out_size,
                      GCancellable *cancellable,
                      GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GFileInputStream) in = NULL;
  g_autofree char *dir = g_build_filename (cx_store_get_data_dir (store), folder, NULL);
  g_autofree char *name = g_file_get_basename (file);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            cancellable, error);
  if (info == NULL)
    return FALSE;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _ ("“%s” is not a file that can be kept"), path);
      return FALSE;
    }
  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return FALSE;
  return cx_kept_file_copy_into (dir, G_INPUT_STREAM (in), name, max_size, suffix, NULL, NULL, NULL,
                                 out_hash, out_size, NULL, cancellable, error);
}
