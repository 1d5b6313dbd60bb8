/* cx-repo-writer-deltas.c: deltas from the versions a repository keeps to a new one
 *
 * A changed file gets a delta (a zstd frame against its old content, see
 * cx-delta.h) when that is cheaper for a client than fetching the file's
 * new chunks.
 */
#include "config.h"

#include <string.h>

#include "cx-delta.h"
#include "cx-repo-writer-private.h"

/* Files past this size that share no chunk with their old content are not
 * tried (see find_delta_candidates()). */
#define DELTA_UNSHARED_MAX_SIZE (8 * 1024 * 1024)

typedef struct
{
  const CxManifestFile *target;
  const CxManifestFile *base;
  CxChunkId path_hash;
  guint64 chunk_cost; /* compressed bytes a client would fetch instead */
} DeltaCandidate;

static int
compare_candidate (gconstpointer a, gconstpointer b)
{
  const DeltaCandidate *ca = a;
  const DeltaCandidate *cb = b;

  return memcmp (ca->path_hash.bytes, cb->path_hash.bytes, CX_CHUNK_ID_LEN);
}

/* Changed files (same path, new content) worth a delta from @base, by path
 * hash, each with what fetching its new chunks would cost instead. */
static GArray *
find_delta_candidates (CxRepoWriter *self, CxManifest *target, CxManifest *base)
{
  g_autoptr (GHashTable) base_chunks = g_hash_table_new (cx_chunk_id_hash, cx_chunk_id_equal);
  GArray *candidates = g_array_new (FALSE, TRUE, sizeof (DeltaCandidate));
  GPtrArray *base_files = cx_manifest_get_files (base);
  GPtrArray *files = cx_manifest_get_files (target);

  for (guint f = 0; f < base_files->len; f++)
    {
      const CxManifestFile *file = g_ptr_array_index (base_files, f);

      for (guint c = 0; c < file->chunks->len; c++)
        g_hash_table_add (base_chunks, &g_array_index (file->chunks, CxChunkRef, c).id);
    }

  for (guint f = 0; f < files->len; f++)
    {
      const CxManifestFile *file = g_ptr_array_index (files, f);
      const CxManifestFile *old = cx_manifest_lookup_file (base, file->path);
      g_autoptr (GHashTable) counted = NULL;
      DeltaCandidate candidate = { file, old };
      gboolean shared = FALSE;

      if (old == NULL || cx_chunk_id_equal (&old->sha256, &file->sha256) || old->size == 0 ||
          file->size == 0 || old->size > CX_DELTA_MAX_FILE_SIZE ||
          file->size > CX_DELTA_MAX_FILE_SIZE)
        continue;

      counted = g_hash_table_new (cx_chunk_id_hash, cx_chunk_id_equal);
      for (guint c = 0; c < file->chunks->len; c++)
        {
          const CxChunkId *id = &g_array_index (file->chunks, CxChunkRef, c).id;
          CxPackIndex *index = g_hash_table_lookup (self->chunks, id);

          if (g_hash_table_contains (base_chunks, id))
            shared = TRUE;
          else if (g_hash_table_add (counted, (gpointer) id))
            candidate.chunk_cost += cx_pack_index_lookup (index, id, NULL)->compressed_size;
        }
      /* Sharing no chunk with the base does not make a file new: a PDF
       * made again recompresses everything after an edit, and patch-from
       * still finds what is left.  Only past a few MiB, where a level-19
       * pass is slow and the file most likely a replaced video, is it not
       * worth finding out. */
      if (candidate.chunk_cost == 0 ||
          (!shared && file->chunks->len > 1 && file->size > DELTA_UNSHARED_MAX_SIZE))
        continue;

      cx_delta_path_hash (file->path, &candidate.path_hash);
      g_array_append_val (candidates, candidate);
    }

  g_array_sort (candidates, compare_candidate);
  return candidates;
}

/* The delta from @base_version to @target, if any file is cheaper to
 * fetch as a delta than as chunks.  Returns FALSE only on error;
 * @out_delta->size stays 0 when no delta was worth writing. */
