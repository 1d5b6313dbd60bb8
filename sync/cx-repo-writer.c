/* cx-repo-writer.c: new packs, deltas, manifests and a re-signed index, written crash-safely
 *
 * Every new file is immutable and content-addressed: it is written as a
 * dotfile temporary in the repository, fsynced, renamed under its final
 * name and its folder fsynced.  Only then is v1/index replaced, by one more
 * rename.  A crash before that rename leaves files no index names, which
 * are harmless; stale temporaries are removed by the next writer.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cx-chunker.h"
#include "cx-pack.h"
#include "cx-repo-index.h"
#include "cx-repo-writer-private.h"
#include "cx-source-files.h"
#include "cx-sync-error.h"
#include "cx-temp-file.h"

#define LOCK_NAME    ".lock"
#define PACKAGE_JSON "package.json"

enum
{
  PROP_0,
  PROP_REPOSITORY_ID,
  PROP_EXPIRES_DAYS,
  N_PROPS
};

enum
{
  FILE_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CxRepoWriter, cx_repo_writer, G_TYPE_OBJECT)

/* v1/FOLDER/XX/HEX.SUFFIX, the layout of PROTOCOL.md §2. */
char *
_cx_repo_writer_object_path (CxRepoWriter *self,
                             const char *folder,
                             const CxChunkId *id,
                             const char *suffix)
{
  char hex[CX_CHUNK_ID_HEX_LEN + 1];

  cx_chunk_id_to_hex_buf (id, hex);
  return g_strdup_printf ("%s/%s/%.2s/%s%s", self->dir, folder, hex, hex, suffix);
}

static GBytes *
read_bytes (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* Temporaries a crashed writer left, at any depth under v1/.  Only ever
 * called with the lock held, so no live writer owns them. */
static void
remove_stale_temps (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if (g_str_has_prefix (name, CX_TEMP_FILE_PREFIX) && S_ISREG (st.st_mode))
        {
          if (g_unlink (path) != 0)
            g_debug ("Cannot remove stale temporary %s: %s", path, g_strerror (errno));
        }
      else if (S_ISDIR (st.st_mode))
        remove_stale_temps (path);
    }
}

static void
cx_repo_writer_finalize (GObject *object)
{
  CxRepoWriter *self = CX_REPO_WRITER (object);

  g_clear_pointer (&self->chunks, g_hash_table_unref);
  g_clear_pointer (&self->packs, g_hash_table_unref);
  g_clear_pointer (&self->manifests, g_hash_table_unref);
  g_clear_object (&self->index);
  g_clear_object (&self->key);
  g_clear_pointer (&self->repository_id, g_free);
  g_clear_pointer (&self->dir, g_free);
  if (self->lock_fd >= 0)
    close (self->lock_fd); /* releases the flock */

  G_OBJECT_CLASS (cx_repo_writer_parent_class)->finalize (object);
}

