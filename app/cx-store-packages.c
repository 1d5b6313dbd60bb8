/* cx-store-packages.c: hub index state, offered versions, installs and chunk locations */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cx-store-packages.h"
#include "cx-store-private.h"

void
cx_hub_state_free (CxHubState *hub)
{
  if (hub == NULL)
    return;

  g_free (hub->url);
  g_free (hub->public_key);
  g_free (hub->repository_id);
  g_free (hub);
}

void
cx_package_status_free (CxPackageStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->package_key);
  g_free (status->title);
  g_free (status->subject);
  g_free (status->edition);
  g_free (status->current_manifest_id);
  g_free (status->installed_tree);
  g_strfreev (status->installed_units);
  g_free (status);
}

#define HUB_COLUMNS "id, url, public_key, repository_id, index_version, index_fetched_at"

static CxHubState *
hub_from_row (sqlite3_stmt *stmt)
{
  CxHubState *hub = g_new0 (CxHubState, 1);

  hub->id = sqlite3_column_int64 (stmt, 0);
  hub->url = _cx_store_column_dup (stmt, 1);
  hub->public_key = _cx_store_column_dup (stmt, 2);
  hub->repository_id = _cx_store_column_dup (stmt, 3);
  hub->index_version = sqlite3_column_int64 (stmt, 4);
  hub->index_fetched_at = sqlite3_column_int64 (stmt, 5);
  return hub;
}

static CxHubState *
lookup_hub (CxStore *self, const char *where, gint64 id, const char *url, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT " HUB_COLUMNS " FROM hubs WHERE %s", where);
  g_autoptr (sqlite3_stmt) stmt = _cx_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  if (url != NULL)
    sqlite3_bind_text (stmt, 1, url, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return hub_from_row (stmt);
  if (rc != SQLITE_DONE)
    _cx_store_set_error (self, error, _ ("Could not read the hubs"));
  else if (url != NULL)
    g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                 _ ("No hub with the address %s has been added"), url);
  else
    g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND, _ ("There is no hub %lld"),
                 (long long) id);
  return NULL;
}

CxHubState *
cx_store_lookup_hub (CxStore *self, gint64 hub_id, GError **error)
{
  g_return_val_if_fail (CX_IS_STORE (self), NULL);
  return lookup_hub (self, "id = ?1", hub_id, NULL, error);
}

CxHubState *
cx_store_lookup_hub_by_url (CxStore *self, const char *url, GError **error)
{
  g_return_val_if_fail (CX_IS_STORE (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);
  return lookup_hub (self, "url = ?1", 0, url, error);
}

/**
 * cx_store_list_hub_states:
 *
 * Returns: (transfer full) (element-type CxHubState): every hub, oldest first
 */
GPtrArray *
cx_store_list_hub_states (CxStore *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self, "SELECT " HUB_COLUMNS " FROM hubs ORDER BY id", error);
  if (stmt == NULL)
    return NULL;

  return _cx_store_collect_rows (self, stmt, (CxStoreRowFunc) hub_from_row,
                                 (GDestroyNotify) cx_hub_state_free, _ ("Could not read the hubs"),
                                 error);
}

/**
 * cx_store_record_index:
 *
 * Remembers that an index of @index_version from @repository_id was
 * accepted.  The repository id is pinned the first time; the version only
 * ever rises, so a later rollback is caught even after a restart.
 */
gboolean
cx_store_record_index (
    CxStore *self, gint64 hub_id, const char *repository_id, gint64 index_version, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);
  g_return_val_if_fail (repository_id != NULL, FALSE);

  stmt = _cx_store_prepare (self,
                            "UPDATE hubs SET repository_id = coalesce (repository_id, ?2),"
                            "  index_version = max (index_version, ?3), index_fetched_at = ?4"
                            " WHERE id = ?1 AND coalesce (repository_id, ?2) = ?2",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, hub_id);
  sqlite3_bind_text (stmt, 2, repository_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, index_version);
  sqlite3_bind_int64 (stmt, 4, _cx_store_now ());
  if (!_cx_store_step_done (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (_cx_store_get_db (self)) == 0)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("The hub now serves a different repository (“%s”)"), repository_id);
      return FALSE;
    }

  return TRUE;
}

