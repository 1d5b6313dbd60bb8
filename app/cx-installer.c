/* cx-installer.c: refresh, install, update and remove, resumably */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cx-catalog-refresh.h"
#include "cx-content-store.h"
#include "cx-delta.h"
#include "cx-install-plan.h"
#include "cx-installer-private.h"
#include "cx-pack.h"
#include "cx-resource-kind.h"
#include "cx-sync-error.h"

/* Space left free for everything else on the machine, on top of what an
 * install needs. */
#define DISK_RESERVE        (64 * 1024 * 1024)
#define MAX_PACK_INDEX_SIZE (16 + 48 * (gsize) CX_PACK_MAX_ENTRIES)

G_DEFINE_TYPE (CxInstaller, cx_installer, G_TYPE_OBJECT)

static void
cx_installer_finalize (GObject *object)
{
  CxInstaller *self = CX_INSTALLER (object);

  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  g_hash_table_unref (self->fetchers);
  g_clear_object (&self->content);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (cx_installer_parent_class)->finalize (object);
}

static void
cx_installer_class_init (CxInstallerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_installer_finalize;
}

static void
cx_installer_init (CxInstaller *self)
{
  self->fetchers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

/**
 * cx_installer_new:
 * @store: the device store; the installer uses it from the calling thread
 *
 * Returns: (transfer full): an installer working on @store's content
 */
CxInstaller *
cx_installer_new (CxStore *store, GError **error)
{
  g_autoptr (CxInstaller) self = g_object_new (CX_TYPE_INSTALLER, NULL);

  g_return_val_if_fail (CX_IS_STORE (store), NULL);

  self->store = g_object_ref (store);
  self->content = cx_content_store_new (cx_store_get_data_dir (store), error);
  if (self->content == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

void
cx_installer_set_rate_limit (CxInstaller *self, guint64 bytes_per_second)
{
  g_return_if_fail (CX_IS_INSTALLER (self));
  self->rate_limit = bytes_per_second;
}

void
cx_installer_set_retry_policy (CxInstaller *self,
                               guint max_attempts,
                               guint base_delay_ms,
                               guint max_delay_ms)
{
  g_return_if_fail (CX_IS_INSTALLER (self));
  self->max_attempts = max_attempts;
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = max_delay_ms;
}

void
cx_installer_set_low_speed (CxInstaller *self, guint bytes_per_second, guint seconds)
{
  g_return_if_fail (CX_IS_INSTALLER (self));
  self->low_speed_bytes = bytes_per_second;
  self->low_speed_seconds = seconds;
}

void
cx_installer_set_progress_func (CxInstaller *self,
                                CxInstallProgressFunc func,
                                gpointer user_data,
                                GDestroyNotify destroy)
{
  g_return_if_fail (CX_IS_INSTALLER (self));

  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  self->progress_func = func;
  self->progress_data = user_data;
  self->progress_destroy = destroy;
}

void
_cx_installer_report (CxInstaller *self)
{
  CxInstallProgress *p = &self->progress;

  p->rate = p->phase == CX_INSTALL_PHASE_DOWNLOADING ? self->wire_rate : 0;
  p->eta_seconds = -1;
  if (p->phase == CX_INSTALL_PHASE_DOWNLOADING && p->rate > 0 && p->bytes_total >= p->bytes_done)
    p->eta_seconds = (gint64) ((p->bytes_total - p->bytes_done) / p->rate);

  if (self->progress_func != NULL)
    self->progress_func (p, self->progress_data);
}

static void
on_fetch_progress (const CxFetchProgress *progress, gpointer user_data)
{
  CxInstaller *self = user_data;

  self->wire_rate = progress->rate;
  if (self->progress.phase == CX_INSTALL_PHASE_DOWNLOADING)
    _cx_installer_report (self);
}

static CxFetcher *
get_fetcher (CxInstaller *self, const CxHubState *hub, GError **error)
{
  CxFetcher *fetcher = g_hash_table_lookup (self->fetchers, &hub->id);
  g_autofree char *base = NULL;

  if (fetcher != NULL)
    return fetcher;

  base = _cx_hub_repository_url (hub->url);
  fetcher = cx_fetcher_new (base, error);
  if (fetcher == NULL)
    return NULL;

  if (self->rate_limit > 0)
    cx_fetcher_set_rate_limit (fetcher, self->rate_limit);
  if (self->max_attempts > 0)
    cx_fetcher_set_retry_policy (fetcher, self->max_attempts, self->base_delay_ms,
                                 self->max_delay_ms);
  if (self->low_speed_seconds > 0)
    cx_fetcher_set_low_speed (fetcher, self->low_speed_bytes, self->low_speed_seconds);
  cx_fetcher_set_progress_func (fetcher, on_fetch_progress, self, NULL);

  g_hash_table_insert (self->fetchers, g_memdup2 (&hub->id, sizeof hub->id), fetcher);
  return fetcher;
}

/* --- hubs and catalogue ------------------------------------------------ */

static char *
normalise_hub_url (const char *url, GError **error)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a hub address; it looks like http://HOST:PORT/"), url);
      return NULL;
    }

  return g_str_has_suffix (url, "/") ? g_strdup (url) : g_strconcat (url, "/", NULL);
}

static gboolean
refresh_one (CxInstaller *self, const CxHubState *hub, GCancellable *cancellable, GError **error)
{
  CxFetcher *fetcher = get_fetcher (self, hub, error);

  return fetcher != NULL &&
         _cx_catalog_refresh_hub (self->store, self->content, fetcher, hub, cancellable, error);
}

/**
 * cx_installer_add_hub:
 *
 * Adds a hub after checking that it serves an index signed by
 * @public_key; the repository it names is pinned.  Nothing is added if the
 * hub cannot be reached or its index does not verify.
 *
 * Returns: the hub's id, or 0 with @error set
 */
gint64
cx_installer_add_hub (CxInstaller *self,
                      const char *url,
                      const char *public_key,
                      GCancellable *cancellable,
                      GError **error)
{
  g_autofree char *hub_url = NULL;
  g_autofree char *base = NULL;
  g_autoptr (CxFetcher) fetcher = NULL;
  g_autoptr (CxRepoIndex) index = NULL;
  g_autoptr (CxPublicKey) key = NULL;
  g_autoptr (CxHubState) hub = NULL;
  g_autoptr (GError) local_error = NULL;
  gint64 id;

  g_return_val_if_fail (CX_IS_INSTALLER (self), 0);

  hub_url = normalise_hub_url (url, error);
  if (hub_url == NULL)
    return 0;

  key = cx_public_key_new_from_string (public_key, error);
  if (key == NULL)
    return 0;

  hub = cx_store_lookup_hub_by_url (self->store, hub_url, &local_error);
  if (hub != NULL)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_EXISTS,
                   _ ("The hub %s has already been added"), hub_url);
      return 0;
    }

  base = _cx_hub_repository_url (hub_url);
  fetcher = cx_fetcher_new (base, error);
  if (fetcher == NULL)
    return 0;

  index = _cx_catalog_fetch_index (fetcher, public_key, NULL, 0, NULL, cancellable, error);
  if (index == NULL)
    return 0;

  id = cx_store_add_hub (self->store, hub_url, public_key, error);
  if (id == 0)
    return 0;

  /* The hub stays added even if this fails; a later refresh catches up. */
  hub = cx_store_lookup_hub (self->store, id, error);
  if (hub == NULL || !refresh_one (self, hub, cancellable, error))
    return 0;

  return id;
}