static void
cx_repo_writer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CxRepoWriter *self = CX_REPO_WRITER (object);

  switch (prop_id)
    {
    case PROP_REPOSITORY_ID:
      g_value_set_string (value, self->repository_id);
      break;
    case PROP_EXPIRES_DAYS:
      g_value_set_uint (value, self->expires_days);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cx_repo_writer_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CxRepoWriter *self = CX_REPO_WRITER (object);

  switch (prop_id)
    {
    case PROP_EXPIRES_DAYS:
      cx_repo_writer_set_expires_days (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cx_repo_writer_class_init (CxRepoWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cx_repo_writer_finalize;
  object_class->get_property = cx_repo_writer_get_property;
  object_class->set_property = cx_repo_writer_set_property;

  properties[PROP_REPOSITORY_ID] = g_param_spec_string ("repository-id", NULL, NULL, NULL,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Clients refuse the index after this many days unless it is re-signed. */
  properties[PROP_EXPIRES_DAYS] =
      g_param_spec_uint ("expires-days", NULL, NULL, 1, 366, CX_REPO_WRITER_DEFAULT_EXPIRES_DAYS,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted as each file of a publish has been chunked and packed. */
  signals[FILE_ADDED] =
      g_signal_new ("file-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT64);
}

static void
cx_repo_writer_init (CxRepoWriter *self)
{
  self->lock_fd = -1;
  self->expires_days = CX_REPO_WRITER_DEFAULT_EXPIRES_DAYS;
  self->keep_versions = CX_REPO_WRITER_DEFAULT_KEEP_VERSIONS;
  self->level = CX_REPO_WRITER_DEFAULT_LEVEL;
  self->manifests =
      g_hash_table_new_full (cx_chunk_id_hash, cx_chunk_id_equal, g_free, g_object_unref);
  self->packs = g_hash_table_new_full (cx_chunk_id_hash, cx_chunk_id_equal, g_free,
                                       (GDestroyNotify) cx_pack_index_unref);
  self->chunks = g_hash_table_new (cx_chunk_id_hash, cx_chunk_id_equal);
}

/* Records a pack's chunks; the first pack learned keeps a chunk. */
static void
add_pack (CxRepoWriter *self, CxPackIndex *index)
{
  CxChunkId id;

  cx_pack_index_get_id (index, &id);
  g_hash_table_insert (self->packs, cx_chunk_id_dup (&id), cx_pack_index_ref (index));
  for (guint i = 0; i < cx_pack_index_get_n_entries (index); i++)
    {
      const CxPackEntry *entry = cx_pack_index_get_entry (index, i);

      if (!g_hash_table_contains (self->chunks, &entry->id))
        g_hash_table_insert (self->chunks, (gpointer) &entry->id, index);
    }
}

static gboolean
learn_pack (CxRepoWriter *self, const CxChunkId *pack_id, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *data_path = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (CxPackIndex) index = NULL;
  CxChunkId actual;
  GStatBuf st;

  if (g_hash_table_contains (self->packs, pack_id))
    return TRUE;

  path = _cx_repo_writer_object_path (self, "packs", pack_id, ".idx");
  bytes = read_bytes (path, error);
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

  data_path = _cx_repo_writer_object_path (self, "packs", pack_id, ".pack");
  if (g_stat (data_path, &st) != 0 || (guint64) st.st_size != cx_pack_index_get_pack_size (index))
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_SIZE_MISMATCH,
                   _ ("The repository is damaged: %s is missing or has the wrong size"), data_path);
      return FALSE;
    }

  add_pack (self, index);
  return TRUE;
}

/* Reads every manifest the index names and every pack they name, so that
 * chunks the repository holds are never packed twice. */
static gboolean
learn_repository (CxRepoWriter *self, GError **error)
{
  GPtrArray *packages = cx_repo_index_get_packages (self->index);

  for (guint p = 0; p < packages->len; p++)
    {
      const CxRepoPackage *package = g_ptr_array_index (packages, p);

      for (guint v = 0; v < package->versions->len; v++)
        {
          const CxRepoVersion *version = &g_array_index (package->versions, CxRepoVersion, v);
          g_autofree char *path =
              _cx_repo_writer_object_path (self, "manifests", &version->manifest_id, ".manifest");
          g_autoptr (GBytes) bytes = read_bytes (path, error);
          g_autoptr (CxManifest) manifest = NULL;
          GArray *packs;

          if (bytes == NULL)
            return FALSE;
          manifest = cx_manifest_new_from_bytes (bytes, &version->manifest_id, error);
          if (manifest == NULL)
            return FALSE;

          packs = cx_manifest_get_packs (manifest);
          for (guint i = 0; i < packs->len; i++)
            if (!learn_pack (self, &g_array_index (packs, CxChunkId, i), error))
              return FALSE;
          g_hash_table_insert (self->manifests, cx_chunk_id_dup (&version->manifest_id),
                               g_steal_pointer (&manifest));
        }
    }

  return TRUE;
}

/* One writer at a time: a second one would remove the first one's
 * temporaries and publish the same index version. */
static gboolean
take_lock (CxRepoWriter *self, GError **error)
{
  g_autofree char *path = g_build_filename (self->dir, LOCK_NAME, NULL);

  self->lock_fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (self->lock_fd < 0)
    return _cx_set_errno_error (error, errno, path);
  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno == EWOULDBLOCK)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _ ("Another publish or re-sign is running on this repository"));
          return FALSE;
        }
      return _cx_set_errno_error (error, errno, path);
    }
  return TRUE;
}

