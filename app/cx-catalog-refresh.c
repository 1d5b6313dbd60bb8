/* cx-catalog-refresh.c: signed index and current manifests into the store */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cx-catalog-refresh.h"
#include "cx-delta.h"
#include "cx-sync-error.h"

char *
_cx_hub_repository_url (const char *hub_url)
{
  return g_str_has_suffix (hub_url, "/") ? g_strconcat (hub_url, CX_HUB_REPOSITORY_PATH, NULL)
                                         : g_strconcat (hub_url, "/", CX_HUB_REPOSITORY_PATH, NULL);
}

/**
 * _cx_catalog_fetch_index:
 * @repository_id: (nullable): the id pinned for this hub, if any
 * @min_version: the highest index version accepted before
 *
 * Returns: (transfer full): the verified index
 */
CxRepoIndex *
_cx_catalog_fetch_index (CxFetcher *fetcher,
                         const char *public_key,
                         const char *repository_id,
                         gint64 min_version,
                         GBytes **out_bytes,
                         GCancellable *cancellable,
                         GError **error)
{
  g_autoptr (CxPublicKey) key = NULL;
  g_autoptr (GBytes) bytes = NULL;
  CxRepoIndex *index;

  key = cx_public_key_new_from_string (public_key, error);
  if (key == NULL)
    return NULL;

  bytes = cx_fetcher_get_file (fetcher, "v1/index", CX_REPO_INDEX_MAX_SIZE, -1, cancellable, error);
  if (bytes == NULL)
    return NULL;

  index = cx_repo_index_load (bytes, &key, 1, repository_id, MAX (min_version, 0),
                              g_get_real_time () / G_USEC_PER_SEC, error);
  if (index != NULL && out_bytes != NULL)
    *out_bytes = g_steal_pointer (&bytes);
  return index;
}

static char *
manifest_path (const char *hex)
{
  return g_strdup_printf ("v1/manifests/%.2s/%s.manifest", hex, hex);
}

/**
 * _cx_catalog_load_manifest:
 * @fetcher: (nullable): where to fetch it if the content store lacks it
 *
 * Returns: (transfer full): the manifest, verified against @manifest_hex
 */
CxManifest *
_cx_catalog_load_manifest (CxContentStore *content,
                           CxFetcher *fetcher,
                           const char *manifest_hex,
                           gint64 manifest_size,
                           GCancellable *cancellable,
                           GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (CxManifest) manifest = NULL;
  CxChunkId id;

  if (!cx_chunk_id_from_hex (manifest_hex, &id))
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED, _ ("“%s” is not a manifest id"),
                   manifest_hex);
      return NULL;
    }

  bytes = cx_content_store_load (content, CX_OBJECT_MANIFEST, &id, error);
  if (bytes != NULL)
    return cx_manifest_new_from_bytes (bytes, &id, error);
  if (error != NULL && *error != NULL)
    return NULL;

  if (fetcher == NULL)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND,
                           _ ("The package’s manifest is not on this computer; connect to "
                              "the hub first"));
      return NULL;
    }

  {
    g_autofree char *path = manifest_path (manifest_hex);

    bytes = cx_fetcher_get_file (fetcher, path, CX_MANIFEST_MAX_STORED_SIZE, manifest_size,
                                 cancellable, error);
  }
  if (bytes == NULL)
    return NULL;

  /* Checks the hash before decompressing anything. */
  manifest = cx_manifest_new_from_bytes (bytes, &id, error);
  if (manifest == NULL)
    return NULL;

  if (!cx_content_store_save (content, CX_OBJECT_MANIFEST, &id, bytes, error))
    return NULL;

  return g_steal_pointer (&manifest);
}

/* The delta from the installed version of @package to its current one, if
 * the index offers it and the content store lacks its delta index. */
static const CxRepoDelta *
wanted_delta (CxStore *store,
              CxContentStore *content,
              const CxHubState *hub,
              const CxRepoPackage *package,
              const CxRepoVersion *current)
{
  g_autoptr (CxPackageStatus) status = cx_store_lookup_package_status (store, package->id, NULL);

  if (status == NULL || status->hub_id != hub->id || status->installed_version <= 0 ||
      status->installed_version >= package->current)
    return NULL;
  for (guint i = 0; i < current->n_deltas; i++)
    if (current->deltas[i].from == (guint64) status->installed_version)
      return cx_content_store_has (content, CX_OBJECT_DELTA_INDEX, &current->deltas[i].index_id)
                 ? NULL
                 : &current->deltas[i];
  return NULL;
}

