/* cx-repo-writer.c: new packs, manifests and a re-signed index, written crash-safely */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cx-chunker.h"
#include "cx-pack.h"
#include "cx-repo-index.h"
#include "cx-repo-writer.h"
#include "cx-sync-error.h"

/* High enough to matter on 256 kbit/s, still quick on a county server. */
#define PACK_LEVEL  19
#define TEMP_PREFIX ".tmp-"

struct _CxRepoWriter
{
  GObject parent_instance;

  char *dir; /* REPO/v1 */
  CxSigningKey *key;
  char *repository_id;
  CxRepoIndex *index; /* NULL before the first publish */

  GHashTable *chunks; /* CxChunkId* → CxChunkId* (pack holding it), both owned */

  /* The pack being written by this publish. */
  CxPackWriter *pack;
  GOutputStream *pack_stream;
  char *pack_temp;
  int pack_fd;
  GHashTable *new_chunks; /* CxChunkId* set */
};

G_DEFINE_TYPE (CxRepoWriter, cx_repo_writer, G_TYPE_OBJECT)

static void
discard_pack (CxRepoWriter *self)
{
  g_clear_pointer (&self->pack, cx_pack_writer_free);
  g_clear_object (&self->pack_stream);
  if (self->pack_temp != NULL)
    g_unlink (self->pack_temp);
  g_clear_pointer (&self->pack_temp, g_free);
  self->pack_fd = -1;
}

static void
cx_repo_writer_finalize (GObject *object)
{
  CxRepoWriter *self = CX_REPO_WRITER (object);

  discard_pack (self);
  g_hash_table_unref (self->chunks);
  g_hash_table_unref (self->new_chunks);
  g_clear_object (&self->index);
  g_clear_object (&self->key);
  g_free (self->repository_id);
  g_free (self->dir);
  G_OBJECT_CLASS (cx_repo_writer_parent_class)->finalize (object);
}

static void
cx_repo_writer_class_init (CxRepoWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_repo_writer_finalize;
}

static void
cx_repo_writer_init (CxRepoWriter *self)
{
  self->chunks = g_hash_table_new_full (cx_chunk_id_hash, cx_chunk_id_equal, g_free, g_free);
  self->new_chunks = g_hash_table_new_full (cx_chunk_id_hash, cx_chunk_id_equal, g_free, NULL);
  self->pack_fd = -1;
}

static gboolean
set_errno (GError **error, int saved, const char *what)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", what,
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
  return rc == 0 || set_errno (error, saved, dir);
}

/* A dotfile temporary beside @path, fsync, rename, fsync the folder: a
 * reader sees the old file or the whole new one. */
static gboolean
write_atomic (const char *path, const void *data, gsize length, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *temp = g_build_filename (dir, TEMP_PREFIX "XXXXXX", NULL);
  const guint8 *bytes = data;
  int fd;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    return set_errno (error, errno, dir);

  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    return set_errno (error, errno, temp);

  while (length > 0)
    {
      ssize_t n = write (fd, bytes, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          close (fd);
          g_unlink (temp);
          return set_errno (error, saved, path);
        }
      bytes += n;
      length -= n;
    }

  if (fsync (fd) != 0 || close (fd) != 0 || g_rename (temp, path) != 0)
    {
      int saved = errno;

      g_unlink (temp);
      return set_errno (error, saved, path);
    }

  return sync_dir (dir, error);
}

static char *
object_path (CxRepoWriter *self, const char *folder, const CxChunkId *id, const char *suffix)
{
  char hex[CX_CHUNK_ID_HEX_LEN + 1];

  cx_chunk_id_to_hex_buf (id, hex);
  return g_strdup_printf ("%s/%s/%.2s/%s%s", self->dir, folder, hex, hex, suffix);
}

static GBytes *
read_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* Removes temporaries a crashed publish left, at any depth under v1/. */
static void
remove_stale_temps (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_str_has_prefix (name, TEMP_PREFIX))
        g_unlink (path);
      else if (g_file_test (path, G_FILE_TEST_IS_DIR) &&
               !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        remove_stale_temps (path);
    }
}

