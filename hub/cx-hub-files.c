/* cx-hub-files.c: verified, atomic storage of uploaded chunks and files */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cx-hub-files.h"
#include "cx-sync-error.h"

struct _CxHubFiles
{
  GObject parent_instance;

  char *chunks_dir;
  char *files_dir;
};

G_DEFINE_FINAL_TYPE (CxHubFiles, cx_hub_files, G_TYPE_OBJECT)

static void
cx_hub_files_finalize (GObject *object)
{
  CxHubFiles *self = CX_HUB_FILES (object);

  g_free (self->chunks_dir);
  g_free (self->files_dir);
  G_OBJECT_CLASS (cx_hub_files_parent_class)->finalize (object);
}

static void
cx_hub_files_class_init (CxHubFilesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_hub_files_finalize;
}

static void
cx_hub_files_init (CxHubFiles *self)
{
}

static gboolean
set_write_error (GError **error, int saved, const char *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _ ("Cannot write %s: %s"), path,
               g_strerror (saved));
  return FALSE;
}

CxHubFiles *
cx_hub_files_new (const char *data_dir, GError **error)
{
  g_autoptr (CxHubFiles) self = g_object_new (CX_TYPE_HUB_FILES, NULL);

  self->chunks_dir = g_build_filename (data_dir, "chunks", NULL);
  self->files_dir = g_build_filename (data_dir, "files", NULL);
  if (g_mkdir_with_parents (self->chunks_dir, 0700) != 0 ||
      g_mkdir_with_parents (self->files_dir, 0700) != 0)
    {
      set_write_error (error, errno, self->files_dir);
      return NULL;
    }
  return g_steal_pointer (&self);
}

static char *
object_path (const char *dir, const CxChunkId *id)
{
  char hex[CX_CHUNK_ID_LEN * 2 + 1];
  char sub[3];

  cx_chunk_id_to_hex_buf (id, hex);
  memcpy (sub, hex, 2);
  sub[2] = '\0';
  return g_build_filename (dir, sub, hex, NULL);
}

char *
cx_hub_files_get_path (CxHubFiles *self, const CxChunkId *sha256)
{
  return object_path (self->files_dir, sha256);
}

gboolean
cx_hub_files_has_chunk (CxHubFiles *self, const CxChunkId *id)
{
  g_autofree char *path = object_path (self->chunks_dir, id);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* The rename itself survives a power cut only once its folder is synced. */
static gboolean
sync_folder (const char *dir, GError **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int saved;

  if (fd >= 0 && fsync (fd) == 0)
    {
      close (fd);
      return TRUE;
    }
  saved = errno;
  if (fd >= 0)
    close (fd);
  return set_write_error (error, saved, dir);
}

/* Writes @length bytes from @fill into @path by a temporary file in the
 * same folder, fsync and rename. */
typedef gboolean (*FillFunc) (int fd, gpointer user_data, GError **error);

static gboolean
write_atomically (const char *path, FillFunc fill, gpointer user_data, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *temp = g_build_filename (dir, ".incoming-XXXXXX", NULL);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_write_error (error, errno, dir);
  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_write_error (error, errno, dir);
  if (!fill (fd, user_data, error))
    {
      close (fd);
      g_unlink (temp);
      return FALSE;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved = errno;

      g_unlink (temp);
      return set_write_error (error, saved, temp);
    }
  if (g_rename (temp, path) != 0)
    {
      int saved = errno;

      g_unlink (temp);
      return set_write_error (error, saved, path);
    }
  return sync_folder (dir, error);
}

static gboolean
write_all (int fd, const guint8 *data, gsize length, GError **error)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return set_write_error (error, errno, _ ("an uploaded file"));
      data += n;
      length -= (gsize) n;
    }
  return TRUE;
}

static gboolean
fill_bytes (int fd, gpointer user_data, GError **error)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (user_data, &length);

  return write_all (fd, data, length, error);
}

/**
 * cx_hub_files_put_chunk:
 * @out_stored: FALSE when the hub had it already
 *
 * Keeps @data as chunk @id, if its SHA-256 is @id.
 */
gboolean
cx_hub_files_put_chunk (
    CxHubFiles *self, const CxChunkId *id, GBytes *data, gboolean *out_stored, GError **error)
{
  g_autofree char *path = object_path (self->chunks_dir, id);
  CxChunkId actual;
  gsize length;
  const guint8 *bytes = g_bytes_get_data (data, &length);

  cx_chunk_id_compute (bytes, length, &actual);
  if (!cx_chunk_id_equal (&actual, id))
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH,
                           _ ("The chunk’s bytes do not match its SHA-256"));
      return FALSE;
    }
  *out_stored = !g_file_test (path, G_FILE_TEST_IS_REGULAR);
  return !*out_stored || write_atomically (path, fill_bytes, data, error);
}

/* Hex ids of the chunks of @upload the hub lacks, each once. */
GPtrArray *
cx_hub_files_list_missing (CxHubFiles *self, const CxUpload *upload)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (cx_chunk_id_hash, cx_chunk_id_equal);
  GPtrArray *missing = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < upload->chunks->len; i++)
    {
      const CxUploadChunk *c = &g_array_index (upload->chunks, CxUploadChunk, i);

      if (g_hash_table_add (seen, (gpointer) &c->id) && !cx_hub_files_has_chunk (self, &c->id))
        g_ptr_array_add (missing, cx_chunk_id_to_hex (&c->id));
    }
  return missing;
}

typedef struct
{
  CxHubFiles *self;
  const CxUpload *upload;
} Assembly;

/* Every chunk is checked again as it is read (a disk can rot), and the
 * whole file against the manifest's SHA-256. */
static gboolean
fill_assembly (int fd, gpointer user_data, GError **error)
{
  Assembly *a = user_data;
  g_autoptr (GChecksum) whole = g_checksum_new (G_CHECKSUM_SHA256);
  CxChunkId sha;
  gsize sha_length = sizeof sha.bytes;

  for (guint i = 0; i < a->upload->chunks->len; i++)
    {
      const CxUploadChunk *c = &g_array_index (a->upload->chunks, CxUploadChunk, i);
      g_autofree char *path = object_path (a->self->chunks_dir, &c->id);
      g_autofree char *data = NULL;
      gsize length = 0;
      CxChunkId actual;

      if (!g_file_get_contents (path, &data, &length, error))
        return FALSE;
      cx_chunk_id_compute (data, length, &actual);
      if (length != c->length || !cx_chunk_id_equal (&actual, &c->id))
        {
          g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH,
                       _ ("Chunk %u of “%s” is not what its manifest says"), i, a->upload->name);
          return FALSE;
        }
      g_checksum_update (whole, (const guchar *) data, (gssize) length);
      if (!write_all (fd, (const guint8 *) data, length, error))
        return FALSE;
    }

  g_checksum_get_digest (whole, sha.bytes, &sha_length);
  if (!cx_chunk_id_equal (&sha, &a->upload->sha256))
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH,
                   _ ("“%s” put together does not match its SHA-256"), a->upload->name);
      return FALSE;
    }
  return TRUE;
}

/* Puts the file of @upload together from its chunks, verified. */
gboolean
cx_hub_files_assemble (CxHubFiles *self, const CxUpload *upload, GError **error)
{
  g_autofree char *path = object_path (self->files_dir, &upload->sha256);
  Assembly a = { self, upload };

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  return write_atomically (path, fill_assembly, &a, error);
}