/**
 * cx_store_begin_catalog_update:
 *
 * Starts replacing what @hub_id offers.  Packages the new index no longer
 * lists keep their installed version but lose their current one.  Finish
 * with cx_store_end_catalog_update().
 */
gboolean
cx_store_begin_catalog_update (CxStore *self, gint64 hub_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  if (!_cx_store_begin (self, error))
    return FALSE;

  stmt =
      _cx_store_prepare (self, "UPDATE packages SET current_version = 0 WHERE hub_id = ?1", error);
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, hub_id);
  if (stmt == NULL || !_cx_store_step_done (self, stmt, error))
    {
      _cx_store_rollback (self);
      return FALSE;
    }

  return TRUE;
}

gboolean
cx_store_end_catalog_update (CxStore *self, gboolean commit, GError **error)
{
  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  if (!commit)
    {
      _cx_store_rollback (self);
      return TRUE;
    }

  return _cx_store_commit (self, error);
}

/**
 * cx_store_note_package_version:
 *
 * Records that the hub offers @version of @package (whose metadata is
 * updated), and whether it is the current one.
 *
 * Returns: the version's id, or 0 with @error set
 */
gint64
cx_store_note_package_version (CxStore *self,
                               const CxPackage *package,
                               gint64 version,
                               const char *manifest_id,
                               gint64 manifest_size,
                               gint64 install_size,
                               gboolean current,
                               GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 package_id;

  g_return_val_if_fail (CX_IS_STORE (self), 0);
  g_return_val_if_fail (package != NULL && manifest_id != NULL, 0);

  package_id = cx_store_save_package (self, package, error);
  if (package_id == 0)
    return 0;

  if (current)
    {
      g_autoptr (sqlite3_stmt) update =
          _cx_store_prepare (self, "UPDATE packages SET current_version = ?2 WHERE id = ?1", error);

      if (update == NULL)
        return 0;
      sqlite3_bind_int64 (update, 1, package_id);
      sqlite3_bind_int64 (update, 2, version);
      if (!_cx_store_step_done (self, update, error))
        return 0;
    }

  /* A version already on disk keeps the manifest it was installed from. */
  stmt = _cx_store_prepare (self,
                            "INSERT INTO package_versions (package_id, version, manifest_id,"
                            "                              manifest_size, size)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)"
                            " ON CONFLICT (package_id, version) DO UPDATE SET"
                            "   manifest_id = excluded.manifest_id,"
                            "   manifest_size = excluded.manifest_size, size = excluded.size"
                            "   WHERE tree IS NULL"
                            " RETURNING id",
                            error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, package_id);
  sqlite3_bind_int64 (stmt, 2, version);
  sqlite3_bind_text (stmt, 3, manifest_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, manifest_size);
  sqlite3_bind_int64 (stmt, 5, install_size);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return sqlite3_column_int64 (stmt, 0);
    case SQLITE_DONE:
      /* The installed row was left alone; find its id. */
      return cx_store_lookup_package_version (self, package_id, version, NULL, NULL, error);
    default:
      _cx_store_set_error (self, error, _ ("Could not add the package version"));
      return 0;
    }
}