/**
 * cx_installer_refresh:
 *
 * Fetches every hub's index and current manifests.  A hub that fails does
 * not stop the others; the first failure is reported.
 */
gboolean
cx_installer_refresh (CxInstaller *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) hubs = NULL;
  g_autoptr (GError) first_error = NULL;

  g_return_val_if_fail (CX_IS_INSTALLER (self), FALSE);

  hubs = cx_store_list_hub_states (self->store, error);
  if (hubs == NULL)
    return FALSE;

  for (guint i = 0; i < hubs->len; i++)
    {
      const CxHubState *hub = g_ptr_array_index (hubs, i);
      g_autoptr (GError) hub_error = NULL;
      CxFetcher *fetcher = get_fetcher (self, hub, &hub_error);

      if (fetcher == NULL || !_cx_catalog_refresh_hub (self->store, self->content, fetcher, hub,
                                                       cancellable, &hub_error))
        {
          if (g_error_matches (hub_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&hub_error));
              return FALSE;
            }
          if (first_error == NULL)
            first_error = g_steal_pointer (&hub_error);
        }
    }

  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }

  return TRUE;
}

/* --- installing ----------------------------------------------------------- */

typedef struct
{
  CxInstaller *self;
  guint chunks;
} FetchState;

static char *
pack_index_path (const char *hex)
{
  return g_strdup_printf ("v1/packs/%.2s/%s.idx", hex, hex);
}