static gboolean
load_index (CxRepoWriter *self, const char *repository_id, GError **error)
{
  g_autofree char *path = g_build_filename (self->dir, "index", NULL);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) local_error = NULL;
  CxPublicKey *public_key = cx_signing_key_get_public_key (self->key);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (repository_id == NULL)
        {
          g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT,
                               _ ("This is a new repository: give it an id"));
          return FALSE;
        }
      self->repository_id = g_strdup (repository_id);
      return TRUE;
    }

  bytes = read_bytes (path, error);
  if (bytes == NULL)
    return FALSE;
  /* now = 0: an expired index may be re-published, that is the point. */
  self->index = cx_repo_index_load (bytes, &public_key, 1, repository_id, 0, 0, &local_error);
  if (self->index == NULL)
    {
      if (g_error_matches (local_error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNTRUSTED))
        g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNTRUSTED,
                     _ ("The repository is signed with another key, not key %s"),
                     cx_signing_key_get_id (self->key));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  self->repository_id = g_strdup (cx_repo_index_get_repository_id (self->index));
  return learn_repository (self, error);
}

/**
 * cx_repo_writer_open:
 * @repo_dir: the repository folder (created if missing)
 * @key: the key that signs the repository's index; an existing index must
 *   verify with it
 * @repository_id: (nullable): required for a new repository; otherwise it
 *   must match the existing one
 *
 * Opens a repository for publishing and holds its lock until the writer
 * is finalized.  Leftovers of a crashed writer are removed.
 *
 * Returns: (transfer full): a writer, or %NULL with @error set
 */
CxRepoWriter *
cx_repo_writer_open (const char *repo_dir,
                     CxSigningKey *key,
                     const char *repository_id,
                     GError **error)
{
  g_autoptr (CxRepoWriter) self = NULL;
  static const char *const folders[] = { "manifests", "packs", "deltas", "keys" };

  g_return_val_if_fail (repo_dir != NULL, NULL);
  g_return_val_if_fail (CX_IS_SIGNING_KEY (key), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (repository_id != NULL && !cx_repo_validate_id (repository_id, error))
    return NULL;

  self = g_object_new (CX_TYPE_REPO_WRITER, NULL);
  self->dir = g_build_filename (repo_dir, "v1", NULL);
  self->key = g_object_ref (key);
  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *folder = g_build_filename (self->dir, folders[i], NULL);

      if (!_cx_ensure_dir_durable (folder, error))
        return NULL;
    }
  if (!take_lock (self, error))
    return NULL;
  remove_stale_temps (self->dir);

  if (!load_index (self, repository_id, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
cx_repo_writer_get_repository_id (CxRepoWriter *self)
{
  g_return_val_if_fail (CX_IS_REPO_WRITER (self), NULL);
  return self->repository_id;
}

guint
cx_repo_writer_get_expires_days (CxRepoWriter *self)
{
  g_return_val_if_fail (CX_IS_REPO_WRITER (self), 0);
  return self->expires_days;
}

void
cx_repo_writer_set_expires_days (CxRepoWriter *self, guint days)
{
  g_return_if_fail (CX_IS_REPO_WRITER (self));
  g_return_if_fail (days >= 1 && days <= 366);

  if (self->expires_days == days)
    return;
  self->expires_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRES_DAYS]);
}

/**
 * cx_repo_writer_set_compression_level:
 *
 * The zstd level for packs and deltas; %CX_REPO_WRITER_DEFAULT_LEVEL
 * unless a test wants speed.
 */
void
cx_repo_writer_set_compression_level (CxRepoWriter *self, int level)
{
  g_return_if_fail (CX_IS_REPO_WRITER (self));
  self->level = level;
}

typedef struct
{
  CxRepoWriter *self;
  GChecksum *sha256;
  GArray *refs;     /* CxChunkRef */
  GHashTable *seen; /* chunk ids of this version, owned */
  CxTempFile *pack; /* opened on the first new chunk */
  CxPackWriter **pack_writer;
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

  if (g_hash_table_contains (state->seen, &chunk->id))
    return TRUE;
  g_hash_table_add (state->seen, cx_chunk_id_dup (&chunk->id));

  if (g_hash_table_contains (self->chunks, &chunk->id))
    {
      state->stats->chunks_reused++;
      return TRUE;
    }

  if (*state->pack_writer == NULL)
    {
      g_autofree char *packs = g_build_filename (self->dir, "packs", NULL);

      if (!_cx_temp_file_open (state->pack, packs, error))
        return FALSE;
      *state->pack_writer = cx_pack_writer_new (state->pack->stream, self->level);
    }
  if (!cx_pack_writer_add_chunk (*state->pack_writer, data, chunk->length, NULL, state->cancellable,
                                 error))
    return FALSE;
  state->stats->chunks_new++;
  return TRUE;
}

static gboolean
add_file (AddState *state, CxManifest *manifest, const CxSourceFile *file, GError **error)
{
  g_autoptr (CxChunker) chunker = cx_chunker_new ();
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GArray) chunks = NULL;
  CxChunkId digest;
  gsize digest_len = sizeof digest.bytes;
  guint32 mode = 0;
  guint64 size = 0;

  stream = _cx_source_file_open (file->source, &mode, error);
  if (stream == NULL)
    return FALSE;

  g_checksum_reset (state->sha256);
  g_array_set_size (state->refs, 0);
  chunks = cx_chunker_chunk_stream (chunker, stream, on_chunk, state, state->cancellable, error);
  if (chunks == NULL)
    return FALSE;

  g_checksum_get_digest (state->sha256, digest.bytes, &digest_len);
  for (guint i = 0; i < state->refs->len; i++)
    size += g_array_index (state->refs, CxChunkRef, i).size;
  state->stats->files++;
  state->stats->bytes_in += size;
  if (!cx_manifest_add_file (manifest, file->path, mode, &digest,
                             (const CxChunkRef *) state->refs->data, state->refs->len, error))
    return FALSE;

  g_signal_emit (state->self, signals[FILE_ADDED], 0, file->path, size);
  return TRUE;
}

