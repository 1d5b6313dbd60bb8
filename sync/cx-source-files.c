/* cx-source-files.c: the files of a package folder being published
 *
 * Only regular files are content: a symlink or device in the folder is
 * refused, not skipped, and a file is opened again without following a
 * symlink swapped in since the walk.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cx-manifest.h"
#include "cx-source-files.h"
#include "cx-temp-file.h"

/* The regular files under @dir, by package path.  Dotfiles and the
 * top-level @skip (package.json) are not content; anything a manifest cannot
 * describe (symlinks, devices, fifos) is refused rather than left out. */
static gboolean
collect_files (
    const char *root, const char *relative, const char *skip, GPtrArray *files, GError **error)
{
  g_autofree char *dir =
      relative != NULL ? g_build_filename (root, relative, NULL) : g_strdup (root);
  g_autoptr (GDir) listing = NULL;
  const char *name;

  listing = g_dir_open (dir, 0, error);
  if (listing == NULL)
    return FALSE;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path =
          relative != NULL ? g_strconcat (relative, "/", name, NULL) : g_strdup (name);
      g_autofree char *source = g_build_filename (root, path, NULL);
      g_autofree char *display = g_filename_display_name (source);
      GStatBuf st;

      if (name[0] == '.' || (relative == NULL && g_strcmp0 (name, skip) == 0))
        continue;
      if (g_lstat (source, &st) != 0)
        return _cx_set_errno_error (error, errno, source);

      if (S_ISDIR (st.st_mode))
        {
          if (!collect_files (root, path, skip, files, error))
            return FALSE;
          continue;
        }
      if (S_ISLNK (st.st_mode))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                       _ ("%s is a symbolic link; a package holds only regular files"), display);
          return FALSE;
        }
      if (!S_ISREG (st.st_mode))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                       _ ("%s is not a regular file; a package holds only regular files"), display);
          return FALSE;
        }
      if (!cx_manifest_validate_path (path, -1, error))
        {
          g_prefix_error (error, "%s: ", display);
          return FALSE;
        }

      {
        CxSourceFile *file = g_new0 (CxSourceFile, 1);

        file->path = g_steal_pointer (&path);
        file->source = g_steal_pointer (&source);
        g_ptr_array_add (files, file);
      }
    }

  return TRUE;
}

void
_cx_source_file_free (CxSourceFile *file)
{
  g_free (file->path);
  g_free (file->source);
  g_free (file);
}

static int
compare_source_path (gconstpointer a, gconstpointer b)
{
  const CxSourceFile *fa = *(CxSourceFile *const *) a;
  const CxSourceFile *fb = *(CxSourceFile *const *) b;

  return strcmp (fa->path, fb->path);
}

/* Opens a package file without following a symlink swapped in since the
 * walk, and checks it is still a regular file. */
GInputStream *
_cx_source_file_open (const char *source, guint32 *out_mode, GError **error)
{
  int fd = open (source, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;

  /* Callers prefix errors with the file's name. */
  if (fd < 0)
    {
      int saved = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           _ ("not a regular file; a package holds only regular files"));
      return NULL;
    }
  if (out_mode != NULL)
    *out_mode = st.st_mode & 0777;
  return g_unix_input_stream_new (fd, TRUE);
}

/**
 * _cx_source_files_list:
 * @skip: (nullable): a top-level file that is not content, like package.json
 *
 * Returns: (transfer full) (element-type CxSourceFile): the package files
 *   under @src_dir in path order, or %NULL with @error set
 */
GPtrArray *
_cx_source_files_list (const char *src_dir, const char *skip, GError **error)
{
  g_autoptr (GPtrArray) files =
      g_ptr_array_new_with_free_func ((GDestroyNotify) _cx_source_file_free);

  if (!collect_files (src_dir, NULL, skip, files, error))
    return NULL;
  g_ptr_array_sort (files, compare_source_path);
  return g_steal_pointer (&files);
}