static gboolean
learn_pack (CxRepoWriter *self, const CxChunkId *pack_id, GHashTable *seen, GError **error)
{
  g_autofree char *path = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (CxPackIndex) index = NULL;
  CxChunkId actual;

  if (g_hash_table_contains (seen, pack_id))
    return TRUE;
  g_hash_table_add (seen, cx_chunk_id_dup (pack_id));

  path = object_path (self, "packs", pack_id, ".idx");
  bytes = read_file (path, error);
  if (bytes == NULL)
    return FALSE;
  index = cx_pack_index_new_from_bytes (bytes, error);
  if (index == NULL)
    return FALSE;
  cx_pack_index_get_id (index, &actual);
  if (!cx_chunk_id_equal (&actual, pack_id))
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH,
                   _ ("The repository is damaged: %s does not match its name"), path);
      return FALSE;
    }

  for (guint i = 0; i < cx_pack_index_get_n_entries (index); i++)
    {
      const CxPackEntry *entry = cx_pack_index_get_entry (index, i);

      if (!g_hash_table_contains (self->chunks, &entry->id))
        g_hash_table_insert (self->chunks, cx_chunk_id_dup (&entry->id), cx_chunk_id_dup (pack_id));
    }

  return TRUE;
}

/* Reads every manifest the index names and every pack they name, so that
 * chunks the repository holds are never packed twice. */
static gboolean
learn_chunks (CxRepoWriter *self, GError **error)
{
  g_autoptr (GHashTable) seen =
      g_hash_table_new_full (cx_chunk_id_hash, cx_chunk_id_equal, g_free, NULL);
  GPtrArray *packages = cx_repo_index_get_packages (self->index);

  for (guint p = 0; p < packages->len; p++)
    {
      const CxRepoPackage *package = g_ptr_array_index (packages, p);

      for (guint v = 0; v < package->versions->len; v++)
        {
          const CxRepoVersion *version = &g_array_index (package->versions, CxRepoVersion, v);
          g_autofree char *path =
              object_path (self, "manifests", &version->manifest_id, ".manifest");
          g_autoptr (GBytes) bytes = read_file (path, error);
          g_autoptr (CxManifest) manifest = NULL;
          GArray *packs;

          if (bytes == NULL)
            return FALSE;
          manifest = cx_manifest_new_from_bytes (bytes, &version->manifest_id, error);
          if (manifest == NULL)
            return FALSE;

          packs = cx_manifest_get_packs (manifest);
          for (guint i = 0; i < packs->len; i++)
            if (!learn_pack (self, &g_array_index (packs, CxChunkId, i), seen, error))
              return FALSE;
        }
    }

  return TRUE;
}

/**
 * cx_repo_writer_open:
 * @repo_dir: the repository folder (it is created if missing)
 * @key: the key that signs the repository's index
 * @repository_id: (nullable): required for a new repository; otherwise it
 *   must match the existing one
 *
 * Returns: (transfer full): a writer, or %NULL with @error set
 */
CxRepoWriter *
cx_repo_writer_open (const char *repo_dir,
                     CxSigningKey *key,
                     const char *repository_id,
                     GError **error)
{
  g_autoptr (CxRepoWriter) self = g_object_new (CX_TYPE_REPO_WRITER, NULL);
  g_autofree char *index_path = NULL;
  static const char *const folders[] = { "manifests", "packs", "deltas" };

  g_return_val_if_fail (repo_dir != NULL && CX_IS_SIGNING_KEY (key), NULL);

  if (repository_id != NULL && !cx_repo_validate_id (repository_id, error))
    return NULL;

  self->dir = g_build_filename (repo_dir, "v1", NULL);
  self->key = g_object_ref (key);
  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *folder = g_build_filename (self->dir, folders[i], NULL);

      if (g_mkdir_with_parents (folder, 0755) != 0)
        {
          set_errno (error, errno, folder);
          return NULL;
        }
    }
  remove_stale_temps (self->dir);

  index_path = g_build_filename (self->dir, "index", NULL);
  if (g_file_test (index_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr (GBytes) bytes = read_file (index_path, error);
      CxPublicKey *public_key = cx_signing_key_get_public_key (key);

      if (bytes == NULL)
        return NULL;
      /* now = 0: an expired index may be re-published, that is the point. */
      self->index = cx_repo_index_load (bytes, &public_key, 1, repository_id, 0, 0, error);
      if (self->index == NULL)
        return NULL;
      self->repository_id = g_strdup (cx_repo_index_get_repository_id (self->index));
      if (!learn_chunks (self, error))
        return NULL;
    }
  else if (repository_id == NULL)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                           _ ("This is a new repository: give it an id with --repository-id"));
      return NULL;
    }
  else
    self->repository_id = g_strdup (repository_id);

  return g_steal_pointer (&self);
}