/* Moves the new pack and then its index under their final names. */
static gboolean
finish_pack (CxRepoWriter *self,
             CxTempFile *temp,
             CxPackWriter *writer,
             CxPublishStats *stats,
             GError **error)
{
  g_autoptr (GBytes) index_bytes = NULL;
  g_autoptr (CxPackIndex) index = NULL;
  g_autofree char *pack_path = NULL;
  g_autofree char *index_path = NULL;
  guint64 pack_size = 0;
  CxChunkId pack_id;

  index_bytes = cx_pack_writer_finish (writer, &pack_id, NULL, error);
  if (index_bytes == NULL)
    return FALSE;
  index = cx_pack_index_new_from_bytes (index_bytes, error);
  if (index == NULL)
    return FALSE;

  pack_path = _cx_repo_writer_object_path (self, "packs", &pack_id, ".pack");
  index_path = _cx_repo_writer_object_path (self, "packs", &pack_id, ".idx");
  if (!_cx_temp_file_commit (temp, pack_path, &pack_size, error) ||
      !_cx_write_file_atomic (index_path, index_bytes, error))
    return FALSE;

  stats->pack_bytes = pack_size + g_bytes_get_size (index_bytes);
  add_pack (self, index);
  return TRUE;
}

/* The packs naming this version's chunks: the smallest set found by a
 * greedy cover, which is exact when each chunk lives in one pack. */
static gboolean
name_packs (CxRepoWriter *self, CxManifest *manifest, GError **error)
{
  g_autoptr (GHashTable) uncovered = g_hash_table_new (cx_chunk_id_hash, cx_chunk_id_equal);
  GPtrArray *files = cx_manifest_get_files (manifest);

  for (guint f = 0; f < files->len; f++)
    {
      const CxManifestFile *file = g_ptr_array_index (files, f);

      for (guint c = 0; c < file->chunks->len; c++)
        {
          const CxChunkRef *ref = &g_array_index (file->chunks, CxChunkRef, c);

          if (!g_hash_table_contains (self->chunks, &ref->id))
            {
              g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED,
                                   _ ("A chunk of the new version is in no pack"));
              return FALSE;
            }
          g_hash_table_add (uncovered, (gpointer) &ref->id);
        }
    }

  while (g_hash_table_size (uncovered) > 0)
    {
      CxPackIndex *best = NULL;
      guint best_count = 0;
      GHashTableIter packs;
      gpointer value;

      g_hash_table_iter_init (&packs, self->packs);
      while (g_hash_table_iter_next (&packs, NULL, &value))
        {
          GHashTableIter chunks;
          gpointer id;
          guint count = 0;

          g_hash_table_iter_init (&chunks, uncovered);
          while (g_hash_table_iter_next (&chunks, &id, NULL))
            count += cx_pack_index_lookup (value, id, NULL) != NULL;
          if (count > best_count)
            {
              best = value;
              best_count = count;
            }
        }

      g_assert (best != NULL);
      {
        CxChunkId pack_id;

        cx_pack_index_get_id (best, &pack_id);
        cx_manifest_add_pack (manifest, &pack_id);
        for (guint i = 0; i < cx_pack_index_get_n_entries (best); i++)
          g_hash_table_remove (uncovered, &cx_pack_index_get_entry (best, i)->id);
      }
    }

  return TRUE;
}

