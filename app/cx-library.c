/* cx-library.c: the installed curriculum as list models for the front end */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cx-content-store.h"
#include "cx-lesson-files.h"
#include "cx-library.h"
#include "cx-manifest.h"
#include "cx-resource-kind.h"
#include "cx-search-index.h"
#include "cx-store-catalog.h"
#include "cx-store-packages.h"

struct _CxLibrary
{
  GObject parent_instance;

  CxStore *store;
  CxContentStore *content;

  /* Search, once read in a worker; until then, and while it is being read
   * again after packages changed, searches go to the store. */
  CxSearchIndex *index;
  gboolean index_building;
};

G_DEFINE_FINAL_TYPE (CxLibrary, cx_library, G_TYPE_OBJECT)

static void
cx_library_finalize (GObject *object)
{
  CxLibrary *self = CX_LIBRARY (object);

  g_clear_object (&self->store);
  g_clear_object (&self->content);
  g_clear_object (&self->index);
  G_OBJECT_CLASS (cx_library_parent_class)->finalize (object);
}

static void
cx_library_class_init (CxLibraryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_library_finalize;
}

static void
cx_library_init (CxLibrary *self)
{
}

CxLibrary *
cx_library_new (CxStore *store, GError **error)
{
  g_autoptr (CxLibrary) self = g_object_new (CX_TYPE_LIBRARY, NULL);

  g_return_val_if_fail (CX_IS_STORE (store), NULL);

  self->store = g_object_ref (store);
  self->content = cx_content_store_new (cx_store_get_data_dir (store), error);
  if (self->content == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

CxStore *
cx_library_get_store (CxLibrary *self)
{
  g_return_val_if_fail (CX_IS_LIBRARY (self), NULL);
  return self->store;
}

/* "语文 · 1 年级 · 人教版" */
static char *
describe_package (const char *subject, int grade, const char *edition)
{
  g_autoptr (GString) text = g_string_new (subject);

  if (grade > 0)
    {
      g_autofree char *grade_text = g_strdup_printf (_ ("Grade %d"), grade);

      g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", grade_text);
    }
  if (edition != NULL && *edition != '\0')
    g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", edition);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static CxManifest *
load_manifest (CxLibrary *self, const CxPackageStatus *status, GError **error)
{
  g_autofree char *manifest_hex = NULL;
  g_autoptr (GBytes) bytes = NULL;
  CxChunkId id;

  if (cx_store_lookup_package_version (self->store, status->id, status->installed_version,
                                       &manifest_hex, NULL, error) == 0)
    return NULL;
  if (!cx_chunk_id_from_hex (manifest_hex, &id))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _ ("The library holds a damaged record of “%s”"), status->package_key);
      return NULL;
    }
  bytes = cx_content_store_load (self->content, CX_OBJECT_MANIFEST, &id, error);
  if (bytes == NULL)
    return NULL;
  return cx_manifest_new_from_bytes (bytes, &id, error);
}

static CxCourseNode *
resource_node (GHashTable *resources, const char *path, const char *package_key)
{
  CxResource *resource = g_hash_table_lookup (resources, path);
  g_autofree char *base = g_path_get_basename (path);
  CxCourseNode *node;

  node = cx_course_node_new (CX_COURSE_NODE_RESOURCE, path,
                             resource != NULL ? resource->title : base, NULL);
  cx_course_node_set_package_key (node, package_key);
  cx_course_node_set_resource (node, resource != NULL ? resource->id : 0,
                               resource != NULL ? resource->kind : NULL);
  cx_course_node_set_on_disk (node, resource != NULL);
  return node;
}

static void
add_files (GListStore *store, GPtrArray *files, GHashTable *resources, const char *package_key)
{
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr (CxCourseNode) node =
          resource_node (resources, g_ptr_array_index (files, i), package_key);

      g_list_store_append (store, node);
    }
}

static gboolean
unit_on_disk (const CxPackageStatus *status, const char *unit_id)
{
  return status->installed_whole ||
         g_strv_contains ((const char *const *) status->installed_units, unit_id);
}

/* Units of the installed version, from its manifest; files of no unit come
 * last, at the package's own level. */