const char *
cx_repo_writer_get_repository_id (CxRepoWriter *self)
{
  g_return_val_if_fail (CX_IS_REPO_WRITER (self), NULL);
  return self->repository_id;
}

guint64
cx_repo_writer_next_version (CxRepoWriter *self, const char *package_id)
{
  const CxRepoPackage *package;

  g_return_val_if_fail (CX_IS_REPO_WRITER (self), 0);

  package = self->index != NULL ? cx_repo_index_lookup_package (self->index, package_id) : NULL;
  if (package == NULL)
    return 1;
  return g_array_index (package->versions, CxRepoVersion, package->versions->len - 1).version + 1;
}

static gboolean
ensure_pack (CxRepoWriter *self, GError **error)
{
  g_autofree char *packs = NULL;

  if (self->pack != NULL)
    return TRUE;

  packs = g_build_filename (self->dir, "packs", NULL);
  self->pack_temp = g_build_filename (packs, TEMP_PREFIX "pack-XXXXXX", NULL);
  self->pack_fd = g_mkstemp_full (self->pack_temp, O_WRONLY | O_CLOEXEC, 0644);
  if (self->pack_fd < 0)
    {
      g_clear_pointer (&self->pack_temp, g_free);
      return set_errno (error, errno, packs);
    }

  self->pack_stream = g_unix_output_stream_new (self->pack_fd, TRUE);
  self->pack = cx_pack_writer_new (self->pack_stream, PACK_LEVEL);
  return TRUE;
}

typedef struct
{
  CxRepoWriter *self;
  GChecksum *sha256;
  GArray *refs; /* CxChunkRef */
  CxPublishStats *stats;
  GCancellable *cancellable;
} AddState;

static gboolean
on_chunk (const CxChunk *chunk, const guint8 *data, gpointer user_data, GError **error)
{
  AddState *state = user_data;
  CxRepoWriter *self = state->self;
  CxChunkRef ref = { chunk->id, chunk->length };

  g_checksum_update (state->sha256, data, chunk->length);
  g_array_append_val (state->refs, ref);
  state->stats->bytes_in += chunk->length;

  if (g_hash_table_contains (self->chunks, &chunk->id) ||
      g_hash_table_contains (self->new_chunks, &chunk->id))
    {
      state->stats->chunks_reused++;
      return TRUE;
    }

  if (!ensure_pack (self, error) ||
      !cx_pack_writer_add_chunk (self->pack, data, chunk->length, NULL, state->cancellable, error))
    return FALSE;

  g_hash_table_add (self->new_chunks, cx_chunk_id_dup (&chunk->id));
  state->stats->chunks_new++;
  return TRUE;
}

/**
 * cx_repo_writer_add_file:
 * @path: the file's path inside the package
 * @file: where to read it
 *
 * Chunks @file, packs the chunks the repository lacks and adds the file to
 * @manifest.
 */
