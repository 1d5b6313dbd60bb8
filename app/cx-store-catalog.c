/* cx-store-catalog.c: hubs, packages, versions, resources and their search */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cx-store-catalog.h"
#include "cx-store-private.h"

/* The trigram index only answers terms of three or more characters; shorter
 * ones (most Chinese words are two) are matched with LIKE instead. */
#define TRIGRAM_MIN_CHARS 3
#define SEARCH_MAX_TERMS  8

static const char *const version_states[] = {
  [CX_VERSION_AVAILABLE] = "available",
  [CX_VERSION_INSTALLING] = "installing",
  [CX_VERSION_INSTALLED] = "installed",
  [CX_VERSION_SUPERSEDED] = "superseded",
};

void
cx_hub_free (CxHub *hub)
{
  if (hub == NULL)
    return;

  g_free (hub->url);
  g_free (hub->public_key);
  g_free (hub);
}

void
cx_package_free (CxPackage *package)
{
  if (package == NULL)
    return;

  g_free (package->package_key);
  g_free (package->title);
  g_free (package->subject);
  g_free (package->edition);
  g_free (package);
}

void
cx_resource_free (CxResource *resource)
{
  if (resource == NULL)
    return;

  g_free (resource->title);
  g_free (resource->subject);
  g_free (resource->edition);
  g_free (resource->unit);
  g_free (resource->lesson);
  g_free (resource->kind);
  g_free (resource->hash);
  g_free (resource->path);
  g_free (resource);
}

static gboolean
require_text (const char *value, const char *field, GError **error)
{
  if (value == NULL || *value == '\0' || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                   _ ("The %s is missing or not valid text"), field);
      return FALSE;
    }

  return TRUE;
}

static gint64
insert_and_get_id (CxStore *self, sqlite3_stmt *stmt, const char *what, GError **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cx_store_set_error (self, error, what);
      return 0;
    }

  return sqlite3_last_insert_rowid (_cx_store_get_db (self));
}

static CxHub *
hub_from_row (sqlite3_stmt *stmt)
{
  CxHub *hub = g_new0 (CxHub, 1);

  hub->id = sqlite3_column_int64 (stmt, 0);
  hub->url = _cx_store_column_dup (stmt, 1);
  hub->public_key = _cx_store_column_dup (stmt, 2);
  hub->added_at = sqlite3_column_int64 (stmt, 3);
  return hub;
}

/**
 * cx_store_add_hub:
 *
 * Returns: the id of the new hub, or 0 with @error set
 */
gint64
cx_store_add_hub (CxStore *self, const char *url, const char *public_key, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), 0);

  if (!require_text (url, _ ("hub address"), error) ||
      !require_text (public_key, _ ("hub key"), error))
    return 0;

  stmt = _cx_store_prepare (
      self, "INSERT INTO hubs (url, public_key, added_at) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, public_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, _cx_store_now ());
  return insert_and_get_id (self, stmt, _ ("Could not add the hub"), error);
}

/**
 * cx_store_list_hubs:
 *
 * Returns: (transfer full) (element-type CxHub): every hub, oldest first
 */
GPtrArray *
cx_store_list_hubs (CxStore *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt =
      _cx_store_prepare (self, "SELECT id, url, public_key, added_at FROM hubs ORDER BY id", error);
  if (stmt == NULL)
    return NULL;

  return _cx_store_collect_rows (self, stmt, (CxStoreRowFunc) hub_from_row,
                                 (GDestroyNotify) cx_hub_free, _ ("Could not read the hubs"),
                                 error);
}

/**
 * cx_store_save_package:
 *
 * Adds the package, or updates its metadata if the hub already listed it
 * under the same key.
 *
 * Returns: the package's id, or 0 with @error set
 */