gint64
cx_store_lookup_package_version (CxStore *self,
                                 gint64 package_id,
                                 gint64 version,
                                 char **out_manifest_id,
                                 gint64 *out_manifest_size,
                                 GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), 0);

  stmt = _cx_store_prepare (self,
                            "SELECT id, manifest_id, manifest_size FROM package_versions"
                            " WHERE package_id = ?1 AND version = ?2",
                            error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, package_id);
  sqlite3_bind_int64 (stmt, 2, version);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (out_manifest_id != NULL)
        *out_manifest_id = _cx_store_column_dup (stmt, 1);
      if (out_manifest_size != NULL)
        *out_manifest_size = sqlite3_column_int64 (stmt, 2);
      return sqlite3_column_int64 (stmt, 0);
    }

  if (rc == SQLITE_DONE)
    g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                 _ ("The hub does not offer version %lld of this package"), (long long) version);
  else
    _cx_store_set_error (self, error, _ ("Could not read the packages"));
  return 0;
}

/* One row per package: its current version as the index says, and the one
 * on disk (at most one version of a package has a tree). */
#define STATUS_QUERY                                                                       \
  "SELECT p.id, p.hub_id, p.package_key, p.title, p.subject, p.grade, p.edition,"          \
  "  p.current_version, c.manifest_id, c.manifest_size, c.size,"                           \
  "  i.version, i.id, i.tree, i.whole,"                                                    \
  "  (SELECT group_concat (unit, char (10)) FROM installed_units WHERE version_id = i.id)" \
  " FROM packages p"                                                                       \
  " LEFT JOIN package_versions c ON c.package_id = p.id AND c.version = p.current_version" \
  " LEFT JOIN package_versions i ON i.package_id = p.id AND i.tree IS NOT NULL"

static CxPackageStatus *
status_from_row (sqlite3_stmt *stmt)
{
  CxPackageStatus *status = g_new0 (CxPackageStatus, 1);
  const char *units = (const char *) sqlite3_column_text (stmt, 15);

  status->id = sqlite3_column_int64 (stmt, 0);
  status->hub_id = sqlite3_column_int64 (stmt, 1);
  status->package_key = _cx_store_column_dup (stmt, 2);
  status->title = _cx_store_column_dup (stmt, 3);
  status->subject = _cx_store_column_dup (stmt, 4);
  status->grade = sqlite3_column_int (stmt, 5);
  status->edition = _cx_store_column_dup (stmt, 6);
  status->current_manifest_id = _cx_store_column_dup (stmt, 8);
  if (status->current_manifest_id != NULL)
    status->current_version = sqlite3_column_int64 (stmt, 7);
  status->current_manifest_size = sqlite3_column_int64 (stmt, 9);
  status->current_size = sqlite3_column_int64 (stmt, 10);
  status->installed_version = sqlite3_column_int64 (stmt, 11);
  status->installed_version_id = sqlite3_column_int64 (stmt, 12);
  status->installed_tree = _cx_store_column_dup (stmt, 13);
  status->installed_whole = sqlite3_column_int (stmt, 14) != 0;
  status->installed_units = units != NULL ? g_strsplit (units, "\n", -1) : g_new0 (char *, 1);
  return status;
}

/**
 * cx_store_list_package_status:
 *
 * Returns: (transfer full) (element-type CxPackageStatus): every package any
 *   hub offers or that is installed, by package key
 */
GPtrArray *
cx_store_list_package_status (CxStore *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self, STATUS_QUERY " ORDER BY p.package_key, p.hub_id", error);
  if (stmt == NULL)
    return NULL;

  return _cx_store_collect_rows (self, stmt, (CxStoreRowFunc) status_from_row,
                                 (GDestroyNotify) cx_package_status_free,
                                 _ ("Could not read the packages"), error);
}

CxPackageStatus *
cx_store_lookup_package_status (CxStore *self, const char *package_key, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);
  g_return_val_if_fail (package_key != NULL, NULL);

  stmt =
      _cx_store_prepare (self, STATUS_QUERY " WHERE p.package_key = ?1 ORDER BY p.hub_id", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, package_key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return status_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                 _ ("No hub offers a package called “%s”"), package_key);
  else
    _cx_store_set_error (self, error, _ ("Could not read the packages"));
  return NULL;
}

