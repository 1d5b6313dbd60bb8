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

/* Copies @in to @fd, hashing as it goes; refuses more than @max_size. */
static gboolean
copy_and_hash (GInputStream *in,
               int fd,
               const char *name,
               guint64 max_size,
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
      gssize n = g_input_stream_read (in, buffer, 256 * 1024, cancellable, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      total += (guint64) n;
      if (total > max_size)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
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
            return set_io_error (error, errno, name);
          done += w;
        }
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

/**
 * cx_kept_file_copy_in:
 * @folder: under the data folder, e.g. "hand-ins"
 * @path: a regular file of at most @max_size bytes
 * @suffix: (nullable): appended to the copy's name, e.g. ".pdf", so its kind
 *   can still be told from its name
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
  g_autofree char *temp = g_build_filename (dir, ".incoming-XXXXXX", NULL);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *hex = NULL;
  g_autofree char *target = NULL;
  g_autofree char *target_dir = NULL;
  guint64 size = 0;
  int fd;

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

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_io_error (error, errno, dir);
  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_io_error (error, errno, dir);
  if (!copy_and_hash (G_INPUT_STREAM (in), fd, name, max_size, &hex, &size, cancellable, error) ||
      fsync (fd) != 0)
    {
      if (error != NULL && *error == NULL)
        set_io_error (error, errno, name);
      close (fd);
      g_unlink (temp);
      return FALSE;
    }
  close (fd);

  target = cx_kept_file_get_path (store, folder, hex);
  if (suffix != NULL)
    {
      char *named = g_strconcat (target, suffix, NULL);

      g_free (target);
      target = named;
    }
  target_dir = g_path_get_dirname (target);
  if (g_mkdir_with_parents (target_dir, 0700) != 0 || g_rename (temp, target) != 0)
    {
      set_io_error (error, errno, name);
      g_unlink (temp);
      return FALSE;
    }
  *out_hash = g_steal_pointer (&hex);
  *out_size = size;
  return TRUE;
}