typedef struct
{
  CxObjectKind kind;
  CxChunkId id;
  char *path;
} Wanted;

static void
wanted_clear (gpointer data)
{
  g_free (((Wanted *) data)->path);
}

/* Checks the hash, before anything is decompressed, and the form. */
static gboolean
verify_object (const Wanted *w, GBytes *bytes, GError **error)
{
  g_autoptr (CxManifest) manifest = NULL;
  g_autoptr (CxDeltaIndex) deltas = NULL;

  if (w->kind == CX_OBJECT_MANIFEST)
    manifest = cx_manifest_new_from_bytes (bytes, &w->id, error);
  else
    deltas = cx_delta_index_new_from_bytes (bytes, &w->id, error);
  return manifest != NULL || deltas != NULL;
}

/* Fetches, in one batch so their round trips overlap, the manifests of
 * every current version this computer lacks and the delta indexes an
 * update of what is installed would use.  A manifest that fails is an
 * error; a delta index that fails only means the update fetches chunks. */
static gboolean
prefetch_metadata (CxStore *store,
                   CxContentStore *content,
                   CxFetcher *fetcher,
                   const CxHubState *hub,
                   GPtrArray *packages,
                   GCancellable *cancellable,
                   GError **error)
{
  g_autoptr (GArray) wanted = g_array_new (FALSE, TRUE, sizeof (Wanted));
  g_autoptr (GArray) requests = g_array_new (FALSE, TRUE, sizeof (CxFetchFileRequest));
  gboolean ok = TRUE;

  g_array_set_clear_func (wanted, wanted_clear);
  g_array_set_clear_func (requests, cx_fetch_file_request_clear);
  for (guint i = 0; i < packages->len; i++)
    {
      const CxRepoPackage *package = g_ptr_array_index (packages, i);
      const CxRepoVersion *current = cx_repo_package_lookup_version (package, package->current);
      const CxRepoDelta *delta = wanted_delta (store, content, hub, package, current);
      g_autofree char *hex = cx_chunk_id_to_hex (&current->manifest_id);

      if (!cx_content_store_has (content, CX_OBJECT_MANIFEST, &current->manifest_id))
        {
          Wanted w = { CX_OBJECT_MANIFEST, current->manifest_id, manifest_path (hex) };
          CxFetchFileRequest r = { w.path, CX_MANIFEST_MAX_STORED_SIZE, current->manifest_size };

          g_array_append_val (wanted, w);
          g_array_append_val (requests, r);
        }
      if (delta != NULL)
        {
          g_autofree char *delta_hex = cx_chunk_id_to_hex (&delta->index_id);
          Wanted w = { CX_OBJECT_DELTA_INDEX, delta->index_id,
                       g_strdup_printf ("v1/deltas/%.2s/%s.didx", delta_hex, delta_hex) };
          CxFetchFileRequest r = { w.path, CX_DELTA_INDEX_MAX_SIZE, (gssize) delta->index_size };

          g_array_append_val (wanted, w);
          g_array_append_val (requests, r);
        }
    }

  if (requests->len > 0 && !cx_fetcher_get_files (fetcher, (CxFetchFileRequest *) requests->data,
                                                  requests->len, cancellable, error))
    return FALSE;

  for (guint i = 0; i < requests->len; i++)
    {
      CxFetchFileRequest *r = &g_array_index (requests, CxFetchFileRequest, i);
      const Wanted *w = &g_array_index (wanted, Wanted, i);
      g_autoptr (GBytes) bytes = g_steal_pointer (&r->bytes);
      g_autoptr (GError) local_error = g_steal_pointer (&r->error);

      if (local_error == NULL && verify_object (w, bytes, &local_error))
        cx_content_store_save (content, w->kind, &w->id, bytes, &local_error);

      if (local_error == NULL)
        continue;
      if (w->kind == CX_OBJECT_DELTA_INDEX)
        g_debug ("No deltas from %s: %s", w->path, local_error->message);
      else if (ok)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
    }

  return ok;
}