gint64
cx_store_save_package (CxStore *self, const CxPackage *package, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), 0);
  g_return_val_if_fail (package != NULL, 0);

  if (!require_text (package->package_key, _ ("package id"), error) ||
      !require_text (package->title, _ ("package title"), error))
    return 0;

  stmt = _cx_store_prepare (self,
                            "INSERT INTO packages (hub_id, package_key, title, subject, grade,"
                            "                      edition)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                            " ON CONFLICT (hub_id, package_key) DO UPDATE SET"
                            "   title = excluded.title, subject = excluded.subject,"
                            "   grade = excluded.grade, edition = excluded.edition"
                            " RETURNING id",
                            error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, package->hub_id);
  sqlite3_bind_text (stmt, 2, package->package_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, package->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, package->subject ? package->subject : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, package->grade);
  sqlite3_bind_text (stmt, 6, package->edition ? package->edition : "", -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cx_store_set_error (self, error, _ ("Could not save the package"));
      return 0;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * cx_store_add_package_version:
 *
 * Records that @version of a package exists; it starts as
 * %CX_VERSION_AVAILABLE and is not shown until installed.
 *
 * Returns: the version's id, or 0 with @error set
 */
gint64
cx_store_add_package_version (CxStore *self,
                              gint64 package_id,
                              gint64 version,
                              const char *manifest_id,
                              gint64 size,
                              GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), 0);

  if (!require_text (manifest_id, _ ("manifest id"), error))
    return 0;

  stmt = _cx_store_prepare (self,
                            "INSERT INTO package_versions (package_id, version, manifest_id, size)"
                            " VALUES (?1, ?2, ?3, ?4)",
                            error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, package_id);
  sqlite3_bind_int64 (stmt, 2, version);
  sqlite3_bind_text (stmt, 3, manifest_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, size);
  return insert_and_get_id (self, stmt, _ ("Could not add the package version"), error);
}

gboolean
cx_store_set_package_version_state (CxStore *self,
                                    gint64 version_id,
                                    CxVersionState state,
                                    GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (version_states), FALSE);

  stmt = _cx_store_prepare (self, "UPDATE package_versions SET state = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, version_id);
  sqlite3_bind_text (stmt, 2, version_states[state], -1, SQLITE_STATIC);
  return _cx_store_step_done (self, stmt, error) &&
         _cx_store_check_version_changed (self, version_id, error);
}

/* After an UPDATE of package version @version_id: whether it matched a row. */
gboolean
_cx_store_check_version_changed (CxStore *self, gint64 version_id, GError **error)
{
  if (sqlite3_changes (_cx_store_get_db (self)) == 0)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                   _ ("There is no package version %lld"), (long long) version_id);
      return FALSE;
    }

  return TRUE;
}

/**
 * cx_store_add_resource:
 *
 * Returns: the resource's id, or 0 with @error set
 */
gint64
cx_store_add_resource (CxStore *self, const CxResource *resource, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), 0);
  g_return_val_if_fail (resource != NULL, 0);

  if (!require_text (resource->title, _ ("resource title"), error) ||
      !require_text (resource->kind, _ ("resource kind"), error) ||
      !require_text (resource->hash, _ ("resource hash"), error) ||
      !require_text (resource->path, _ ("resource path"), error))
    return 0;

  stmt = _cx_store_prepare (self,
                            "INSERT INTO resources (version_id, title, subject, grade, edition,"
                            "                       unit, lesson, kind, size, hash, path)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                            error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, resource->version_id);
  sqlite3_bind_text (stmt, 2, resource->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, resource->subject ? resource->subject : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, resource->grade);
  sqlite3_bind_text (stmt, 5, resource->edition ? resource->edition : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, resource->unit ? resource->unit : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, resource->lesson ? resource->lesson : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, resource->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, resource->size);
  sqlite3_bind_text (stmt, 10, resource->hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, resource->path, -1, SQLITE_TRANSIENT);
  return insert_and_get_id (self, stmt, _ ("Could not add the resource"), error);
}

static GPtrArray *
split_terms (const char *text)
{
  g_autoptr (GPtrArray) terms = g_ptr_array_new_with_free_func (g_free);
  const char *start = NULL;

  for (const char *p = text;; p = g_utf8_next_char (p))
    {
      gboolean end = *p == '\0' || g_unichar_isspace (g_utf8_get_char (p));

      if (end && start != NULL && terms->len < SEARCH_MAX_TERMS)
        g_ptr_array_add (terms, g_utf8_strdown (start, p - start));
      if (end)
        start = NULL;
      else if (start == NULL)
        start = p;
      if (*p == '\0')
        break;
    }

  return g_steal_pointer (&terms);
}

/**
 * cx_store_split_search_terms:
 *
 * Returns: (transfer full): the terms of @text as cx_store_search_resources()
 *   matches them: split at white space, lower case, at most eight
 */
char **
cx_store_split_search_terms (const char *text)
{
  g_autoptr (GPtrArray) terms = split_terms (text);

  g_ptr_array_add (terms, NULL);
  return (char **) g_ptr_array_steal (terms, NULL);
}

static char *
escape_like (const char *term)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = term; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');

  return g_string_free (pattern, FALSE);
}

static char *
quote_fts_phrase (const char *term)
{
  GString *phrase = g_string_new ("\"");

  for (const char *p = term; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (phrase, '"');
      g_string_append_c (phrase, *p);
    }
  g_string_append_c (phrase, '"');

  return g_string_free (phrase, FALSE);
}