/* For a query of tree, path and maybe offset in an installed version:
 * %TRUE with the first row's, or %FALSE (and @error unset) if none. */
static gboolean
step_installed (CxStore *self,
                sqlite3_stmt *stmt,
                char **out_tree,
                char **out_path,
                gint64 *out_offset,
                GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      *out_tree = _cx_store_column_dup (stmt, 0);
      *out_path = _cx_store_column_dup (stmt, 1);
      if (out_offset != NULL)
        *out_offset = sqlite3_column_int64 (stmt, 2);
      return TRUE;
    }

  if (rc != SQLITE_DONE)
    _cx_store_set_error (self, error, _ ("Could not read the packages"));
  return FALSE;
}

/**
 * cx_store_find_chunk:
 *
 * Looks for a chunk inside any installed file.
 *
 * Returns: %TRUE and the file's tree, path and offset if found; %FALSE with
 *   @error unset if no installed file holds it
 */
gboolean
cx_store_find_chunk (CxStore *self,
                     const guint8 chunk_id[32],
                     char **out_tree,
                     char **out_path,
                     gint64 *out_offset,
                     GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  stmt = _cx_store_prepare (self,
                            "SELECT v.tree, l.path, l.offset FROM chunk_locations l"
                            " JOIN package_versions v ON v.id = l.version_id"
                            " WHERE l.chunk_id = ?1 AND v.tree IS NOT NULL LIMIT 1",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_blob (stmt, 1, chunk_id, 32, SQLITE_STATIC);
  return step_installed (self, stmt, out_tree, out_path, out_offset, error);
}

/**
 * cx_store_find_installed_file:
 *
 * Returns: %TRUE and where an installed file with this content lives;
 *   %FALSE with @error unset if none does
 */
gboolean
cx_store_find_installed_file (
    CxStore *self, const char *sha256_hex, char **out_tree, char **out_path, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  stmt = _cx_store_prepare (self,
                            "SELECT v.tree, r.path FROM resources r"
                            " JOIN package_versions v ON v.id = r.version_id"
                            " WHERE r.hash = ?1 AND v.tree IS NOT NULL LIMIT 1",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, sha256_hex, -1, SQLITE_TRANSIENT);
  return step_installed (self, stmt, out_tree, out_path, NULL, error);
}

static gboolean
run_with_id (CxStore *self, const char *sql, gint64 id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = _cx_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return _cx_store_step_done (self, stmt, error);
}

/* Forgets whatever version of the package is on disk: its resources, units
 * and chunk locations go; the version rows stay, as the hub may offer them. */
static gboolean
clear_install (CxStore *self, gint64 package_id, GError **error)
{
  static const char *const statements[] = {
    "DELETE FROM resources WHERE version_id IN"
    " (SELECT id FROM package_versions WHERE package_id = ?1)",
    "DELETE FROM installed_units WHERE version_id IN"
    " (SELECT id FROM package_versions WHERE package_id = ?1)",
    "DELETE FROM chunk_locations WHERE version_id IN"
    " (SELECT id FROM package_versions WHERE package_id = ?1)",
    "UPDATE package_versions SET tree = NULL, installed_at = 0, whole = 1,"
    "  state = CASE WHEN tree IS NULL THEN state ELSE 'superseded' END"
    " WHERE package_id = ?1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    if (!run_with_id (self, statements[i], package_id, error))
      return FALSE;

  return TRUE;
}

static gboolean
insert_locations (CxStore *self,
                  gint64 version_id,
                  const CxChunkLocation *locations,
                  gsize n_locations,
                  GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  stmt = _cx_store_prepare (self,
                            "INSERT INTO chunk_locations (chunk_id, version_id, path, offset, size)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
                            error);
  if (stmt == NULL)
    return FALSE;

  for (gsize i = 0; i < n_locations; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_blob (stmt, 1, locations[i].chunk_id, 32, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, version_id);
      sqlite3_bind_text (stmt, 3, locations[i].path, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, locations[i].offset);
      sqlite3_bind_int64 (stmt, 5, locations[i].size);
      if (!_cx_store_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
commit_install_rows (CxStore *self,
                     gint64 package_id,
                     gint64 version_id,
                     const char *tree,
                     gboolean whole,
                     const char *const *units,
                     GPtrArray *resources,
                     const CxChunkLocation *locations,
                     gsize n_locations,
                     GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (!clear_install (self, package_id, error))
    return FALSE;

  stmt = _cx_store_prepare (self,
                            "UPDATE package_versions SET tree = ?2, whole = ?3, installed_at = ?4,"
                            "  state = 'installed'"
                            " WHERE id = ?1 AND package_id = ?5",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, version_id);
  sqlite3_bind_text (stmt, 2, tree, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, whole ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, _cx_store_now ());
  sqlite3_bind_int64 (stmt, 5, package_id);
  if (!_cx_store_step_done (self, stmt, error) ||
      !_cx_store_check_version_changed (self, version_id, error))
    return FALSE;

  for (guint i = 0; units != NULL && units[i] != NULL; i++)
    {
      g_autoptr (sqlite3_stmt) unit = _cx_store_prepare (
          self, "INSERT INTO installed_units (version_id, unit) VALUES (?1, ?2)", error);

      if (unit == NULL)
        return FALSE;
      sqlite3_bind_int64 (unit, 1, version_id);
      sqlite3_bind_text (unit, 2, units[i], -1, SQLITE_STATIC);
      if (!_cx_store_step_done (self, unit, error))
        return FALSE;
    }

  for (guint i = 0; i < resources->len; i++)
    if (cx_store_add_resource (self, g_ptr_array_index (resources, i), error) == 0)
      return FALSE;

  return insert_locations (self, version_id, locations, n_locations, error);
}

/**
 * cx_store_commit_install:
 * @tree: the directory, relative to the content store's trees, now holding
 *   every file of the version (or of @units), each verified
 * @resources: (element-type CxResource): what the library shows of it
 *
 * Makes the version the installed one of its package, in one transaction:
 * the previously installed version stops being visible at the same
 * instant.  Its tree is then unreferenced (see cx_store_list_trees()).
 */
gboolean
cx_store_commit_install (CxStore *self,
                         gint64 package_id,
                         gint64 version_id,
                         const char *tree,
                         gboolean whole,
                         const char *const *units,
                         GPtrArray *resources,
                         const CxChunkLocation *locations,
                         gsize n_locations,
                         GError **error)
{
  g_return_val_if_fail (CX_IS_STORE (self), FALSE);
  g_return_val_if_fail (tree != NULL && resources != NULL, FALSE);

  if (!_cx_store_begin (self, error))
    return FALSE;

  if (!commit_install_rows (self, package_id, version_id, tree, whole, units, resources, locations,
                            n_locations, error))
    {
      _cx_store_rollback (self);
      return FALSE;
    }

  return _cx_store_commit (self, error);
}

gboolean
cx_store_remove_install (CxStore *self, gint64 package_id, GError **error)
{
  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  if (!_cx_store_begin (self, error))
    return FALSE;

  if (!clear_install (self, package_id, error))
    {
      _cx_store_rollback (self);
      return FALSE;
    }

  return _cx_store_commit (self, error);
}

/**
 * cx_store_list_trees:
 *
 * Returns: (transfer full): the trees installed versions live in; any other
 *   directory among the content store's trees is garbage
 */
char **
cx_store_list_trees (CxStore *self, GError **error)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt =
      _cx_store_prepare (self, "SELECT tree FROM package_versions WHERE tree IS NOT NULL", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));

  if (rc != SQLITE_DONE)
    {
      _cx_store_set_error (self, error, _ ("Could not read the packages"));
      return NULL;
    }

  return g_strv_builder_end (builder);
}
