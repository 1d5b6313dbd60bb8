/* cx-temp-file.c: files written so that a power cut leaves the old one or the new one
 *
 * A new file is written as a dotfile temporary beside its final name,
 * fsynced, renamed into place and its folder fsynced; a folder made on
 * the way is fsynced into its parent too. Until the rename nothing but
 * the temporary exists, which a later writer may remove.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>

#include "cx-temp-file.h"

/* Sets @error from errno @saved about the file @what; returns %FALSE. */
gboolean
_cx_set_errno_error (GError **error, int saved, const char *what)
{
  g_autofree char *display = g_filename_display_name (what);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", display,
               g_strerror (saved));
  return FALSE;
}

static gboolean
sync_dir (const char *dir, GError **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int rc = fd >= 0 ? fsync (fd) : -1;
  int saved = errno;

  if (fd >= 0)
    close (fd);
  return rc == 0 || _cx_set_errno_error (error, saved, dir);
}

/* mkdir -p that also fsyncs each parent it adds an entry to, so a new
 * folder survives a power cut along with the files renamed into it. */
gboolean
_cx_ensure_dir_durable (const char *dir, GError **error)
{
  g_autofree char *parent = NULL;

  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;

  parent = g_path_get_dirname (dir);
  if (g_strcmp0 (parent, dir) != 0 && !_cx_ensure_dir_durable (parent, error))
    return FALSE;
  if (g_mkdir (dir, 0755) != 0 && errno != EEXIST)
    return _cx_set_errno_error (error, errno, dir);
  return sync_dir (parent, error);
}

gboolean
_cx_temp_file_open (CxTempFile *temp, const char *dir, GError **error)
{
  temp->path = g_build_filename (dir, CX_TEMP_FILE_PREFIX "XXXXXX", NULL);
  temp->fd = g_mkstemp_full (temp->path, O_WRONLY | O_CLOEXEC, 0644);
  if (temp->fd < 0)
    {
      int saved = errno;

      g_clear_pointer (&temp->path, g_free);
      return _cx_set_errno_error (error, saved, dir);
    }
  temp->stream = g_unix_output_stream_new (temp->fd, TRUE);
  return TRUE;
}

void
_cx_temp_file_discard (CxTempFile *temp)
{
  if (temp->stream != NULL)
    g_output_stream_close (temp->stream, NULL, NULL);
  g_clear_object (&temp->stream);
  if (temp->path != NULL)
    g_unlink (temp->path);
  g_clear_pointer (&temp->path, g_free);
  temp->fd = -1;
}

/* Durable, then visible under @path: fsync, rename, fsync the folder. */
gboolean
_cx_temp_file_commit (CxTempFile *temp, const char *path, guint64 *out_size, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  struct stat st;

  if (!g_output_stream_flush (temp->stream, NULL, error))
    return FALSE;
  if (fsync (temp->fd) != 0 || fstat (temp->fd, &st) != 0)
    return _cx_set_errno_error (error, errno, temp->path);
  if (!g_output_stream_close (temp->stream, NULL, error))
    return FALSE;
  if (!_cx_ensure_dir_durable (dir, error))
    return FALSE;
  if (g_rename (temp->path, path) != 0)
    return _cx_set_errno_error (error, errno, path);
  g_clear_pointer (&temp->path, g_free);
  g_clear_object (&temp->stream);
  temp->fd = -1;
  if (out_size != NULL)
    *out_size = st.st_size;
  return sync_dir (dir, error);
}

gboolean
_cx_write_file_atomic (const char *path, GBytes *bytes, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  CxTempFile temp = { 0 };
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  if (!_cx_ensure_dir_durable (dir, error) || !_cx_temp_file_open (&temp, dir, error))
    return FALSE;
  if (!g_output_stream_write_all (temp.stream, data, length, NULL, NULL, error) ||
      !_cx_temp_file_commit (&temp, path, NULL, error))
    {
      _cx_temp_file_discard (&temp);
      return FALSE;
    }
  return TRUE;
}