static CxResource *
resource_from_row (sqlite3_stmt *stmt)
{
  CxResource *resource = g_new0 (CxResource, 1);

  resource->id = sqlite3_column_int64 (stmt, 0);
  resource->version_id = sqlite3_column_int64 (stmt, 1);
  resource->title = _cx_store_column_dup (stmt, 2);
  resource->subject = _cx_store_column_dup (stmt, 3);
  resource->grade = sqlite3_column_int (stmt, 4);
  resource->edition = _cx_store_column_dup (stmt, 5);
  resource->unit = _cx_store_column_dup (stmt, 6);
  resource->lesson = _cx_store_column_dup (stmt, 7);
  resource->kind = _cx_store_column_dup (stmt, 8);
  resource->size = sqlite3_column_int64 (stmt, 9);
  resource->hash = _cx_store_column_dup (stmt, 10);
  resource->path = _cx_store_column_dup (stmt, 11);

  return resource;
}

/**
 * cx_store_search_resources:
 * @text: what the person typed: one or more terms, Chinese or not
 * @limit: the most results to return
 *
 * Finds installed resources whose title, subject, edition, unit or lesson
 * contain every term, ignoring ASCII case. Resources whose title holds every
 * term come first, then earlier and shorter title matches; ties are broken by
 * title and id, so the order is stable.
 *
 * Returns: (transfer full) (element-type CxResource): the matches, best first
 */
GPtrArray *
cx_store_search_resources (CxStore *self, const char *text, guint limit, GError **error)
{
  g_autoptr (GPtrArray) terms = NULL;
  g_autoptr (GPtrArray) binds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (GString) match = g_string_new (NULL);
  g_autoptr (GString) title_has_all = g_string_new ("1");
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("The search text is not valid text"));
      return NULL;
    }

  terms = split_terms (text);
  if (terms->len == 0 || limit == 0)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) cx_resource_free);

  g_string_append (sql, "SELECT r.id, r.version_id, r.title, r.subject, r.grade, r.edition, r.unit,"
                        "       r.lesson, r.kind, r.size, r.hash, r.path"
                        " FROM resources r"
                        " JOIN package_versions v ON v.id = r.version_id AND v.state = 'installed'"
                        " WHERE 1");

  for (guint i = 0; i < terms->len; i++)
    {
      const char *term = g_ptr_array_index (terms, i);

      if (g_utf8_strlen (term, -1) >= TRIGRAM_MIN_CHARS)
        {
          g_autofree char *phrase = quote_fts_phrase (term);

          g_string_append_printf (match, "%s%s", match->len ? " AND " : "", phrase);
        }
      else
        {
          g_string_append (sql, " AND (r.title LIKE ? ESCAPE '\\' OR r.subject LIKE ? ESCAPE '\\'"
                                " OR r.edition LIKE ? ESCAPE '\\' OR r.unit LIKE ? ESCAPE '\\'"
                                " OR r.lesson LIKE ? ESCAPE '\\')");
          for (guint k = 0; k < 5; k++)
            g_ptr_array_add (binds, escape_like (term));
        }
    }

  if (match->len > 0)
    {
      g_string_append (sql, " AND r.id IN (SELECT rowid FROM resources_fts"
                            "              WHERE resources_fts MATCH ?)");
      g_ptr_array_add (binds, g_strdup (match->str));
    }

  for (guint i = 0; i < terms->len; i++)
    {
      g_string_append (title_has_all, " AND instr (lower (r.title), ?) > 0");
      g_ptr_array_add (binds, g_strdup (g_ptr_array_index (terms, i)));
    }

  g_string_append_printf (sql,
                          " ORDER BY CASE WHEN %s THEN 0 ELSE 1 END,"
                          "  coalesce (nullif (instr (lower (r.title), ?), 0), 1000000),"
                          "  length (r.title), r.title, r.id"
                          " LIMIT ?",
                          title_has_all->str);
  g_ptr_array_add (binds, g_strdup (g_ptr_array_index (terms, 0)));

  stmt = _cx_store_prepare (self, sql->str, error);
  if (stmt == NULL)
    return NULL;

  for (guint i = 0; i < binds->len; i++)
    sqlite3_bind_text (stmt, (int) i + 1, g_ptr_array_index (binds, i), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, (int) binds->len + 1, limit);

  return _cx_store_collect_rows (self, stmt, (CxStoreRowFunc) resource_from_row,
                                 (GDestroyNotify) cx_resource_free,
                                 _ ("Could not search the library"), error);
}