static int
parse_grade (const char *grade)
{
  guint64 value = 0;

  if (grade == NULL || !g_ascii_string_to_unsigned (grade, 10, 0, 12, &value, NULL))
    return 0;
  return (int) value;
}

static gboolean
note_package (CxStore *store,
              gint64 hub_id,
              const CxRepoPackage *package,
              CxManifest *manifest,
              GError **error)
{
  CxPackage meta = {
    .hub_id = hub_id,
    .package_key = package->id,
    .title = (char *) cx_manifest_get_title (manifest),
    .subject = (char *) cx_manifest_get_subject (manifest),
    .grade = parse_grade (cx_manifest_get_grade (manifest)),
    .edition = (char *) cx_manifest_get_edition (manifest),
  };

  /* A package needs a title to be listed; fall back to its id. */
  if (meta.title == NULL || *meta.title == '\0')
    meta.title = package->id;

  for (guint i = 0; i < package->versions->len; i++)
    {
      const CxRepoVersion *v = &g_array_index (package->versions, CxRepoVersion, i);
      g_autofree char *hex = cx_chunk_id_to_hex (&v->manifest_id);

      if (cx_store_note_package_version (store, &meta, v->version, hex, v->manifest_size,
                                         v->install_size, v->version == package->current,
                                         error) == 0)
        return FALSE;
    }

  return TRUE;
}

/**
 * _cx_catalog_refresh_hub:
 *
 * Fetches and verifies @hub's index and its current manifests, then replaces
 * what the store knows @hub offers.  Nothing in the store changes unless
 * everything verified.
 */
gboolean
_cx_catalog_refresh_hub (CxStore *store,
                         CxContentStore *content,
                         CxFetcher *fetcher,
                         const CxHubState *hub,
                         GCancellable *cancellable,
                         GError **error)
{
  g_autoptr (CxRepoIndex) index = NULL;
  g_autoptr (GBytes) index_bytes = NULL;
  g_autoptr (GPtrArray) manifests = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *packages;
  gboolean ok = TRUE;

  index = _cx_catalog_fetch_index (fetcher, hub->public_key, hub->repository_id, hub->index_version,
                                   &index_bytes, cancellable, error);
  if (index == NULL)
    return FALSE;

  packages = cx_repo_index_get_packages (index);
  if (!prefetch_metadata (store, content, fetcher, hub, packages, cancellable, error))
    return FALSE;

  for (guint i = 0; i < packages->len; i++)
    {
      const CxRepoPackage *package = g_ptr_array_index (packages, i);
      const CxRepoVersion *current = cx_repo_package_lookup_version (package, package->current);
      g_autofree char *hex = cx_chunk_id_to_hex (&current->manifest_id);
      CxManifest *manifest;

      manifest = _cx_catalog_load_manifest (content, fetcher, hex, current->manifest_size,
                                            cancellable, error);
      if (manifest == NULL)
        return FALSE;
      g_ptr_array_add (manifests, manifest);

      if (g_strcmp0 (cx_manifest_get_package_id (manifest), package->id) != 0 ||
          cx_manifest_get_version (manifest) != package->current)
        {
          g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                       _ ("The manifest of %s does not match the repository index"), package->id);
          return FALSE;
        }
    }

  if (!cx_store_begin_catalog_update (store, hub->id, error))
    return FALSE;

  for (guint i = 0; ok && i < packages->len; i++)
    ok = note_package (store, hub->id, g_ptr_array_index (packages, i),
                       g_ptr_array_index (manifests, i), error);

  if (ok)
    ok = cx_store_record_index (store, hub->id, cx_repo_index_get_repository_id (index),
                                cx_repo_index_get_version (index), error);

  if (!ok)
    {
      cx_store_end_catalog_update (store, FALSE, NULL);
      return FALSE;
    }

  if (!cx_store_end_catalog_update (store, TRUE, error))
    return FALSE;

  /* Kept to know, at install time, which deltas the index offers. */
  return cx_content_store_save_index (content, hub->id, index_bytes, error);
}