static CxPackIndex *
load_pack_index (CxInstaller *self,
                 CxFetcher *fetcher,
                 const CxChunkId *id,
                 GCancellable *cancellable,
                 GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (CxPackIndex) index = NULL;
  CxChunkId actual;
  gboolean cached;

  bytes = cx_content_store_load (self->content, CX_OBJECT_PACK_INDEX, id, error);
  cached = bytes != NULL;
  if (bytes == NULL)
    {
      g_autofree char *hex = cx_chunk_id_to_hex (id);
      g_autofree char *path = pack_index_path (hex);

      if (error != NULL && *error != NULL)
        return NULL;
      bytes = cx_fetcher_get_file (fetcher, path, MAX_PACK_INDEX_SIZE, -1, cancellable, error);
      if (bytes == NULL)
        return NULL;
    }

  index = cx_pack_index_new_from_bytes (bytes, error);
  if (index == NULL)
    return NULL;

  cx_pack_index_get_id (index, &actual);
  if (!cx_chunk_id_equal (&actual, id))
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH,
                           _ ("A pack index from the hub does not match its id"));
      return NULL;
    }

  if (!cached && !cx_content_store_save (self->content, CX_OBJECT_PACK_INDEX, id, bytes, error))
    return NULL;

  return g_steal_pointer (&index);
}

static gboolean
on_chunk (const CxPackEntry *entry, GBytes *chunk, gpointer user_data, GError **error)
{
  FetchState *state = user_data;
  CxInstaller *self = state->self;

  /* Verified by the fetcher; durable before it counts as arrived. */
  if (!cx_content_store_save (self->content, CX_OBJECT_CHUNK, &entry->id, chunk, error))
    return FALSE;

  state->chunks++;
  self->progress.bytes_done += entry->compressed_size;
  _cx_installer_report (self);
  return TRUE;
}

static gboolean
fetch_missing (CxInstaller *self,
               CxFetcher *fetcher,
               CxInstallPlan *plan,
               CxInstallResult *result,
               GCancellable *cancellable,
               GError **error)
{
  GArray *packs = cx_manifest_get_packs (plan->manifest);
  g_autoptr (GPtrArray) indexes =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cx_pack_index_unref);
  g_autoptr (GPtrArray) wanted = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr (GHashTable) left = g_hash_table_new (cx_chunk_id_hash, cx_chunk_id_equal);
  FetchState state = { self, 0 };
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, plan->fetch);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (left, key);

  self->progress.phase = CX_INSTALL_PHASE_DOWNLOADING;
  self->progress.bytes_done = 0;
  self->progress.bytes_total = 0;

  /* Each missing chunk is taken from the first pack that holds it. */
  for (guint p = 0; p < packs->len && g_hash_table_size (left) > 0; p++)
    {
      CxPackIndex *index =
          load_pack_index (self, fetcher, &g_array_index (packs, CxChunkId, p), cancellable, error);
      GArray *ids = g_array_new (FALSE, FALSE, sizeof (CxChunkId));

      if (index == NULL)
        {
          g_array_unref (ids);
          return FALSE;
        }
      g_ptr_array_add (indexes, index);
      g_ptr_array_add (wanted, ids);

      g_hash_table_iter_init (&iter, left);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          const CxPackEntry *entry = cx_pack_index_lookup (index, key, NULL);

          if (entry == NULL)
            continue;
          g_array_append_val (ids, entry->id);
          self->progress.bytes_total += entry->compressed_size;
          g_hash_table_iter_remove (&iter);
        }
    }

  if (g_hash_table_size (left) > 0)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED,
                   _ ("The hub’s repository lacks %u pieces of this package; ask the hub’s "
                      "administrator to publish it again"),
                   g_hash_table_size (left));
      return FALSE;
    }

  _cx_installer_report (self);
  for (guint p = 0; p < indexes->len; p++)
    {
      GArray *ids = g_ptr_array_index (wanted, p);
      CxChunkId pack_id;
      g_autofree char *hex = NULL;
      g_autofree char *path = NULL;

      if (ids->len == 0)
        continue;

      cx_pack_index_get_id (g_ptr_array_index (indexes, p), &pack_id);
      hex = cx_chunk_id_to_hex (&pack_id);
      path = g_strdup_printf ("v1/packs/%.2s/%s.pack", hex, hex);
      if (!cx_fetcher_get_chunks (fetcher, path, g_ptr_array_index (indexes, p),
                                  (const CxChunkId *) ids->data, ids->len, on_chunk, &state,
                                  cancellable, error))
        return FALSE;
    }

  result->chunks_fetched = state.chunks;
  return TRUE;
}

