/* cx-timetable-names.c: the titles of what timetable entries link to */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-course-node.h"
#include "cx-store-lessons.h"
#include "cx-timetable-names.h"

struct _CxTimetableNames
{
  GObject parent_instance;

  CxApplication *app;   /* not owned: it outlives every page */
  GListModel *packages; /* CxCourseNode; NULL until asked */
  GHashTable *by_key;   /* package key → CxCourseNode in packages */
  GHashTable *units;    /* package key → GListModel of its units */
  GHashTable *plans;    /* plan id → title; NULL until asked */
};

G_DEFINE_FINAL_TYPE (CxTimetableNames, cx_timetable_names, G_TYPE_OBJECT)

static void
load_packages (CxTimetableNames *self)
{
  g_autoptr (GError) error = NULL;

  if (self->packages != NULL)
    return;
  self->packages = cx_library_list_packages (cx_application_get_library (self->app), &error);
  if (self->packages == NULL)
    {
      g_debug ("timetable: no package titles: %s", error->message);
      self->packages = G_LIST_MODEL (g_list_store_new (CX_TYPE_COURSE_NODE));
    }
  for (guint i = 0; i < g_list_model_get_n_items (self->packages); i++)
    {
      g_autoptr (CxCourseNode) node = g_list_model_get_item (self->packages, i);

      g_hash_table_insert (self->by_key, g_strdup (cx_course_node_get_package_key (node)), node);
    }
}

static CxCourseNode *
find_package (CxTimetableNames *self, const char *package_key)
{
  if (package_key == NULL || *package_key == '\0')
    return NULL;
  load_packages (self);
  return g_hash_table_lookup (self->by_key, package_key);
}

/* Forgets everything: packages, units or plans changed. */
void
cx_timetable_names_reset (CxTimetableNames *self)
{
  g_return_if_fail (CX_IS_TIMETABLE_NAMES (self));

  g_hash_table_remove_all (self->by_key);
  g_hash_table_remove_all (self->units);
  g_clear_object (&self->packages);
  g_clear_pointer (&self->plans, g_hash_table_unref);
}

/* Returns: (nullable): the package's title, if this computer knows it */
const char *
cx_timetable_names_get_package (CxTimetableNames *self, const char *package_key)
{
  CxCourseNode *node;

  g_return_val_if_fail (CX_IS_TIMETABLE_NAMES (self), NULL);
  node = find_package (self, package_key);
  return node != NULL ? cx_course_node_get_title (node) : NULL;
}

gboolean
cx_timetable_names_is_installed (CxTimetableNames *self, const char *package_key)
{
  CxCourseNode *node;

  g_return_val_if_fail (CX_IS_TIMETABLE_NAMES (self), FALSE);
  node = find_package (self, package_key);
  return node != NULL && cx_course_node_get_on_disk (node);
}

/**
 * cx_timetable_names_list_packages:
 *
 * Returns: (transfer none): #CxCourseNode packages, installed ones first
 */
GListModel *
cx_timetable_names_list_packages (CxTimetableNames *self)
{
  g_return_val_if_fail (CX_IS_TIMETABLE_NAMES (self), NULL);
  load_packages (self);
  return self->packages;
}

/**
 * cx_timetable_names_list_units:
 *
 * Returns: (transfer none): the #CxCourseNode units of an installed
 *   package, in course order; empty for anything else
 */
GListModel *
cx_timetable_names_list_units (CxTimetableNames *self, const char *package_key)
{
  CxCourseNode *node;
  GListModel *children;
  GListStore *units;

  g_return_val_if_fail (CX_IS_TIMETABLE_NAMES (self), NULL);

  units = g_hash_table_lookup (self->units, package_key != NULL ? package_key : "");
  if (units != NULL)
    return G_LIST_MODEL (units);
  units = g_list_store_new (CX_TYPE_COURSE_NODE);
  g_hash_table_insert (self->units, g_strdup (package_key != NULL ? package_key : ""), units);
  node = find_package (self, package_key);
  /* Reads the package's manifest: only for packages an entry links to. */
  children = node != NULL && cx_course_node_has_children (node) ? cx_course_node_get_children (node)
                                                                : NULL;
  for (guint i = 0; children != NULL && i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr (CxCourseNode) child = g_list_model_get_item (children, i);

      if (cx_course_node_get_kind (child) == CX_COURSE_NODE_UNIT)
        g_list_store_append (units, child);
    }
  return G_LIST_MODEL (units);
}

