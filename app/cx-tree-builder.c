/* cx-tree-builder.c: verified files beneath a folder, never through a symlink */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cx-tree-builder.h"

struct _CxTreeBuilder
{
  char *path;
  int root_fd;
  GHashTable *dirs; /* char *: every folder written into, relative to root */
};

static gboolean set_errno_error (GError **error, int saved, const char *format, ...)
    G_GNUC_PRINTF (3, 4);

static gboolean
set_errno_error (GError **error, int saved, const char *format, ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  if (saved == ENOSPC || saved == EDQUOT)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, _ ("%s: the disk is full"), detail);
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", detail,
                 g_strerror (saved));
  return FALSE;
}

CxTreeBuilder *
cx_tree_builder_open (const char *path, GError **error)
{
  g_autoptr (CxTreeBuilder) self = g_new0 (CxTreeBuilder, 1);

  self->path = g_strdup (path);
  self->root_fd = -1;
  self->dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (g_mkdir (path, 0755) != 0 && errno != EEXIST)
    {
      set_errno_error (error, errno, _ ("Could not create the folder %s"), path);
      return NULL;
    }

  self->root_fd = open (path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (self->root_fd < 0)
    {
      set_errno_error (error, errno, _ ("Could not open the folder %s"), path);
      return NULL;
    }

  g_hash_table_add (self->dirs, g_strdup ("."));
  return g_steal_pointer (&self);
}

void
cx_tree_builder_free (CxTreeBuilder *self)
{
  if (self == NULL)
    return;

  if (self->root_fd >= 0)
    close (self->root_fd);
  g_hash_table_unref (self->dirs);
  g_free (self->path);
  g_free (self);
}

/* Opens (creating as needed) the folder holding @path and returns its fd;
 * *out_name points at the last component inside @path. */
static int
open_parent (CxTreeBuilder *self, const char *path, const char **out_name, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);
  int fd = dup (self->root_fd);
  g_autoptr (GString) so_far = g_string_new (NULL);

  if (fd < 0)
    {
      set_errno_error (error, errno, _ ("Could not open the folder %s"), self->path);
      return -1;
    }

  for (guint i = 0; i + 1 < n; i++)
    {
      int next;

      if (so_far->len > 0)
        g_string_append_c (so_far, '/');
      g_string_append (so_far, parts[i]);

      /* Even a folder an earlier attempt made may not be durable yet. */
      if (!g_hash_table_contains (self->dirs, so_far->str))
        g_hash_table_add (self->dirs, g_strdup (so_far->str));
      if (mkdirat (fd, parts[i], 0755) != 0 && errno != EEXIST)
        {
          set_errno_error (error, errno, _ ("Could not create the folder %s"), so_far->str);
          close (fd);
          return -1;
        }

      next = openat (fd, parts[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      close (fd);
      if (next < 0)
        {
          if (errno == ELOOP || errno == ENOTDIR)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                         _ ("Refusing to write through “%s”: it is not a plain folder"),
                         so_far->str);
          else
            set_errno_error (error, errno, _ ("Could not open the folder %s"), so_far->str);
          return -1;
        }
      fd = next;
    }

  *out_name = path + (strlen (path) - strlen (parts[n - 1]));
  return fd;
}

gboolean
cx_file_hash (int fd, guint64 *out_size, CxChunkId *out_sha256, GError **error)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (256 * 1024);
  guint64 total = 0;
  gsize digest_len = CX_CHUNK_ID_LEN;

  if (lseek (fd, 0, SEEK_SET) < 0)
    return set_errno_error (error, errno, "%s", _ ("Could not read a file"));

  for (;;)
    {
      ssize_t n = read (fd, buffer, 256 * 1024);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, errno, "%s", _ ("Could not read a file"));
      if (n == 0)
        break;
      g_checksum_update (checksum, buffer, n);
      total += n;
    }

  g_checksum_get_digest (checksum, out_sha256->bytes, &digest_len);
  *out_size = total;
  return TRUE;
}

/**
 * cx_tree_builder_has_file:
 *
 * Returns: whether @path is already there, a regular file (not a symlink)
 *   with exactly this size and hash — left by an interrupted attempt
 */
gboolean
cx_tree_builder_has_file (CxTreeBuilder *self,
                          const char *path,
                          guint64 size,
                          const CxChunkId *sha256)
{
  g_autoptr (GError) error = NULL;
  const char *name;
  int dir_fd, fd;
  struct stat st;
  guint64 actual_size;
  CxChunkId actual;
  gboolean ok;

  dir_fd = open_parent (self, path, &name, &error);
  if (dir_fd < 0)
    return FALSE;

  fd = openat (dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  close (dir_fd);
  if (fd < 0)
    return FALSE;

  ok = fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && (guint64) st.st_size == size &&
       cx_file_hash (fd, &actual_size, &actual, &error) && actual_size == size &&
       cx_chunk_id_equal (&actual, sha256);
  close (fd);
  return ok;
}

static gboolean
write_all (int fd, const guint8 *data, gsize length, const char *path, GError **error)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, errno, _ ("Could not write %s"), path);
      data += n;
      length -= n;
    }

  return TRUE;
}