typedef struct
{
  CxInstaller *self;
  const CxManifestFile *file;
} ChunkSource;

static GBytes *
read_installed_chunk (CxInstaller *self, const CxChunkRef *ref, GError **error)
{
  g_autofree char *tree = NULL;
  g_autofree char *path = NULL;
  g_autofree char *tree_path = NULL;
  g_autofree char *file_path = NULL;
  g_autofree guint8 *buffer = NULL;
  gint64 offset;
  CxChunkId actual;
  ssize_t n;
  int fd;

  if (!cx_store_find_chunk (self->store, ref->id.bytes, &tree, &path, &offset, error))
    return NULL;

  tree_path = cx_content_store_tree_path (self->content, tree);
  file_path = g_build_filename (tree_path, path, NULL);
  fd = open (file_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return NULL;

  buffer = g_malloc (ref->size);
  n = pread (fd, buffer, ref->size, offset);
  close (fd);
  if (n != (ssize_t) ref->size)
    return NULL;

  cx_chunk_id_compute (buffer, ref->size, &actual);
  if (!cx_chunk_id_equal (&actual, &ref->id))
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&buffer), ref->size);
}

static GBytes *
next_chunk (guint index, gpointer user_data, GError **error)
{
  ChunkSource *source = user_data;
  CxInstaller *self = source->self;
  const CxChunkRef *ref = &g_array_index (source->file->chunks, CxChunkRef, index);
  GBytes *chunk;

  chunk = cx_content_store_load (self->content, CX_OBJECT_CHUNK, &ref->id, error);
  if (chunk == NULL && (error == NULL || *error == NULL))
    chunk = read_installed_chunk (self, ref, error);
  if (chunk == NULL && (error == NULL || *error == NULL))
    g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND,
                 _ ("Part of “%s” is missing or damaged on this computer; run the install "
                    "again to fetch it"),
                 source->file->path);

  if (chunk != NULL)
    {
      self->progress.bytes_done += g_bytes_get_size (chunk);
      _cx_installer_report (self);
    }
  return chunk;
}