/* A file of a stored version, rebuilt from the repository's own packs. */
GBytes *
_cx_repo_writer_read_stored_file (CxRepoWriter *self,
                                  const CxManifestFile *file,
                                  GHashTable *streams,
                                  GCancellable *cancellable,
                                  GError **error)
{
  g_autofree guint8 *data = g_malloc (MAX (file->size, 1));
  guint64 offset = 0;
  CxChunkId actual;

  for (guint i = 0; i < file->chunks->len; i++)
    {
      const CxChunkRef *ref = &g_array_index (file->chunks, CxChunkRef, i);
      CxPackIndex *index = g_hash_table_lookup (self->chunks, &ref->id);
      GInputStream *stream;
      g_autoptr (GBytes) chunk = NULL;
      CxChunkId pack_id;

      if (index == NULL)
        {
          g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND,
                       _ ("A chunk of “%s” is in no pack of the repository"), file->path);
          return NULL;
        }
      cx_pack_index_get_id (index, &pack_id);
      stream = g_hash_table_lookup (streams, &pack_id);
      if (stream == NULL)
        {
          g_autofree char *path = _cx_repo_writer_object_path (self, "packs", &pack_id, ".pack");
          g_autoptr (GFile) pack = g_file_new_for_path (path);

          stream = G_INPUT_STREAM (g_file_read (pack, cancellable, error));
          if (stream == NULL)
            return NULL;
          g_hash_table_insert (streams, cx_chunk_id_dup (&pack_id), stream);
        }

      chunk = cx_pack_read_chunk (index, stream, &ref->id, cancellable, error);
      if (chunk == NULL)
        return NULL;
      memcpy (data + offset, g_bytes_get_data (chunk, NULL), ref->size);
      offset += ref->size;
    }

  cx_chunk_id_compute (data, file->size, &actual);
  if (!cx_chunk_id_equal (&actual, &file->sha256))
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH,
                   _ ("The repository is damaged: “%s” does not rebuild from its chunks"),
                   file->path);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&data), file->size);
}

/* A file of the version being published, read again from the source and
 * checked against what was chunked. */
GBytes *
_cx_read_source_file (const CxManifestFile *file, const char *source, GError **error)
{
  g_autoptr (GInputStream) stream = _cx_source_file_open (source, NULL, error);
  g_autofree guint8 *data = NULL;
  gsize n_read = 0;
  guint8 extra;
  CxChunkId actual;

  if (stream == NULL)
    {
      g_autofree char *display = g_filename_display_name (source);

      g_prefix_error (error, "%s: ", display);
      return NULL;
    }
  data = g_malloc (MAX (file->size, 1));
  if (!g_input_stream_read_all (stream, data, file->size, &n_read, NULL, error) ||
      (n_read == file->size && !g_input_stream_read_all (stream, &extra, 1, &n_read, NULL, error)))
    return NULL;
  cx_chunk_id_compute (data, file->size, &actual);
  if (n_read != 0 || !cx_chunk_id_equal (&actual, &file->sha256))
    {
      g_autofree char *display = g_filename_display_name (source);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _ ("%s changed while it was being published"), display);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&data), file->size);
}

/* A copy of the current index under the next index version and a fresh
 * expiry, keeping the newest @keep versions of each package (one fewer of
 * @package_id, whose new version the caller adds). */
