/* cx-atomic-file.c: temporary file, fsync, rename */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "cx-atomic-file.h"

/* Large writes: a million-row export makes few system calls. */
#define STREAM_BUFFER (256 * 1024)

struct _CxAtomicFile
{
  char *path;
  char *temp_path;
  FILE *stream;
  char *buffer;
  gboolean committed;
};

static gboolean
set_errno (GError **error, int saved, const char *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _ ("Could not write “%s”: %s"),
               display, g_strerror (saved));
  return FALSE;
}

/**
 * cx_atomic_file_new:
 * @path: where the file goes once committed
 *
 * Returns: (transfer full): the file, open for writing under a temporary
 *   name in @path's folder, or %NULL with @error set
 */
CxAtomicFile *
cx_atomic_file_new (const char *path, GError **error)
{
  g_autoptr (CxAtomicFile) self = g_new0 (CxAtomicFile, 1);
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  int fd;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, _ ("“%s” is a folder"), display);
      return NULL;
    }
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  self->path = g_strdup (path);
  self->temp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (self->temp_path, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved = errno;

      g_clear_pointer (&self->temp_path, g_free);
      set_errno (error, saved, path);
      return NULL;
    }
  self->stream = fdopen (fd, "wb");
  if (self->stream == NULL)
    {
      close (fd);
      set_errno (error, errno, path);
      return NULL;
    }
  self->buffer = g_malloc (STREAM_BUFFER);
  setvbuf (self->stream, self->buffer, _IOFBF, STREAM_BUFFER);
  return g_steal_pointer (&self);
}

const char *
cx_atomic_file_get_temp_path (CxAtomicFile *self)
{
  return self->temp_path;
}

/* Returns: (transfer none): the temporary file, buffered */
FILE *
cx_atomic_file_get_stream (CxAtomicFile *self)
{
  return self->stream;
}

/**
 * cx_atomic_file_check:
 *
 * Returns: %FALSE with @error set if a write to the stream has failed
 */
gboolean
cx_atomic_file_check (CxAtomicFile *self, GError **error)
{
  if (self->stream != NULL && ferror (self->stream))
    return set_errno (error, errno != 0 ? errno : EIO, self->path);
  return TRUE;
}

/**
 * cx_atomic_file_commit:
 *
 * Makes the file durable and puts it under its name. The temporary file
 * may also have been written by another library under its temporary path.
 */
gboolean
cx_atomic_file_commit (CxAtomicFile *self, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  int fd;
  int rc;

  g_return_val_if_fail (!self->committed, FALSE);

  if (!cx_atomic_file_check (self, error))
    return FALSE;
  rc = fclose (self->stream);
  self->stream = NULL;
  if (rc != 0)
    return set_errno (error, errno, self->path);

  fd = open (self->temp_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      return set_errno (error, saved, self->path);
    }
  close (fd);
  if (g_rename (self->temp_path, self->path) != 0)
    return set_errno (error, errno, self->path);
  self->committed = TRUE;

  /* The rename itself survives a power cut once the folder is synced. */
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    {
      if (fsync (fd) != 0)
        g_debug ("Could not sync %s: %s", dir, g_strerror (errno));
      close (fd);
    }
  return TRUE;
}

/* Frees the file; one not committed is removed. */
void
cx_atomic_file_free (CxAtomicFile *self)
{
  if (self == NULL)
    return;
  if (self->stream != NULL)
    fclose (self->stream);
  if (!self->committed && self->temp_path != NULL)
    g_unlink (self->temp_path);
  g_free (self->buffer);
  g_free (self->path);
  g_free (self->temp_path);
  g_free (self);
}