static gboolean
build_files (CxInstaller *self,
             CxTreeBuilder *build,
             CxInstallPlan *plan,
             GCancellable *cancellable,
             GError **error)
{
  self->progress.phase = CX_INSTALL_PHASE_BUILDING;
  self->progress.bytes_done = 0;
  self->progress.bytes_total = plan->write_bytes;
  _cx_installer_report (self);

  for (guint i = 0; i < plan->files->len; i++)
    {
      CxPlanFile *pf = g_ptr_array_index (plan->files, i);
      const CxManifestFile *file = pf->file;
      ChunkSource source = { self, file };

      if (pf->action == CX_PLAN_DONE)
        continue;

      if (pf->action == CX_PLAN_LINK)
        {
          g_autoptr (GError) link_error = NULL;

          if (cx_tree_builder_link_file (build, file->path, pf->link_source, file->size,
                                         &file->sha256, &link_error))
            continue;
          if (g_error_matches (link_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
            {
              g_propagate_error (error, g_steal_pointer (&link_error));
              return FALSE;
            }
          /* A damaged or vanished source: build the file from chunks. */
          g_debug ("Not linking %s: %s", file->path, link_error->message);
        }

      if (!cx_tree_builder_write_file (build, file->path, file->mode, file->size, &file->sha256,
                                       file->chunks->len, next_chunk, &source, cancellable, error))
        return FALSE;
    }

  return TRUE;
}

static GPtrArray *
make_resources (CxInstallPlan *plan, gint64 version_id, const CxPackageStatus *status)
{
  GPtrArray *resources = g_ptr_array_new_with_free_func ((GDestroyNotify) cx_resource_free);

  for (guint i = 0; i < plan->files->len; i++)
    {
      CxPlanFile *pf = g_ptr_array_index (plan->files, i);
      CxResource *r = g_new0 (CxResource, 1);
      g_autofree char *base = g_path_get_basename (pf->file->path);
      const char *dot = strrchr (base, '.');

      r->version_id = version_id;
      r->title = dot != NULL && dot != base ? g_strndup (base, dot - base) : g_strdup (base);
      r->subject = g_strdup (status->subject);
      r->grade = status->grade;
      r->edition = g_strdup (status->edition);
      r->unit = g_strdup (pf->unit);
      r->lesson = g_strdup (pf->lesson);
      r->kind = g_strdup (cx_resource_kind_for_path (pf->file->path));
      r->size = pf->file->size;
      r->hash = cx_chunk_id_to_hex (&pf->file->sha256);
      r->path = g_strdup (pf->file->path);
      g_ptr_array_add (resources, r);
    }

  return resources;
}

static GArray *
make_locations (CxInstallPlan *plan)
{
  GArray *locations = g_array_new (FALSE, FALSE, sizeof (CxChunkLocation));

  for (guint i = 0; i < plan->files->len; i++)
    {
      const CxManifestFile *file = ((CxPlanFile *) g_ptr_array_index (plan->files, i))->file;
      gint64 offset = 0;

      for (guint c = 0; c < file->chunks->len; c++)
        {
          const CxChunkRef *ref = &g_array_index (file->chunks, CxChunkRef, c);
          CxChunkLocation location = { .path = file->path, .offset = offset, .size = ref->size };

          memcpy (location.chunk_id, ref->id.bytes, sizeof location.chunk_id);
          g_array_append_val (locations, location);
          offset += ref->size;
        }
    }

  return locations;
}

static gboolean
check_space (CxInstaller *self, CxInstallPlan *plan, const char *title, GError **error)
{
  guint64 free_space, needed = plan->write_bytes + plan->fetch_bytes;

  if (!cx_content_store_query_free_space (self->content, &free_space, error))
    return FALSE;

  if (free_space < needed + DISK_RESERVE)
    {
      g_autofree char *need_text = g_format_size (needed);
      g_autofree char *free_text = g_format_size (free_space);
      g_autofree char *reserve_text = g_format_size (DISK_RESERVE);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _ ("Installing “%s” needs %s of disk space, plus %s kept free, but only %s is "
                      "free; nothing was changed"),
                   title, need_text, reserve_text, free_text);
      return FALSE;
    }

  return TRUE;
}

/* A full disk stops the install but keeps what arrived. */
static void
explain_no_space (GError **error)
{
  if (error == NULL || *error == NULL)
    return;

  if (g_error_matches (*error, G_FILE_ERROR, G_FILE_ERROR_NOSPC) ||
      g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    {
      g_autofree char *detail = g_strdup ((*error)->message);

      g_clear_error (error);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _ ("The disk is full (%s). The install is paused: what arrived is kept, "
                      "and it continues from there once space is freed"),
                   detail);
    }
}

static char **
choose_units (const CxPackageStatus *status, CxManifest *manifest, const char *const *units)
{
  g_autoptr (GStrvBuilder) builder = NULL;
  GPtrArray *all_units = cx_manifest_get_units (manifest);
  gboolean installed = status->installed_version > 0;

  /* Whole stays whole; no units asked for means what is there now. */
  if (installed && status->installed_whole)
    return NULL;
  if (units == NULL && !installed)
    return NULL;

  builder = g_strv_builder_new ();
  for (guint u = 0; u < all_units->len; u++)
    {
      const char *id = ((CxManifestUnit *) g_ptr_array_index (all_units, u))->id;

      if ((units != NULL && g_strv_contains (units, id)) ||
          (installed && g_strv_contains ((const char *const *) status->installed_units, id)))
        g_strv_builder_add (builder, id);
    }

  return g_strv_builder_end (builder);
}

static gboolean
check_units_exist (CxManifest *manifest, const char *const *units, GError **error)
{
  GPtrArray *all_units = cx_manifest_get_units (manifest);

  for (guint i = 0; units != NULL && units[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint u = 0; u < all_units->len && !found; u++)
        found = g_str_equal (((CxManifestUnit *) g_ptr_array_index (all_units, u))->id, units[i]);
      if (!found)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _ ("The package has no unit “%s”"),
                       units[i]);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
already_installed (const CxPackageStatus *status, const char *const *units)
{
  if (status->installed_version != status->current_version)
    return FALSE;
  if (status->installed_whole)
    return TRUE;
  if (units == NULL)
    return TRUE;
  for (guint i = 0; units[i] != NULL; i++)
    if (!g_strv_contains ((const char *const *) status->installed_units, units[i]))
      return FALSE;
  return TRUE;
}

/* Staged chunks only matter to unfinished builds; with none left, they go. */
static void
tidy_up (CxInstaller *self)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) live = cx_store_list_trees (self->store, &error);

  if (live == NULL ||
      !cx_content_store_collect_trees (self->content, (const char *const *) live, &error))
    {
      g_debug ("Could not collect unused trees: %s", error->message);
      return;
    }

  cx_content_store_clear_staging_if_idle (self->content);
}