gboolean
cx_repo_writer_add_file (CxRepoWriter *self,
                         CxManifest *manifest,
                         const char *path,
                         GFile *file,
                         guint32 mode,
                         CxPublishStats *stats,
                         GCancellable *cancellable,
                         GError **error)
{
  g_autoptr (CxChunker) chunker = cx_chunker_new ();
  g_autoptr (GChecksum) sha256 = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GArray) refs = g_array_new (FALSE, FALSE, sizeof (CxChunkRef));
  g_autoptr (GArray) chunks = NULL;
  AddState state = { self, sha256, refs, stats, cancellable };
  CxChunkId digest;
  gsize digest_len = sizeof digest.bytes;

  g_return_val_if_fail (CX_IS_REPO_WRITER (self), FALSE);

  if (!cx_manifest_validate_path (path, -1, error))
    return FALSE;

  chunks = cx_chunker_chunk_file (chunker, file, on_chunk, &state, cancellable, error);
  if (chunks == NULL)
    return FALSE;

  g_checksum_get_digest (sha256, digest.bytes, &digest_len);
  stats->files++;
  return cx_manifest_add_file (manifest, path, mode, &digest, (const CxChunkRef *) refs->data,
                               refs->len, error);
}

/* Closes the new pack: data under its final name first, then its index. */
static gboolean
finish_pack (CxRepoWriter *self, CxPublishStats *stats, GError **error)
{
  g_autoptr (GBytes) index = NULL;
  g_autofree char *pack_path = NULL;
  g_autofree char *index_path = NULL;
  g_autofree char *dir = NULL;
  GHashTableIter iter;
  gpointer key;
  CxChunkId pack_id;
  struct stat st;

  if (self->pack == NULL)
    return TRUE;

  index = cx_pack_writer_finish (self->pack, &pack_id, NULL, error);
  if (index == NULL)
    return FALSE;
  if (!g_output_stream_flush (self->pack_stream, NULL, error))
    return FALSE;
  if (fsync (self->pack_fd) != 0 || fstat (self->pack_fd, &st) != 0)
    return set_errno (error, errno, self->pack_temp);
  stats->pack_bytes = st.st_size;

  pack_path = object_path (self, "packs", &pack_id, ".pack");
  index_path = object_path (self, "packs", &pack_id, ".idx");
  dir = g_path_get_dirname (pack_path);
  if (g_mkdir_with_parents (dir, 0755) != 0 || g_rename (self->pack_temp, pack_path) != 0)
    return set_errno (error, errno, pack_path);
  g_clear_pointer (&self->pack_temp, g_free);
  if (!sync_dir (dir, error))
    return FALSE;
  if (!write_atomic (index_path, g_bytes_get_data (index, NULL), g_bytes_get_size (index), error))
    return FALSE;

  g_hash_table_iter_init (&iter, self->new_chunks);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_insert (self->chunks, cx_chunk_id_dup (key), cx_chunk_id_dup (&pack_id));
  g_hash_table_remove_all (self->new_chunks);
  discard_pack (self);
  return TRUE;
}

/* The packs holding the manifest's chunks, in order of first use. */
static gboolean
name_packs (CxRepoWriter *self, CxManifest *manifest, GError **error)
{
  g_autoptr (GHashTable) named = g_hash_table_new (cx_chunk_id_hash, cx_chunk_id_equal);
  GPtrArray *files = cx_manifest_get_files (manifest);

  for (guint f = 0; f < files->len; f++)
    {
      const CxManifestFile *file = g_ptr_array_index (files, f);

      for (guint c = 0; c < file->chunks->len; c++)
        {
          const CxChunkRef *ref = &g_array_index (file->chunks, CxChunkRef, c);
          const CxChunkId *pack = g_hash_table_lookup (self->chunks, &ref->id);

          if (pack == NULL)
            {
              g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED,
                                   _ ("A chunk of the new version is in no pack"));
              return FALSE;
            }
          if (!g_hash_table_contains (named, pack))
            {
              g_hash_table_add (named, (gpointer) pack);
              cx_manifest_add_pack (manifest, pack);
            }
        }
    }

  return TRUE;
}

/* Copies the old index's versions, keeping the newest few of each package
 * (one fewer for @package_id, whose new version is added by the caller). */