static GListModel *
load_package (CxCourseNode *node, gpointer user_data)
{
  CxLibrary *self = user_data;
  GListStore *units = g_list_store_new (CX_TYPE_COURSE_NODE);
  const char *package_key = cx_course_node_get_package_key (node);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxPackageStatus) status = NULL;
  g_autoptr (CxManifest) manifest = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GHashTable) resources = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) in_units = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *manifest_units;
  GPtrArray *files;

  status = cx_store_lookup_package_status (self->store, package_key, &error);
  if (status != NULL)
    manifest = load_manifest (self, status, &error);
  if (manifest != NULL)
    rows = cx_store_list_resources (self->store, status->installed_version_id, &error);
  if (rows == NULL)
    {
      g_warning ("Could not read the course of %s: %s", package_key, error->message);
      return G_LIST_MODEL (units);
    }
  for (guint i = 0; i < rows->len; i++)
    {
      CxResource *resource = g_ptr_array_index (rows, i);

      g_hash_table_insert (resources, resource->path, resource);
    }

  manifest_units = cx_manifest_get_units (manifest);
  for (guint u = 0; u < manifest_units->len; u++)
    {
      CxManifestUnit *unit = g_ptr_array_index (manifest_units, u);
      g_autoptr (CxCourseNode) unit_node =
          cx_course_node_new (CX_COURSE_NODE_UNIT, unit->id, unit->title, NULL);
      GListStore *children = g_list_store_new (CX_TYPE_COURSE_NODE);

      cx_course_node_set_package_key (unit_node, package_key);
      cx_course_node_set_on_disk (unit_node, unit_on_disk (status, unit->id));
      for (guint l = 0; l < unit->lessons->len; l++)
        {
          CxManifestLesson *lesson = g_ptr_array_index (unit->lessons, l);
          g_autoptr (CxCourseNode) lesson_node =
              cx_course_node_new (CX_COURSE_NODE_LESSON, lesson->id, lesson->title, NULL);
          GListStore *lesson_files = g_list_store_new (CX_TYPE_COURSE_NODE);

          cx_course_node_set_package_key (lesson_node, package_key);
          cx_course_node_set_on_disk (lesson_node, unit_on_disk (status, unit->id));
          add_files (lesson_files, lesson->files, resources, package_key);
          for (guint f = 0; f < lesson->files->len; f++)
            g_hash_table_add (in_units, g_ptr_array_index (lesson->files, f));
          cx_course_node_set_children (lesson_node, G_LIST_MODEL (lesson_files));
          g_object_unref (lesson_files);
          g_list_store_append (children, lesson_node);
        }
      add_files (children, unit->files, resources, package_key);
      for (guint f = 0; f < unit->files->len; f++)
        g_hash_table_add (in_units, g_ptr_array_index (unit->files, f));
      cx_course_node_set_children (unit_node, G_LIST_MODEL (children));
      g_object_unref (children);
      g_list_store_append (units, unit_node);
    }

  files = cx_manifest_get_files (manifest);
  for (guint i = 0; i < files->len; i++)
    {
      CxManifestFile *file = g_ptr_array_index (files, i);

      if (!g_hash_table_contains (in_units, file->path))
        {
          g_autoptr (CxCourseNode) loose = resource_node (resources, file->path, package_key);

          g_list_store_append (units, loose);
        }
    }
  return G_LIST_MODEL (units);
}

static int
compare_packages (gconstpointer a, gconstpointer b)
{
  const CxPackageStatus *x = *(CxPackageStatus **) a, *y = *(CxPackageStatus **) b;
  int order = g_strcmp0 (x->subject, y->subject);

  if (order == 0)
    order = x->grade - y->grade;
  if (order == 0)
    order = g_strcmp0 (x->edition, y->edition);
  if (order == 0)
    order = g_strcmp0 (x->title, y->title);
  return order;
}

/**
 * cx_library_list_packages:
 *
 * Returns: (transfer full): #CxCourseNode packages, by subject, grade and
 *   edition: the installed ones with their course trees, then those the
 *   hubs offer that are not on this computer (without children)
 */