static gboolean
finish_install (CxInstaller *self,
                CxTreeBuilder *build,
                const char *build_path,
                CxInstallPlan *plan,
                const CxPackageStatus *status,
                gint64 version_id,
                GError **error)
{
  g_autofree char *tree = NULL;
  g_autofree char *tree_path = NULL;
  g_autoptr (GPtrArray) resources = NULL;
  g_autoptr (GArray) locations = NULL;

  if (!cx_tree_builder_sync (build, error))
    return FALSE;

  tree =
      cx_content_store_new_tree_name (self->content, status->package_key, status->current_version);
  tree_path = cx_content_store_tree_path (self->content, tree);
  if (g_rename (build_path, tree_path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _ ("Could not move the new version into place: %s"), g_strerror (saved));
      return FALSE;
    }
  if (!cx_content_store_sync_trees (self->content, error))
    return FALSE;

  resources = make_resources (plan, version_id, status);
  locations = make_locations (plan);
  /* If this fails, the new tree is unreferenced and collected later; the
   * staged chunks are still there, so a retry needs no network. */
  return cx_store_commit_install (self->store, status->id, version_id, tree, plan->units == NULL,
                                  (const char *const *) plan->units, resources,
                                  (const CxChunkLocation *) locations->data, locations->len, error);
}

static gboolean
install_version (CxInstaller *self,
                 const CxPackageStatus *status,
                 CxManifest *manifest,
                 char **units,
                 gint64 version_id,
                 CxFetcher *fetcher,
                 CxInstallResult *result,
                 GCancellable *cancellable,
                 GError **error)
{
  g_autofree char *build_name = NULL;
  g_autofree char *build_path = NULL;
  g_autoptr (CxTreeBuilder) build = NULL;
  g_autoptr (CxInstallPlan) plan = NULL;
  g_autoptr (CxDeltaIndex) deltas = NULL;
  g_autofree char *delta_pack = NULL;
  g_autofree char *base_tree = NULL;

  build_name = cx_content_store_build_name (self->content, status->hub_id, status->package_key,
                                            status->current_version);
  cx_content_store_remove_other_builds (self->content, status->hub_id, status->package_key,
                                        build_name);
  build_path = cx_content_store_tree_path (self->content, build_name);
  build = cx_tree_builder_open (build_path, error);
  if (build == NULL)
    return FALSE;

  self->progress.phase = CX_INSTALL_PHASE_PLANNING;
  _cx_installer_report (self);
  deltas = _cx_installer_load_deltas (self, fetcher, status, &delta_pack, cancellable);
  if (deltas != NULL)
    base_tree = cx_content_store_tree_path (self->content, status->installed_tree);
  plan = _cx_install_plan_new (self->store, self->content, manifest, (const char *const *) units,
                               build, deltas, base_tree, error);
  if (plan == NULL)
    return FALSE;

  result->files = plan->files->len;
  result->files_linked = plan->n_linked;
  result->chunks_local = plan->n_chunks_local;
  result->files_from_deltas = plan->n_delta;

  if (!check_space (self, plan, status->title, error))
    return FALSE;

  if ((deltas != NULL && !_cx_installer_fetch_deltas (self, fetcher, build, plan, deltas,
                                                      delta_pack, cancellable, error)) ||
      (g_hash_table_size (plan->fetch) > 0 &&
       !fetch_missing (self, fetcher, plan, result, cancellable, error)) ||
      !build_files (self, build, plan, cancellable, error) ||
      !finish_install (self, build, build_path, plan, status, version_id, error))
    {
      explain_no_space (error);
      return FALSE;
    }

  return TRUE;
}