static CxRepoIndex *
next_index (CxRepoWriter *self, const char *package_id, guint keep_versions, GError **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint64 version = self->index != NULL ? cx_repo_index_get_version (self->index) + 1 : 1;
  g_autoptr (CxRepoIndex) index = cx_repo_index_new (self->repository_id, version, now,
                                                     now + (gint64) self->expires_days * 86400);
  GPtrArray *packages = self->index != NULL ? cx_repo_index_get_packages (self->index) : NULL;

  for (guint p = 0; packages != NULL && p < packages->len; p++)
    {
      const CxRepoPackage *package = g_ptr_array_index (packages, p);
      guint keep = keep_versions - (g_strcmp0 (package->id, package_id) == 0);
      guint first = package->versions->len > keep ? package->versions->len - keep : 0;

      for (guint v = first; v < package->versions->len; v++)
        {
          const CxRepoVersion *rv = &g_array_index (package->versions, CxRepoVersion, v);

          if (!cx_repo_index_add_version (index, package->id, rv->version, &rv->manifest_id,
                                          rv->manifest_size, rv->install_size, error))
            return NULL;
          for (guint d = 0; d < rv->n_deltas; d++)
            if (!cx_repo_index_add_delta (index, package->id, rv->version, &rv->deltas[d], error))
              return NULL;
        }
    }

  return g_steal_pointer (&index);
}

/* v1/keys/KEYID.pub, for people to read (clients never trust it). */
static gboolean
write_public_key (CxRepoWriter *self, GError **error)
{
  CxPublicKey *key = cx_signing_key_get_public_key (self->key);
  g_autofree char *name = g_strconcat (cx_public_key_get_id (key), ".pub", NULL);
  g_autofree char *path = g_build_filename (self->dir, "keys", name, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GBytes) bytes = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  text = cx_public_key_to_string (key);
  bytes = g_bytes_new_take (g_strconcat (text, "\n", NULL), strlen (text) + 1);
  return _cx_write_file_atomic (path, bytes, error);
}

static gboolean
write_index (CxRepoWriter *self, CxRepoIndex *index, GError **error)
{
  g_autoptr (GBytes) bytes = cx_repo_index_sign (index, &self->key, 1, error);
  g_autofree char *path = NULL;

  if (bytes == NULL || !write_public_key (self, error))
    return FALSE;

  path = g_build_filename (self->dir, "index", NULL);
  if (!_cx_write_file_atomic (path, bytes, error))
    return FALSE;

  g_set_object (&self->index, index);
  return TRUE;
}

static guint64
next_package_version (CxRepoWriter *self, const char *package_id)
{
  const CxRepoPackage *package =
      self->index != NULL ? cx_repo_index_lookup_package (self->index, package_id) : NULL;

  if (package == NULL)
    return 1;
  return g_array_index (package->versions, CxRepoVersion, package->versions->len - 1).version + 1;
}

/* Chunks every file into the manifest, packing what the repository lacks. */
static gboolean
add_files (CxRepoWriter *self,
           CxManifest *manifest,
           GPtrArray *files,
           CxPublishStats *stats,
           GCancellable *cancellable,
           GError **error)
{
  g_autoptr (GChecksum) sha256 = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GArray) refs = g_array_new (FALSE, FALSE, sizeof (CxChunkRef));
  g_autoptr (GHashTable) seen =
      g_hash_table_new_full (cx_chunk_id_hash, cx_chunk_id_equal, g_free, NULL);
  g_autoptr (CxPackWriter) pack_writer = NULL;
  CxTempFile pack = { 0 };
  AddState state = { self, sha256, refs, seen, &pack, &pack_writer, stats, cancellable };

  for (guint i = 0; i < files->len; i++)
    {
      const CxSourceFile *file = g_ptr_array_index (files, i);

      if (!add_file (&state, manifest, file, error))
        {
          g_autofree char *display = g_filename_display_name (file->source);

          g_prefix_error (error, "%s: ", display);
          _cx_temp_file_discard (&pack);
          return FALSE;
        }
    }

  if (pack_writer != NULL && !finish_pack (self, &pack, pack_writer, stats, error))
    {
      _cx_temp_file_discard (&pack);
      return FALSE;
    }
  return TRUE;
}