GListModel *
cx_library_list_packages (CxLibrary *self, GError **error)
{
  g_autoptr (GPtrArray) statuses = NULL;
  g_autoptr (GListStore) packages = g_list_store_new (CX_TYPE_COURSE_NODE);

  g_return_val_if_fail (CX_IS_LIBRARY (self), NULL);

  statuses = cx_store_list_package_status (self->store, error);
  if (statuses == NULL)
    return NULL;
  g_ptr_array_sort (statuses, compare_packages);

  for (int installed = 1; installed >= 0; installed--)
    for (guint i = 0; i < statuses->len; i++)
      {
        CxPackageStatus *status = g_ptr_array_index (statuses, i);
        g_autofree char *subtitle = NULL;
        g_autoptr (CxCourseNode) node = NULL;

        if ((status->installed_version > 0) != installed)
          continue;
        if (!installed && status->current_version == 0)
          continue;
        subtitle = describe_package (status->subject, status->grade, status->edition);
        node = cx_course_node_new (CX_COURSE_NODE_PACKAGE, status->package_key, status->title,
                                   subtitle);
        cx_course_node_set_package_key (node, status->package_key);
        cx_course_node_set_on_disk (node, installed);
        if (installed)
          cx_course_node_set_loader (node, load_package, g_object_ref (self), g_object_unref);
        g_list_store_append (packages, node);
      }
  return G_LIST_MODEL (g_steal_pointer (&packages));
}

static void
read_index_thread (GTask *task, gpointer source, gpointer data_dir, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (data_dir, &error);
  CxSearchIndex *index = NULL;

  if (store != NULL)
    index = cx_search_index_new (store, cancellable, &error);
  if (index == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, index, g_object_unref);
}

static void
index_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CxLibrary *self = CX_LIBRARY (source);
  g_autoptr (GError) error = NULL;
  CxSearchIndex *index = g_task_propagate_pointer (G_TASK (result), &error);

  self->index_building = FALSE;
  if (index == NULL)
    {
      /* Searching still works, through the store. */
      g_warning ("Could not read the library for searching: %s", error->message);
      return;
    }
  g_clear_object (&self->index);
  self->index = index;
}

/**
 * cx_library_prepare_search:
 *
 * Starts reading the library's searchable text into memory in a worker,
 * so that searching is fast from then on; cx_library_search() does it on
 * first use otherwise. Does nothing while a read is under way.
 */
void
cx_library_prepare_search (CxLibrary *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CX_IS_LIBRARY (self));

  if (self->index_building)
    return;
  self->index_building = TRUE;
  task = g_task_new (self, NULL, index_read_cb, NULL);
  g_task_set_source_tag (task, cx_library_prepare_search);
  g_task_set_task_data (task, g_strdup (cx_store_get_data_dir (self->store)), g_free);
  g_task_run_in_thread (task, read_index_thread);
}

/**
 * cx_library_get_search_ready:
 *
 * Returns: whether searches are answered from memory now
 */
gboolean
cx_library_get_search_ready (CxLibrary *self)
{
  g_return_val_if_fail (CX_IS_LIBRARY (self), FALSE);
  return self->index != NULL && !self->index_building;
}

/* The index when it still matches the store, else NULL, and a new one on
 * its way. */
static CxSearchIndex *
current_index (CxLibrary *self)
{
  g_autofree char *stamp = NULL;

  if (self->index != NULL)
    {
      stamp = cx_store_get_catalog_stamp (self->store, NULL);
      if (g_strcmp0 (stamp, cx_search_index_get_stamp (self->index)) == 0)
        return self->index;
      g_clear_object (&self->index);
    }
  cx_library_prepare_search (self);
  return NULL;
}

