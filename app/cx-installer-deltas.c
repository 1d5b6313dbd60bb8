/* cx-installer-deltas.c: updates rebuilt from the installed version and a delta
 *
 * When the hub offers a delta from the installed version to the current
 * one, files that changed are rebuilt from their old content and a delta
 * frame instead of being fetched by chunks.
 */
#include "config.h"

#include "cx-installer-private.h"
#include "cx-public-key.h"
#include "cx-repo-index.h"

/* The delta index from the installed version to the current one, if the
 * hub's last index offers one.  Any problem just means no deltas: the
 * chunks are always there to fall back on. */
CxDeltaIndex *
_cx_installer_load_deltas (CxInstaller *self,
                           CxFetcher *fetcher,
                           const CxPackageStatus *status,
                           char **out_pack_path,
                           GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxHubState) hub = NULL;
  g_autoptr (GBytes) index_bytes = NULL;
  g_autoptr (CxPublicKey) key = NULL;
  g_autoptr (CxRepoIndex) index = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (CxDeltaIndex) deltas = NULL;
  g_autofree char *hex = NULL;
  const CxRepoPackage *package;
  const CxRepoVersion *version;
  const CxRepoDelta *delta = NULL;

  if (status->installed_version == 0 || status->installed_version >= status->current_version)
    return NULL;

  hub = cx_store_lookup_hub (self->store, status->hub_id, NULL);
  index_bytes = cx_content_store_load_index (self->content, status->hub_id);
  if (hub == NULL || index_bytes == NULL)
    return NULL;
  key = cx_public_key_new_from_string (hub->public_key, NULL);
  if (key != NULL)
    index = cx_repo_index_load (index_bytes, &key, 1, hub->repository_id, 0,
                                g_get_real_time () / G_USEC_PER_SEC, NULL);
  package = index != NULL ? cx_repo_index_lookup_package (index, status->package_key) : NULL;
  version =
      package != NULL ? cx_repo_package_lookup_version (package, status->current_version) : NULL;
  for (guint i = 0; version != NULL && i < version->n_deltas; i++)
    if (version->deltas[i].from == (guint64) status->installed_version)
      delta = &version->deltas[i];
  if (delta == NULL)
    return NULL;

  hex = cx_chunk_id_to_hex (&delta->index_id);
  bytes = cx_content_store_load (self->content, CX_OBJECT_DELTA_INDEX, &delta->index_id, NULL);
  if (bytes == NULL)
    {
      g_autofree char *path = g_strdup_printf ("v1/deltas/%.2s/%s.didx", hex, hex);

      bytes = cx_fetcher_get_file (fetcher, path, CX_DELTA_INDEX_MAX_SIZE, delta->index_size,
                                   cancellable, &error);
      if (bytes == NULL || !cx_content_store_save (self->content, CX_OBJECT_DELTA_INDEX,
                                                   &delta->index_id, bytes, &error))
        {
          g_debug ("No deltas for %s: %s", status->package_key, error->message);
          return NULL;
        }
    }

  deltas = cx_delta_index_new_from_bytes (bytes, &delta->index_id, &error);
  if (deltas == NULL)
    {
      g_debug ("No deltas for %s: %s", status->package_key, error->message);
      return NULL;
    }

  *out_pack_path = g_strdup_printf ("v1/deltas/%.2s/%s.dpack", hex, hex);
  return g_steal_pointer (&deltas);
}

typedef struct
{
  CxInstaller *self;
  CxTreeBuilder *build;
  CxDeltaIndex *deltas;
  GHashTable *files; /* entry index → CxPlanFile */
  GCancellable *cancellable;
} DeltaJob;

static GBytes *
whole_file (guint index, gpointer user_data, GError **error)
{
  return g_bytes_ref (user_data);
}

/* A delta frame has arrived: rebuild the file against its base, verify it
 * and write it into the new version. */
static gboolean
on_delta_frame (guint index, const guint8 *data, gsize length, gpointer user_data, GError **error)
{
  DeltaJob *job = user_data;
  CxPlanFile *pf = g_hash_table_lookup (job->files, GUINT_TO_POINTER (index));
  const CxDeltaEntry *entry = cx_delta_index_get_entry (job->deltas, index);
  g_autoptr (GMappedFile) base = NULL;
  g_autoptr (GBytes) target = NULL;
  g_autoptr (GError) local_error = NULL;

  base = g_mapped_file_new (pf->link_source, FALSE, error);
  if (base == NULL)
    return FALSE;

  target = cx_delta_apply (entry, data, length, (const guint8 *) g_mapped_file_get_contents (base),
                           g_mapped_file_get_length (base), &local_error);
  if (target == NULL)
    {
      /* Bad bytes on the way are fetched again; a changed base is not. */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!cx_tree_builder_write_file (job->build, pf->file->path, pf->file->mode, pf->file->size,
                                   &pf->file->sha256, 1, whole_file, target, job->cancellable,
                                   error))
    return FALSE;

  pf->action = CX_PLAN_DONE;
  job->self->progress.bytes_done += length;
  _cx_installer_report (job->self);
  return TRUE;
}

gboolean
_cx_installer_fetch_deltas (CxInstaller *self,
                            CxFetcher *fetcher,
                            CxTreeBuilder *build,
                            CxInstallPlan *plan,
                            CxDeltaIndex *deltas,
                            const char *pack_path,
                            GCancellable *cancellable,
                            GError **error)
{
  guint n_entries = cx_delta_index_get_n_entries (deltas);
  g_autofree CxFetchFrame *frames = g_new (CxFetchFrame, MAX (n_entries, 1));
  g_autoptr (GArray) wanted = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GHashTable) files = g_hash_table_new (NULL, NULL);
  DeltaJob job = { self, build, deltas, files, cancellable };

  for (guint i = 0; i < n_entries; i++)
    {
      const CxDeltaEntry *entry = cx_delta_index_get_entry (deltas, i);

      frames[i].offset = entry->offset;
      frames[i].length = entry->compressed_size;
    }

  for (guint i = 0; i < plan->files->len; i++)
    {
      CxPlanFile *pf = g_ptr_array_index (plan->files, i);

      if (pf->action != CX_PLAN_DELTA)
        continue;
      g_array_append_val (wanted, pf->delta_entry);
      g_hash_table_insert (files, GUINT_TO_POINTER (pf->delta_entry), pf);
    }

  if (wanted->len == 0)
    return TRUE;

  self->progress.phase = CX_INSTALL_PHASE_DOWNLOADING;
  self->progress.bytes_done = 0;
  self->progress.bytes_total = plan->delta_bytes;
  _cx_installer_report (self);
  return cx_fetcher_get_frames (fetcher, pack_path, frames, n_entries, (const guint *) wanted->data,
                                wanted->len, on_delta_frame, &job, cancellable, error);
}