/**
 * cx_repo_writer_publish_tree:
 * @src_dir: the package's folder: every regular file in it except
 *   dotfiles and a top-level package.json becomes a file of the version
 * @info: the package's id and metadata, and how to add its course tree
 * @out_version: (out) (optional): the package version published
 * @out_stats: (out) (optional): what was written and reused
 *
 * Publishes @src_dir as the next version of the package: new chunks go
 * into one new pack, files changed since each older listed version get a
 * delta, and the manifest and finally a new signed index are written.  If
 * anything fails, the repository still serves the previous index.
 */
gboolean
cx_repo_writer_publish_tree (CxRepoWriter *self,
                             const char *src_dir,
                             const CxPackageInfo *info,
                             guint64 *out_version,
                             CxPublishStats *out_stats,
                             GCancellable *cancellable,
                             GError **error)
{
  g_autoptr (GPtrArray) files = NULL;
  g_autoptr (CxManifest) manifest = NULL;
  g_autoptr (GBytes) stored = NULL;
  g_autoptr (CxRepoIndex) index = NULL;
  g_autofree char *path = NULL;
  CxPublishStats stats = { 0 };
  CxChunkId manifest_id;

  g_return_val_if_fail (CX_IS_REPO_WRITER (self), FALSE);
  g_return_val_if_fail (src_dir != NULL, FALSE);
  g_return_val_if_fail (info != NULL && info->id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cx_repo_validate_id (info->id, error))
    return FALSE;
  files = _cx_source_files_list (src_dir, PACKAGE_JSON, error);
  if (files == NULL)
    return FALSE;

  manifest = cx_manifest_new (info->id, next_package_version (self, info->id));
  cx_manifest_set_metadata (
      manifest, info->title != NULL ? info->title : "", info->subject != NULL ? info->subject : "",
      info->grade != NULL ? info->grade : "", info->edition != NULL ? info->edition : "");
  stats.version = cx_manifest_get_version (manifest);

  if (!add_files (self, manifest, files, &stats, cancellable, error) ||
      (info->add_units != NULL && !info->add_units (manifest, info->user_data, error)) ||
      !name_packs (self, manifest, error))
    return FALSE;

  stored = cx_manifest_serialize (manifest, error);
  if (stored == NULL)
    return FALSE;
  cx_chunk_id_compute (g_bytes_get_data (stored, NULL), g_bytes_get_size (stored), &manifest_id);
  path = _cx_repo_writer_object_path (self, "manifests", &manifest_id, ".manifest");
  if (!_cx_write_file_atomic (path, stored, error))
    return FALSE;

  index = next_index (self, info->id, self->keep_versions, error);
  if (index == NULL ||
      !cx_repo_index_add_version (index, info->id, stats.version, &manifest_id,
                                  g_bytes_get_size (stored),
                                  cx_manifest_get_install_size (manifest), error) ||
      !_cx_repo_writer_add_deltas (self, index, manifest, files, &stats, cancellable, error))
    return FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !write_index (self, index, error))
    return FALSE;
  g_hash_table_insert (self->manifests, cx_chunk_id_dup (&manifest_id),
                       g_steal_pointer (&manifest));

  if (out_version != NULL)
    *out_version = stats.version;
  if (out_stats != NULL)
    *out_stats = stats;
  return TRUE;
}

/**
 * cx_repo_writer_resign:
 * @out_index_version: (out) (optional): the new index version
 *
 * Publishes the same content under a new index version with a fresh
 * expiry, so clients keep trusting a repository that has not changed.
 */
gboolean
cx_repo_writer_resign (CxRepoWriter *self, guint64 *out_index_version, GError **error)
{
  g_autoptr (CxRepoIndex) index = NULL;

  g_return_val_if_fail (CX_IS_REPO_WRITER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->index == NULL)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND,
                           _ ("The repository has nothing published yet"));
      return FALSE;
    }

  /* Re-signing keeps everything; only publishing retires versions. */
  index = next_index (self, NULL, G_MAXUINT, error);
  if (index == NULL || !write_index (self, index, error))
    return FALSE;
  if (out_index_version != NULL)
    *out_index_version = cx_repo_index_get_version (index);
  return TRUE;
}