static GPtrArray *
find_resources (CxLibrary *self, const char *text, guint limit, GError **error)
{
  CxSearchIndex *index = current_index (self);
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GPtrArray) found = NULL;

  if (index == NULL)
    return cx_store_search_resources (self->store, text, limit, error);
  ids = cx_search_index_find (index, text, limit);
  found = g_ptr_array_new_with_free_func ((GDestroyNotify) cx_resource_free);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (GError) local_error = NULL;
      CxResource *resource =
          cx_store_get_resource (self->store, g_array_index (ids, gint64, i), NULL, &local_error);

      if (resource != NULL)
        g_ptr_array_add (found, resource);
      else if (!g_error_matches (local_error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  return g_steal_pointer (&found);
}

/**
 * cx_library_search:
 *
 * Returns: (transfer full): #CxCourseNode resources matching @text, best
 *   first (see cx_store_search_resources())
 */
GListModel *
cx_library_search (CxLibrary *self, const char *text, guint limit, GError **error)
{
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GListStore) results = g_list_store_new (CX_TYPE_COURSE_NODE);

  g_return_val_if_fail (CX_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID,
                           _ ("The search text is not valid text"));
      return NULL;
    }
  found = find_resources (self, text, limit, error);
  if (found == NULL)
    return NULL;
  for (guint i = 0; i < found->len; i++)
    {
      CxResource *resource = g_ptr_array_index (found, i);
      g_autoptr (GString) where = g_string_new (resource->subject);
      g_autoptr (CxCourseNode) node = NULL;

      if (resource->unit != NULL && *resource->unit != '\0')
        g_string_append_printf (where, " › %s", resource->unit);
      if (resource->lesson != NULL && *resource->lesson != '\0' &&
          g_strcmp0 (resource->lesson, resource->title) != 0)
        g_string_append_printf (where, " › %s", resource->lesson);
      node =
          cx_course_node_new (CX_COURSE_NODE_RESOURCE, resource->path, resource->title, where->str);
      cx_course_node_set_resource (node, resource->id, resource->kind);
      g_list_store_append (results, node);
    }
  return G_LIST_MODEL (g_steal_pointer (&results));
}

/**
 * cx_library_get_resource_file:
 *
 * Returns: (transfer full): the absolute path of an installed resource's
 *   file, or %NULL with @error when it is no longer on this computer
 */
char *
cx_library_get_resource_file (
    CxLibrary *self, gint64 resource_id, char **out_kind, char **out_title, GError **error)
{
  g_autofree char *tree = NULL;
  g_autofree char *tree_path = NULL;
  g_autoptr (CxResource) resource = NULL;

  g_return_val_if_fail (CX_IS_LIBRARY (self), NULL);

  resource = cx_store_get_resource (self->store, resource_id, &tree, error);
  if (resource == NULL)
    return NULL;
  tree_path = cx_content_store_tree_path (self->content, tree);
  if (out_kind != NULL)
    *out_kind = g_strdup (resource->kind);
  if (out_title != NULL)
    *out_title = g_strdup (resource->title);
  return g_build_filename (tree_path, resource->path, NULL);
}

/**
 * cx_library_units_with:
 *
 * Returns: (transfer full): the units of @package_key on this computer
 *   plus @unit_id: what to install to fetch one more unit
 */
char **
cx_library_units_with (CxLibrary *self, const char *package_key, const char *unit_id)
{
  g_autoptr (CxPackageStatus) status = NULL;
  g_autoptr (GStrvBuilder) units = g_strv_builder_new ();

  g_return_val_if_fail (CX_IS_LIBRARY (self), NULL);

  status = cx_store_lookup_package_status (self->store, package_key, NULL);
  if (status != NULL && status->installed_units != NULL && !status->installed_whole)
    g_strv_builder_addv (units, (const char **) status->installed_units);
  g_strv_builder_add (units, unit_id);
  return g_strv_builder_end (units);
}

/**
 * cx_library_get_lesson_item_file:
 *
 * Returns: (transfer full): the absolute path of what a lesson item shows —
 *   a library resource or the teacher's own file kept in the store — or
 *   %NULL with @error when it is gone
 */
char *
cx_library_get_lesson_item_file (CxLibrary *self,
                                 const CxLessonItem *item,
                                 char **out_kind,
                                 GError **error)
{
  g_return_val_if_fail (CX_IS_LIBRARY (self), NULL);

  if (item->file_path != NULL)
    {
      if (out_kind != NULL)
        *out_kind = g_strdup (cx_resource_kind_for_path (item->file_path));
      return cx_lesson_files_get_path (self->store, item->file_path);
    }
  if (item->resource_id == 0)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                   _ ("“%s” was removed from the library"), item->title);
      return NULL;
    }
  return cx_library_get_resource_file (self, item->resource_id, out_kind, NULL, error);
}

