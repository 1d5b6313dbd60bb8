/* cx-hand-in-files.c: copying a hand-in's file in, verified and atomically */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cx-hand-in-files.h"
#include "cx-upload.h"

#define FOLDER "hand-ins"

char *
cx_hand_in_files_get_path (CxStore *store, const char *content_hash)
{
  g_autofree char *sub = g_strndup (content_hash, 2);

  return g_build_filename (cx_store_get_data_dir (store), FOLDER, sub, content_hash, NULL);
}

/* "Cannot keep the hand-in NAME: REASON" */
static gboolean
set_io_error (GError **error, int saved, const char *name)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               _ ("Cannot keep the hand-in %s: %s"), name, g_strerror (saved));
  return FALSE;
}

/* Copies @in to @fd, hashing as it goes; refuses more than the hub takes. */
static gboolean
copy_and_hash (GInputStream *in,
               int fd,
               const char *name,
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
      if (total > CX_UPLOAD_MAX_FILE_SIZE)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _ ("“%s” is larger than %u MiB, too large to hand in"), name,
                       CX_UPLOAD_MAX_FILE_SIZE / (1024 * 1024));
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
 * cx_hand_in_files_add:
 * @path: the pupil's file
 * @details: assignment, class, pupil and lesson; the file's name, hash and
 *   size are filled in here
 *
 * Copies the file in (temporary file, fsync, rename) and records the
 * hand-in, queued for upload. Nothing is recorded if the copy fails.
 *
 * Returns: the hand-in's id, or 0 with @error set
 */
gint64
cx_hand_in_files_add (CxStore *store,
                      const char *path,
                      const CxHandIn *details,
                      GCancellable *cancellable,
                      GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GFileInputStream) in = NULL;
  g_autofree char *dir = g_build_filename (cx_store_get_data_dir (store), FOLDER, NULL);
  g_autofree char *temp = g_build_filename (dir, ".incoming-XXXXXX", NULL);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *hex = NULL;
  g_autofree char *target = NULL;
  g_autofree char *target_dir = NULL;
  CxHandIn record = *details;
  guint64 size = 0;
  int fd;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            cancellable, error);
  if (info == NULL)
    return 0;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _ ("“%s” is not a file that can be handed in"), path);
      return 0;
    }
  if (!cx_upload_name_is_valid (name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   _ ("“%s” cannot be handed in under that name; rename it first"), name);
      return 0;
    }
  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return 0;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_io_error (error, errno, dir);
      return 0;
    }
  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_io_error (error, errno, dir);
      return 0;
    }
  if (!copy_and_hash (G_INPUT_STREAM (in), fd, name, &hex, &size, cancellable, error) ||
      fsync (fd) != 0)
    {
      if (error != NULL && *error == NULL)
        set_io_error (error, errno, name);
      close (fd);
      g_unlink (temp);
      return 0;
    }
  close (fd);

  target = cx_hand_in_files_get_path (store, hex);
  target_dir = g_path_get_dirname (target);
  if (g_mkdir_with_parents (target_dir, 0700) != 0 || g_rename (temp, target) != 0)
    {
      set_io_error (error, errno, name);
      g_unlink (temp);
      return 0;
    }

  record.file_name = name;
  record.content_hash = hex;
  record.size = (gint64) size;
  return cx_store_add_hand_in (store, &record, error);
}