/* Returns: (nullable): the unit's title, if its package is installed */
const char *
cx_timetable_names_get_unit (CxTimetableNames *self, const char *package_key, const char *unit)
{
  GListModel *units;

  g_return_val_if_fail (CX_IS_TIMETABLE_NAMES (self), NULL);
  if (unit == NULL || *unit == '\0')
    return NULL;
  units = cx_timetable_names_list_units (self, package_key);
  for (guint i = 0; i < g_list_model_get_n_items (units); i++)
    {
      g_autoptr (CxCourseNode) node = g_list_model_get_item (units, i);

      if (g_strcmp0 (cx_course_node_get_id (node), unit) == 0)
        return cx_course_node_get_title (node);
    }
  return NULL;
}

/* Returns: (nullable): the lesson plan's title, if it is still there */
const char *
cx_timetable_names_get_plan (CxTimetableNames *self, gint64 plan_id)
{
  g_return_val_if_fail (CX_IS_TIMETABLE_NAMES (self), NULL);

  if (plan_id <= 0)
    return NULL;
  if (self->plans == NULL)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) plans =
          cx_store_list_lesson_plans (cx_application_get_store (self->app), &error);

      self->plans = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      if (plans == NULL)
        g_debug ("timetable: no lesson plan titles: %s", error->message);
      for (guint i = 0; plans != NULL && i < plans->len; i++)
        {
          const CxLessonPlan *plan = g_ptr_array_index (plans, i);

          g_hash_table_insert (
              self->plans, g_memdup2 (&plan->id, sizeof plan->id),
              g_strdup (*plan->title != '\0' ? plan->title : _ ("Untitled lesson")));
        }
    }
  return g_hash_table_lookup (self->plans, &plan_id);
}

/**
 * cx_timetable_names_describe_links:
 *
 * Returns: (nullable): what the entry links to, e.g. "语文 一年级 › 第一单元 ·
 *   Plan: 静夜思", or %NULL when it links to nothing
 */
char *
cx_timetable_names_describe_links (CxTimetableNames *self, const CxTimetableEntry *entry)
{
  GString *text = g_string_new (NULL);
  const char *package, *unit, *plan;

  g_return_val_if_fail (CX_IS_TIMETABLE_NAMES (self), NULL);

  if (entry->package_key != NULL && *entry->package_key != '\0')
    {
      package = cx_timetable_names_get_package (self, entry->package_key);
      g_string_append (text, package != NULL ? package : entry->package_key);
      if (entry->unit != NULL && *entry->unit != '\0')
        {
          unit = cx_timetable_names_get_unit (self, entry->package_key, entry->unit);
          g_string_append_printf (text, " › %s", unit != NULL ? unit : entry->unit);
        }
    }
  plan = cx_timetable_names_get_plan (self, entry->lesson_plan_id);
  if (plan != NULL)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      /* TRANSLATORS: the lesson plan a class on the timetable is taught from */
      g_string_append_printf (text, _ ("Plan: %s"), plan);
    }
  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}

static void
cx_timetable_names_finalize (GObject *object)
{
  CxTimetableNames *self = CX_TIMETABLE_NAMES (object);

  g_hash_table_unref (self->by_key);
  g_hash_table_unref (self->units);
  g_clear_object (&self->packages);
  g_clear_pointer (&self->plans, g_hash_table_unref);
  G_OBJECT_CLASS (cx_timetable_names_parent_class)->finalize (object);
}

static void
cx_timetable_names_class_init (CxTimetableNamesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_timetable_names_finalize;
}

static void
cx_timetable_names_init (CxTimetableNames *self)
{
  self->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->units = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

CxTimetableNames *
cx_timetable_names_new (CxApplication *app)
{
  CxTimetableNames *self;

  g_return_val_if_fail (CX_IS_APPLICATION (app), NULL);

  self = g_object_new (CX_TYPE_TIMETABLE_NAMES, NULL);
  self->app = app;
  return self;
}