/* The id of the unit of @manifest holding @path, or NULL. */
static const char *
unit_holding (CxManifest *manifest, const char *path)
{
  GPtrArray *units = cx_manifest_get_units (manifest);

  for (guint u = 0; u < units->len; u++)
    {
      const CxManifestUnit *unit = g_ptr_array_index (units, u);

      for (guint f = 0; f < unit->files->len; f++)
        if (g_str_equal (g_ptr_array_index (unit->files, f), path))
          return unit->id;
      for (guint l = 0; l < unit->lessons->len; l++)
        {
          const CxManifestLesson *lesson = g_ptr_array_index (unit->lessons, l);

          for (guint f = 0; f < lesson->files->len; f++)
            if (g_str_equal (g_ptr_array_index (lesson->files, f), path))
              return unit->id;
        }
    }
  return NULL;
}

static gint64
fallback_state (CxFallbackState state, CxFallbackState *out_state)
{
  if (out_state != NULL)
    *out_state = state;
  return 0;
}

/**
 * cx_library_find_fallback:
 * @entry: a timetable entry whose live class cannot be reached
 * @out_state: (out) (optional): ready, or why not
 * @out_unit: (out) (optional) (transfer full): with
 *   %CX_FALLBACK_UNIT_MISSING, the unit to fetch (see
 *   cx_library_units_with())
 *
 * Finds the entry's fallback (its package and package-relative path)
 * among the resources on this computer.
 *
 * Returns: the resource's id (for cx_library_get_resource_file()), or 0
 *   with %CX_STORE_ERROR_NOT_FOUND saying why not, in words for people,
 *   and @out_state saying it for programs (another error: the store
 *   failed)
 */
gint64
cx_library_find_fallback (CxLibrary *self,
                          const CxTimetableEntry *entry,
                          CxFallbackState *out_state,
                          char **out_unit,
                          GError **error)
{
  g_autoptr (CxPackageStatus) status = NULL;
  g_autoptr (CxManifest) manifest = NULL;
  g_autoptr (GError) local = NULL;
  const char *unit;
  gint64 id;

  g_return_val_if_fail (CX_IS_LIBRARY (self), 0);
  g_return_val_if_fail (entry != NULL, 0);

  if (out_state != NULL)
    *out_state = CX_FALLBACK_FILE_MISSING;
  if (out_unit != NULL)
    *out_unit = NULL;
  if (entry->fallback == NULL || *entry->fallback == '\0')
    {
      g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                           _ ("This class names nothing to show instead of the live class"));
      return fallback_state (CX_FALLBACK_NONE, out_state);
    }
  if (entry->package_key != NULL && *entry->package_key != '\0')
    status = cx_store_lookup_package_status (self->store, entry->package_key, &local);
  if (status == NULL && local != NULL &&
      !g_error_matches (local, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return 0;
    }
  if (status == NULL || status->installed_version == 0)
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                   _ ("The package “%s” is not on this computer"),
                   entry->package_key != NULL ? entry->package_key : "");
      return fallback_state (CX_FALLBACK_PACKAGE_MISSING, out_state);
    }

  g_clear_error (&local);
  id = cx_store_find_resource_by_path (self->store, status->installed_version_id, entry->fallback,
                                       &local);
  if (id > 0)
    {
      fallback_state (CX_FALLBACK_READY, out_state);
      return id;
    }
  if (!g_error_matches (local, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return 0;
    }

  /* Not among the resources: in a unit not fetched, or not there at all. */
  g_clear_error (&local);
  manifest = load_manifest (self, status, error);
  if (manifest == NULL)
    return 0;
  unit = unit_holding (manifest, entry->fallback);
  if (unit != NULL && !status->installed_whole &&
      (status->installed_units == NULL ||
       !g_strv_contains ((const char *const *) status->installed_units, unit)))
    {
      g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND,
                   _ ("“%s” is in a unit of “%s” that is not on this computer"), entry->fallback,
                   status->title);
      if (out_unit != NULL)
        *out_unit = g_strdup (unit);
      return fallback_state (CX_FALLBACK_UNIT_MISSING, out_state);
    }
  g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND, _ ("“%s” has no file “%s”"),
               status->title, entry->fallback);
  return fallback_state (CX_FALLBACK_FILE_MISSING, out_state);
}