#define RESOURCE_COLUMNS                                                                  \
  "r.id, r.version_id, r.title, r.subject, r.grade, r.edition, r.unit, r.lesson, r.kind," \
  " r.size, r.hash, r.path"

/**
 * cx_store_list_resources:
 *
 * Returns: (transfer full) (element-type CxResource): the resources of one
 *   package version, by path
 */
GPtrArray *
cx_store_list_resources (CxStore *self, gint64 version_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self,
                            "SELECT " RESOURCE_COLUMNS " FROM resources r"
                            " WHERE r.version_id = ?1 ORDER BY r.path",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, version_id);
  return _cx_store_collect_rows (self, stmt, (CxStoreRowFunc) resource_from_row,
                                 (GDestroyNotify) cx_resource_free,
                                 _ ("Could not read the library"), error);
}

/**
 * cx_store_find_resource_by_path:
 * @version_id: an installed package version
 * @path: the file's path in the package
 *
 * Returns: the id of that version's resource at @path, or 0 with
 *   %CX_STORE_ERROR_NOT_FOUND when the version has none there on this
 *   computer (a unit not fetched holds no resources)
 */
gint64
cx_store_find_resource_by_path (CxStore *self, gint64 version_id, const char *path, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), 0);
  g_return_val_if_fail (path != NULL, 0);

  stmt = _cx_store_prepare (self, "SELECT id FROM resources WHERE version_id = ?1 AND path = ?2",
                            error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, version_id);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc == SQLITE_DONE)
    g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                 _ ("“%s” is not on this computer"), path);
  else
    _cx_store_set_error (self, error, _ ("Could not read the library"));
  return 0;
}

/**
 * cx_store_get_resource:
 * @out_tree: (out) (optional): the folder under content/trees holding the
 *   resource's version
 *
 * Returns: (transfer full): the resource, or %NULL with
 *   %CX_STORE_ERROR_NOT_FOUND when it is no longer installed
 */
CxResource *
cx_store_get_resource (CxStore *self, gint64 resource_id, char **out_tree, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (self,
                            "SELECT " RESOURCE_COLUMNS ", v.tree FROM resources r"
                            " JOIN package_versions v ON v.id = r.version_id"
                            " WHERE r.id = ?1 AND v.state = 'installed' AND v.tree IS NOT NULL",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, resource_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (out_tree != NULL)
        *out_tree = _cx_store_column_dup (stmt, 12);
      return resource_from_row (stmt);
    }
  if (rc == SQLITE_DONE)
    g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                 _ ("That resource is no longer on this computer"));
  else
    _cx_store_set_error (self, error, _ ("Could not read the library"));
  return NULL;
}

/**
 * cx_store_scan_installed_resources:
 * @func: called for each installed resource, with strings valid only
 *   during the call
 *
 * Walks the searchable text of every installed resource, for an index
 * kept in memory. Returns %FALSE with @error if the walk failed.
 */
gboolean
cx_store_scan_installed_resources (CxStore *self,
                                   CxResourceScanFunc func,
                                   gpointer user_data,
                                   GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_STORE (self), FALSE);

  stmt = _cx_store_prepare (self,
                            "SELECT r.id, r.title, r.subject, r.edition, r.unit, r.lesson"
                            " FROM resources r"
                            " JOIN package_versions v ON v.id = r.version_id"
                            " WHERE v.state = 'installed'",
                            error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (sqlite3_column_int64 (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
          (const char *) sqlite3_column_text (stmt, 2),
          (const char *) sqlite3_column_text (stmt, 3),
          (const char *) sqlite3_column_text (stmt, 4),
          (const char *) sqlite3_column_text (stmt, 5), user_data);
  if (rc != SQLITE_DONE)
    {
      _cx_store_set_error (self, error, _ ("Could not read the library"));
      return FALSE;
    }
  return TRUE;
}

/**
 * cx_store_get_catalog_stamp:
 *
 * Returns: (transfer full): a string that changes whenever resources are
 *   installed or removed, by this connection or any other; cheap to ask
 */
char *
cx_store_get_catalog_stamp (CxStore *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CX_IS_STORE (self), NULL);

  stmt = _cx_store_prepare (
      self,
      "SELECT (SELECT count(*) FROM resources) || '/' ||"
      " (SELECT coalesce (max (id), 0) FROM resources) || '/' ||"
      " coalesce ((SELECT group_concat (id) FROM package_versions WHERE state = 'installed'), '')",
      error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cx_store_set_error (self, error, _ ("Could not read the library"));
      return NULL;
    }
  return _cx_store_column_dup (stmt, 0);
}