static gboolean
write_chunks (int fd,
              const char *path,
              guint64 size,
              const CxChunkId *sha256,
              guint n_chunks,
              CxTreeChunkFunc chunk_func,
              gpointer user_data,
              GCancellable *cancellable,
              GError **error)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint64 written = 0;
  CxChunkId actual;
  gsize digest_len = CX_CHUNK_ID_LEN;

  for (guint i = 0; i < n_chunks; i++)
    {
      g_autoptr (GBytes) chunk = NULL;
      const guint8 *data;
      gsize length;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      chunk = chunk_func (i, user_data, error);
      if (chunk == NULL)
        return FALSE;

      data = g_bytes_get_data (chunk, &length);
      if (length > 0 && !write_all (fd, data, length, path, error))
        return FALSE;
      g_checksum_update (checksum, data, length);
      written += length;
    }

  g_checksum_get_digest (checksum, actual.bytes, &digest_len);
  if (written != size || !cx_chunk_id_equal (&actual, sha256))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _ ("“%s” did not come out as the manifest says; nothing was installed"), path);
      return FALSE;
    }

  if (fsync (fd) != 0)
    return set_errno_error (error, errno, _ ("Could not write %s"), path);

  return TRUE;
}

/* Installed trees are never edited in place, so their files are read-only. */
static guint32
installed_mode (guint32 mode)
{
  return (mode & 0555) | 0444;
}

/**
 * cx_tree_builder_write_file:
 * @chunk_func: hands out the file's chunks in order
 *
 * Writes @path from its chunks, then checks the whole file's size and
 * SHA-256; on any failure the file is removed.
 */
gboolean
cx_tree_builder_write_file (CxTreeBuilder *self,
                            const char *path,
                            guint32 mode,
                            guint64 size,
                            const CxChunkId *sha256,
                            guint n_chunks,
                            CxTreeChunkFunc chunk_func,
                            gpointer user_data,
                            GCancellable *cancellable,
                            GError **error)
{
  const char *name;
  int dir_fd, fd;
  gboolean ok;

  dir_fd = open_parent (self, path, &name, error);
  if (dir_fd < 0)
    return FALSE;

  /* Whatever an earlier attempt left there goes first; unlinkat never
   * follows a symlink. */
  if (unlinkat (dir_fd, name, 0) != 0 && errno != ENOENT)
    {
      set_errno_error (error, errno, _ ("Could not replace %s"), path);
      close (dir_fd);
      return FALSE;
    }

  fd = openat (dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno, _ ("Could not create %s"), path);
      close (dir_fd);
      return FALSE;
    }

  ok = write_chunks (fd, path, size, sha256, n_chunks, chunk_func, user_data, cancellable, error);
  if (ok && fchmod (fd, installed_mode (mode)) != 0)
    ok = set_errno_error (error, errno, _ ("Could not write %s"), path);
  close (fd);
  if (!ok)
    unlinkat (dir_fd, name, 0);
  close (dir_fd);
  return ok;
}

/**
 * cx_tree_builder_link_file:
 * @source: an installed file with the same content
 *
 * Reuses an unchanged file of an installed version by hard link, after
 * checking it still holds what it should.  Fails without error details
 * worth showing when @source is damaged; the caller then writes the file.
 */
gboolean
cx_tree_builder_link_file (CxTreeBuilder *self,
                           const char *path,
                           const char *source,
                           guint64 size,
                           const CxChunkId *sha256,
                           GError **error)
{
  const char *name;
  int dir_fd, src_fd;
  guint64 actual_size;
  CxChunkId actual;
  struct stat st;
  gboolean ok;

  src_fd = open (source, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (src_fd < 0)
    return set_errno_error (error, errno, _ ("Could not open %s"), source);

  ok = fstat (src_fd, &st) == 0 && S_ISREG (st.st_mode) &&
       cx_file_hash (src_fd, &actual_size, &actual, error);
  close (src_fd);
  if (!ok)
    return FALSE;
  if (actual_size != size || !cx_chunk_id_equal (&actual, sha256))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _ ("%s is damaged"), source);
      return FALSE;
    }

  dir_fd = open_parent (self, path, &name, error);
  if (dir_fd < 0)
    return FALSE;

  if (unlinkat (dir_fd, name, 0) != 0 && errno != ENOENT)
    ok = set_errno_error (error, errno, _ ("Could not replace %s"), path);
  else if (linkat (AT_FDCWD, source, dir_fd, name, 0) != 0)
    ok = set_errno_error (error, errno, _ ("Could not create %s"), path);
  close (dir_fd);
  return ok;
}

/* Makes every folder entry the build created durable before the install
 * is committed in the store. */
gboolean
cx_tree_builder_sync (CxTreeBuilder *self, GError **error)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->dirs);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *dir = key;
      int fd = openat (self->root_fd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      int rc;

      if (fd < 0)
        return set_errno_error (error, errno, _ ("Could not open the folder %s"), dir);
      rc = fsync (fd);
      close (fd);
      if (rc != 0)
        return set_errno_error (error, errno, _ ("Could not write %s"), dir);
    }

  return TRUE;
}