static CxRepoIndex *
next_index (CxRepoWriter *self, const char *package_id, gint64 expires_in, GError **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint64 version = self->index != NULL ? cx_repo_index_get_version (self->index) + 1 : 1;
  g_autoptr (CxRepoIndex) index =
      cx_repo_index_new (self->repository_id, version, now, now + MAX (expires_in, 1));
  GPtrArray *packages = self->index != NULL ? cx_repo_index_get_packages (self->index) : NULL;

  for (guint p = 0; packages != NULL && p < packages->len; p++)
    {
      const CxRepoPackage *package = g_ptr_array_index (packages, p);
      guint keep = CX_REPO_WRITER_KEEP_VERSIONS - (g_strcmp0 (package->id, package_id) == 0);
      guint first = package->versions->len > keep ? package->versions->len - keep : 0;

      for (guint v = first; v < package->versions->len; v++)
        {
          const CxRepoVersion *rv = &g_array_index (package->versions, CxRepoVersion, v);

          if (!cx_repo_index_add_version (index, package->id, rv->version, &rv->manifest_id,
                                          rv->manifest_size, rv->install_size, error))
            return NULL;
        }
    }

  return g_steal_pointer (&index);
}

static gboolean
write_index (CxRepoWriter *self, CxRepoIndex *index, GError **error)
{
  g_autoptr (GBytes) bytes = cx_repo_index_sign (index, &self->key, 1, error);
  g_autofree char *path = NULL;

  if (bytes == NULL)
    return FALSE;

  path = g_build_filename (self->dir, "index", NULL);
  if (!write_atomic (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    return FALSE;

  g_set_object (&self->index, index);
  return TRUE;
}

/**
 * cx_repo_writer_commit:
 * @manifest: the new version, with every file added
 * @expires_in: seconds until the new index expires
 *
 * Writes the new pack, the manifest and, last, the new signed index.
 */
gboolean
cx_repo_writer_commit (CxRepoWriter *self,
                       CxManifest *manifest,
                       gint64 expires_in,
                       CxPublishStats *stats,
                       GError **error)
{
  g_autoptr (GBytes) stored = NULL;
  g_autoptr (CxRepoIndex) index = NULL;
  g_autofree char *path = NULL;
  CxChunkId manifest_id;

  g_return_val_if_fail (CX_IS_REPO_WRITER (self), FALSE);

  if (!finish_pack (self, stats, error) || !name_packs (self, manifest, error))
    return FALSE;

  stored = cx_manifest_serialize (manifest, error);
  if (stored == NULL)
    return FALSE;
  cx_chunk_id_compute (g_bytes_get_data (stored, NULL), g_bytes_get_size (stored), &manifest_id);
  path = object_path (self, "manifests", &manifest_id, ".manifest");
  if (!write_atomic (path, g_bytes_get_data (stored, NULL), g_bytes_get_size (stored), error))
    return FALSE;

  index = next_index (self, cx_manifest_get_package_id (manifest), expires_in, error);
  if (index == NULL || !cx_repo_index_add_version (index, cx_manifest_get_package_id (manifest),
                                                   cx_manifest_get_version (manifest), &manifest_id,
                                                   g_bytes_get_size (stored),
                                                   cx_manifest_get_install_size (manifest), error))
    return FALSE;

  stats->version = cx_manifest_get_version (manifest);
  return write_index (self, index, error);
}

/**
 * cx_repo_writer_resign:
 *
 * Publishes the same content under a new index version with a fresh
 * expiry, so clients keep trusting a repository that has not changed.
 */
gboolean
cx_repo_writer_resign (CxRepoWriter *self, gint64 expires_in, GError **error)
{
  g_autoptr (CxRepoIndex) index = NULL;

  g_return_val_if_fail (CX_IS_REPO_WRITER (self), FALSE);

  if (self->index == NULL)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND,
                           _ ("The repository has nothing published yet"));
      return FALSE;
    }

  index = next_index (self, NULL, expires_in, error);
  return index != NULL && write_index (self, index, error);
}