static gboolean
write_delta (CxRepoWriter *self,
             CxManifest *target,
             GHashTable *sources,
             const CxRepoVersion *base_version,
             CxRepoDelta *out_delta,
             CxPublishStats *stats,
             GCancellable *cancellable,
             GError **error)
{
  CxManifest *base = g_hash_table_lookup (self->manifests, &base_version->manifest_id);
  g_autoptr (GArray) candidates = NULL;
  g_autoptr (GHashTable) streams =
      g_hash_table_new_full (cx_chunk_id_hash, cx_chunk_id_equal, g_free, g_object_unref);
  g_autoptr (CxDeltaWriter) writer = NULL;
  g_autoptr (GBytes) index_bytes = NULL;
  g_autofree char *deltas = g_build_filename (self->dir, "deltas", NULL);
  g_autofree char *pack_path = NULL;
  g_autofree char *index_path = NULL;
  CxTempFile temp = { 0 };
  guint64 pack_size = 0;

  g_assert (base != NULL);
  memset (out_delta, 0, sizeof *out_delta);

  candidates = find_delta_candidates (self, target, base);
  if (candidates->len == 0)
    return TRUE;

  if (!_cx_temp_file_open (&temp, deltas, error))
    return FALSE;
  writer = cx_delta_writer_new (temp.stream);

  for (guint i = 0; i < candidates->len && i < CX_DELTA_MAX_ENTRIES; i++)
    {
      const DeltaCandidate *candidate = &g_array_index (candidates, DeltaCandidate, i);
      g_autoptr (GBytes) old = NULL;
      g_autoptr (GBytes) new = NULL;
      g_autoptr (GBytes) frame = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      old = _cx_repo_writer_read_stored_file (self, candidate->base, streams, cancellable, error);
      if (old == NULL)
        goto fail;
      new = _cx_read_source_file (candidate->target,
                                  g_hash_table_lookup (sources, candidate->target->path), error);
      if (new == NULL)
        goto fail;
      frame = cx_delta_encode (g_bytes_get_data (old, NULL), g_bytes_get_size (old),
                               g_bytes_get_data (new, NULL), g_bytes_get_size (new), self->level,
                               error);
      if (frame == NULL)
        goto fail;

      if (g_bytes_get_size (frame) >= candidate->chunk_cost)
        continue;
      if (!cx_delta_writer_add (writer, candidate->target->path, &candidate->base->sha256,
                                candidate->base->size, &candidate->target->sha256,
                                candidate->target->size, frame, cancellable, error))
        goto fail;
    }

  if (cx_delta_writer_get_n_entries (writer) == 0)
    {
      _cx_temp_file_discard (&temp);
      return TRUE;
    }

  index_bytes = cx_delta_writer_finish (writer, &out_delta->index_id, NULL, cancellable, error);
  if (index_bytes == NULL)
    goto fail;
  pack_path = _cx_repo_writer_object_path (self, "deltas", &out_delta->index_id, ".dpack");
  index_path = _cx_repo_writer_object_path (self, "deltas", &out_delta->index_id, ".didx");
  if (!_cx_temp_file_commit (&temp, pack_path, &pack_size, error) ||
      !_cx_write_file_atomic (index_path, index_bytes, error))
    goto fail;

  out_delta->from = base_version->version;
  out_delta->index_size = g_bytes_get_size (index_bytes);
  out_delta->size = pack_size;
  stats->n_deltas++;
  stats->delta_files += cx_delta_writer_get_n_entries (writer);
  stats->delta_bytes += pack_size + out_delta->index_size;
  return TRUE;

fail:
  _cx_temp_file_discard (&temp);
  return FALSE;
}

/* Deltas from each older version the new index keeps to the new one. */
gboolean
_cx_repo_writer_add_deltas (CxRepoWriter *self,
                            CxRepoIndex *index,
                            CxManifest *manifest,
                            GPtrArray *files,
                            CxPublishStats *stats,
                            GCancellable *cancellable,
                            GError **error)
{
  const char *package_id = cx_manifest_get_package_id (manifest);
  guint64 version = cx_manifest_get_version (manifest);
  const CxRepoPackage *package = cx_repo_index_lookup_package (index, package_id);
  g_autoptr (GHashTable) sources = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < files->len; i++)
    {
      const CxSourceFile *file = g_ptr_array_index (files, i);

      g_hash_table_insert (sources, file->path, file->source);
    }

  for (guint v = 0; package != NULL && v < package->versions->len; v++)
    {
      const CxRepoVersion *base = &g_array_index (package->versions, CxRepoVersion, v);
      CxRepoDelta delta;

      if (base->version >= version)
        continue;
      if (!write_delta (self, manifest, sources, base, &delta, stats, cancellable, error))
        return FALSE;
      if (delta.size > 0 && !cx_repo_index_add_delta (index, package_id, version, &delta, error))
        return FALSE;
    }

  return TRUE;
}