/**
 * cx_installer_install:
 * @package_key: the package's id at its hub
 * @units: (nullable): unit ids to add; %NULL installs the whole package, or
 *   updates the units already installed
 *
 * Installs the current version of a package, or updates it to the current
 * version.  The installed version stays visible and usable until the new
 * one is complete and verified.
 */
gboolean
cx_installer_install (CxInstaller *self,
                      const char *package_key,
                      const char *const *units,
                      CxInstallResult *out_result,
                      GCancellable *cancellable,
                      GError **error)
{
  g_autoptr (CxPackageStatus) status = NULL;
  g_autoptr (CxHubState) hub = NULL;
  g_autoptr (CxManifest) manifest = NULL;
  g_autofree char *manifest_id = NULL;
  g_auto (GStrv) chosen = NULL;
  CxInstallResult result = { 0 };
  CxFetcher *fetcher;
  gint64 manifest_size, version_id;
  guint64 received_before;
  CxFetchProgress fetch;
  gboolean ok;

  g_return_val_if_fail (CX_IS_INSTALLER (self), FALSE);
  g_return_val_if_fail (package_key != NULL, FALSE);

  memset (&self->progress, 0, sizeof self->progress);
  self->progress.package_key = package_key;

  status = cx_store_lookup_package_status (self->store, package_key, error);
  if (status == NULL)
    return FALSE;
  if (status->current_version == 0)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                   _ ("The hub no longer offers “%s”"), package_key);
      return FALSE;
    }

  result.version = status->current_version;
  if (already_installed (status, units))
    {
      result.already_installed = TRUE;
      if (out_result != NULL)
        *out_result = result;
      return TRUE;
    }

  hub = cx_store_lookup_hub (self->store, status->hub_id, error);
  fetcher = hub != NULL ? get_fetcher (self, hub, error) : NULL;
  if (fetcher == NULL)
    return FALSE;
  cx_fetcher_get_progress (fetcher, &fetch);
  received_before = fetch.bytes_received;
  result.requests = fetch.requests;

  version_id = cx_store_lookup_package_version (self->store, status->id, status->current_version,
                                                &manifest_id, &manifest_size, error);
  if (version_id == 0)
    return FALSE;

  manifest = _cx_catalog_load_manifest (self->content, fetcher, manifest_id, manifest_size,
                                        cancellable, error);
  if (manifest == NULL || !check_units_exist (manifest, units, error))
    return FALSE;

  chosen = choose_units (status, manifest, units);
  ok = install_version (self, status, manifest, chosen, version_id, fetcher, &result, cancellable,
                        error);

  cx_fetcher_get_progress (fetcher, &fetch);
  result.bytes_received = fetch.bytes_received - received_before;
  result.requests = fetch.requests - result.requests;

  if (!ok)
    return FALSE;

  /* The old tree is unreferenced now; a failure here only leaves garbage
   * that the next install collects. */
  if (status->installed_tree != NULL)
    cx_content_store_remove_tree (self->content, status->installed_tree, NULL);
  tidy_up (self);

  self->progress.phase = CX_INSTALL_PHASE_DONE;
  _cx_installer_report (self);
  if (out_result != NULL)
    *out_result = result;
  return TRUE;
}

/**
 * cx_installer_remove:
 *
 * Removes the installed version of a package and frees the disk space its
 * files (and any unfinished install of it) took.
 */
gboolean
cx_installer_remove (CxInstaller *self, const char *package_key, GError **error)
{
  g_autoptr (CxPackageStatus) status = NULL;

  g_return_val_if_fail (CX_IS_INSTALLER (self), FALSE);

  status = cx_store_lookup_package_status (self->store, package_key, error);
  if (status == NULL)
    return FALSE;

  if (status->installed_version == 0)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND, _ ("“%s” is not installed"),
                   package_key);
      return FALSE;
    }

  if (!cx_store_remove_install (self->store, status->id, error))
    return FALSE;

  cx_content_store_remove_other_builds (self->content, status->hub_id, status->package_key, NULL);
  if (!cx_content_store_remove_tree (self->content, status->installed_tree, error))
    return FALSE;
  tidy_up (self);
  return TRUE;
}
