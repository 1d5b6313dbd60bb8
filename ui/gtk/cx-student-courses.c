/* cx-student-courses.c: a class's courses in student mode: tree, search, viewer
 *
 * The library's own models, narrowed to the packages of the class: a pupil
 * sees the courses of their grade only. Nothing is fetched from here; what
 * is not on this computer says so.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-course-children.h"
#include "cx-resource-row.h"
#include "cx-resource-viewer.h"
#include "cx-store-catalog.h"
#include "cx-store-classes.h"
#include "cx-store-packages.h"
#include "cx-student-courses.h"
#include "cx-student-events.h"

/* Search asks the library for this many and keeps the class's: enough for
 * a screenful after the other grades' are dropped. */
#define SEARCH_ASK   200
#define SEARCH_SHOWN 50

struct _CxStudentCourses
{
  AdwBin parent_instance;

  GtkStack *view_stack;
  GtkSearchEntry *search_entry;
  GtkStack *list_stack;
  GtkListView *tree_view;
  GtkListView *results_view;
  AdwStatusPage *empty_page;
  GtkBox *viewer_box;
  GtkWidget *back_button;
  GtkLabel *viewer_title;

  CxApplication *app; /* not owned: it outlives its windows */
  GtkWidget *viewer;
  char *class_name;
  char *pupil;              /* NULL when the pupil gave no name */
  GHashTable *package_keys; /* of the class's packages */
  GHashTable *version_ids;  /* their installed versions, for search results */
  GListStore *results;
};

G_DEFINE_FINAL_TYPE (CxStudentCourses, cx_student_courses, ADW_TYPE_BIN)

static GListModel *
create_children (gpointer item, gpointer user_data)
{
  if (!cx_course_node_has_children (CX_COURSE_NODE (item)))
    return NULL;
  return cx_course_children_new (CX_COURSE_NODE (item));
}

static gboolean
is_class_package (gpointer item, gpointer user_data)
{
  CxStudentCourses *self = user_data;
  const char *key = cx_course_node_get_package_key (CX_COURSE_NODE (item));

  return self->package_keys != NULL && key != NULL &&
         g_hash_table_contains (self->package_keys, key);
}

/* A search result knows its resource, not its package: the resource's
 * version tells. */
static gboolean
is_class_resource (CxStudentCourses *self, CxCourseNode *node)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxResource) resource = NULL;

  if (self->version_ids == NULL)
    return FALSE;
  resource = cx_store_get_resource (cx_application_get_store (self->app),
                                    cx_course_node_get_resource_id (node), NULL, &error);
  if (resource == NULL)
    {
      g_debug ("A search result cannot be read: %s", error->message);
      return FALSE;
    }
  return g_hash_table_contains (self->version_ids, &resource->version_id);
}

static void
show_empty (CxStudentCourses *self, const char *title, const char *description)
{
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

static gboolean
read_class_packages (CxStudentCourses *self, GError **error)
{
  g_autoptr (GPtrArray) packages = NULL;

  g_clear_pointer (&self->package_keys, g_hash_table_unref);
  g_clear_pointer (&self->version_ids, g_hash_table_unref);
  packages =
      cx_store_list_class_packages (cx_application_get_store (self->app), self->class_name, error);
  if (packages == NULL)
    return FALSE;
  self->package_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->version_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < packages->len; i++)
    {
      CxPackageStatus *status = g_ptr_array_index (packages, i);

      g_hash_table_add (self->package_keys, g_strdup (status->package_key));
      g_hash_table_add (self->version_ids,
                        g_memdup2 (&status->installed_version_id, sizeof (gint64)));
    }
  return TRUE;
}

/* A fresh tree each time: folds a pupil opened are not the next one's. */
static void
load_tree (CxStudentCourses *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) all = NULL;
  g_autoptr (GtkSelectionModel) selection = NULL;
  GtkFilterListModel *mine;
  GtkTreeListModel *tree;

  gtk_list_view_set_model (self->tree_view, NULL);
  if (self->class_name == NULL)
    return;
  if (!read_class_packages (self, &error) ||
      (all = cx_library_list_packages (cx_application_get_library (self->app), &error)) == NULL)
    {
      show_empty (self, _ ("The Courses Cannot Be Read"), error->message);
      return;
    }
  mine = gtk_filter_list_model_new (
      g_steal_pointer (&all), GTK_FILTER (gtk_custom_filter_new (is_class_package, self, NULL)));
  if (g_list_model_get_n_items (G_LIST_MODEL (mine)) == 0)
    {
      g_object_unref (mine);
      show_empty (self, _ ("No Courses for This Class Yet"),
                  _ ("A teacher installs the courses of this class’s grade."));
      return;
    }
  /* Each takes the one before; the list view takes its own reference. */
  tree = gtk_tree_list_model_new (G_LIST_MODEL (mine), FALSE, FALSE, create_children, NULL, NULL);
  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (tree)));
  gtk_list_view_set_model (self->tree_view, selection);
  gtk_stack_set_visible_child_name (self->list_stack, "tree");
}

static void
search (CxStudentCourses *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) found = NULL;
  g_autoptr (GPtrArray) mine = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *description = NULL;
  guint n_found;

  if (*trimmed == '\0')
    {
      if (gtk_list_view_get_model (self->tree_view) != NULL)
        gtk_stack_set_visible_child_name (self->list_stack, "tree");
      else
        load_tree (self);
      return;
    }
  found = cx_library_search (cx_application_get_library (self->app), text, SEARCH_ASK, &error);
  if (found == NULL)
    {
      show_empty (self, _ ("The Courses Cannot Be Searched"), error->message);
      return;
    }
  n_found = g_list_model_get_n_items (found);
  for (guint i = 0; i < n_found && mine->len < SEARCH_SHOWN; i++)
    {
      g_autoptr (CxCourseNode) node = g_list_model_get_item (found, i);

      if (is_class_resource (self, node))
        g_ptr_array_add (mine, g_steal_pointer (&node));
    }
  if (mine->len == 0)
    {
      description = g_strdup_printf (_ ("Nothing in your class’s courses matches “%s”."), text);
      show_empty (self, _ ("No Results"), description);
      return;
    }
  g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                       mine->pdata, mine->len);
  gtk_stack_set_visible_child_name (self->list_stack, "results");
}

static void
on_search_changed (GtkSearchEntry *entry, CxStudentCourses *self)
{
  search (self);
}

static void
close_viewer (CxStudentCourses *self)
{
  cx_resource_viewer_show (CX_RESOURCE_VIEWER (self->viewer), NULL, NULL);
  gtk_label_set_text (self->viewer_title, "");
  gtk_stack_set_visible_child_name (self->view_stack, "browse");
}

static void
on_back (CxStudentCourses *self)
{
  close_viewer (self);
}

/* The class and the resource; the pupil only if the school records names
 * (the core decides). */
static void
record_opened (CxStudentCourses *self, gint64 id, const char *title, const char *kind)
{
  g_autoptr (GError) error = NULL;

  if (cx_student_events_record_resource_opened (cx_application_get_store (self->app),
                                                self->class_name, self->pupil, id, title, kind,
                                                g_get_real_time () / G_USEC_PER_SEC, &error) == 0)
    g_warning ("Could not record a resource opened in student mode: %s", error->message);
}

static void
open_resource (CxStudentCourses *self, CxCourseNode *node)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *title = NULL;
  g_autofree char *path = NULL;
  gint64 id = cx_course_node_get_resource_id (node);

  path = cx_library_get_resource_file (cx_application_get_library (self->app), id, &kind, &title,
                                       &error);
  if (path == NULL)
    g_debug ("Resource %" G_GINT64_FORMAT " cannot be opened: %s", id, error->message);
  gtk_label_set_text (self->viewer_title, cx_course_node_get_title (node));
  gtk_stack_set_visible_child_name (self->view_stack, "view");
  /* A missing file is shown by the viewer as such, with the reason. */
  cx_resource_viewer_show (CX_RESOURCE_VIEWER (self->viewer), path, kind);
  gtk_widget_grab_focus (self->back_button);
  if (path != NULL)
    record_opened (self, id, title, kind);
}

static void
on_row_open (CxResourceRow *row, CxCourseNode *node, CxStudentCourses *self)
{
  open_resource (self, node);
}

static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  CxStudentCourses *self = user_data;
  GtkWidget *row = cx_resource_row_new ();

  g_signal_connect (row, "open", G_CALLBACK (on_row_open), self);
  gtk_list_item_set_activatable (item, FALSE);
  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "tree")))
    {
      GtkWidget *expander = gtk_tree_expander_new ();

      gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), row);
      gtk_list_item_set_child (item, expander);
    }
  else
    gtk_list_item_set_child (item, row);
}

/* Offline as far as the rows know: pupils do not fetch units. */
static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *child = gtk_list_item_get_child (item);
  gpointer object = gtk_list_item_get_item (item);

  if (GTK_IS_TREE_EXPANDER (child))
    {
      GtkTreeListRow *tree_row = GTK_TREE_LIST_ROW (object);
      g_autoptr (GObject) node = gtk_tree_list_row_get_item (tree_row);
      GtkWidget *row = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (child));

      gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (child), tree_row);
      cx_resource_row_set_online (CX_RESOURCE_ROW (row), FALSE);
      cx_resource_row_bind (CX_RESOURCE_ROW (row), CX_COURSE_NODE (node), tree_row);
      return;
    }
  cx_resource_row_set_online (CX_RESOURCE_ROW (child), FALSE);
  cx_resource_row_bind (CX_RESOURCE_ROW (child), CX_COURSE_NODE (object), NULL);
}

static void
unbind_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  if (GTK_IS_TREE_EXPANDER (child))
    {
      gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (child), NULL);
      child = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (child));
    }
  cx_resource_row_bind (CX_RESOURCE_ROW (child), NULL, NULL);
}

static GtkListItemFactory *
row_factory (CxStudentCourses *self, gboolean tree)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "tree", GINT_TO_POINTER (tree));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  return factory;
}

static void
on_library_changed (CxApplication *app, CxStudentCourses *self)
{
  load_tree (self);
  search (self);
}

static void
cx_student_courses_dispose (GObject *object)
{
  CxStudentCourses *self = CX_STUDENT_COURSES (object);

  if (self->app != NULL)
    g_signal_handlers_disconnect_by_data (self->app, self);
  self->app = NULL;
  g_clear_object (&self->results);
  /* The bin's child is a template child too: let go of it once, here. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_STUDENT_COURSES);
  G_OBJECT_CLASS (cx_student_courses_parent_class)->dispose (object);
}

static void
cx_student_courses_finalize (GObject *object)
{
  CxStudentCourses *self = CX_STUDENT_COURSES (object);

  g_free (self->class_name);
  g_free (self->pupil);
  g_clear_pointer (&self->package_keys, g_hash_table_unref);
  g_clear_pointer (&self->version_ids, g_hash_table_unref);
  G_OBJECT_CLASS (cx_student_courses_parent_class)->finalize (object);
}

static void
cx_student_courses_class_init (CxStudentCoursesClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cx_student_courses_dispose;
  G_OBJECT_CLASS (klass)->finalize = cx_student_courses_finalize;
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/cunxiao/Cunxiao/ui/cx-student-courses.ui");
  gtk_widget_class_bind_template_child (widget_class, CxStudentCourses, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CxStudentCourses, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CxStudentCourses, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CxStudentCourses, tree_view);
  gtk_widget_class_bind_template_child (widget_class, CxStudentCourses, results_view);
  gtk_widget_class_bind_template_child (widget_class, CxStudentCourses, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CxStudentCourses, viewer_box);
  gtk_widget_class_bind_template_child (widget_class, CxStudentCourses, back_button);
  gtk_widget_class_bind_template_child (widget_class, CxStudentCourses, viewer_title);
  gtk_widget_class_bind_template_callback (widget_class, on_back);
}

static void
cx_student_courses_init (CxStudentCourses *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cx_student_courses_new (CxApplication *app)
{
  CxStudentCourses *self = g_object_new (CX_TYPE_STUDENT_COURSES, NULL);
  g_autoptr (GtkListItemFactory) tree_factory = row_factory (self, TRUE);
  g_autoptr (GtkListItemFactory) results_factory = row_factory (self, FALSE);
  g_autoptr (GtkSelectionModel) results_selection = NULL;

  self->app = app;
  self->viewer = cx_resource_viewer_new ();
  cx_resource_viewer_block_external (CX_RESOURCE_VIEWER (self->viewer));
  gtk_widget_set_vexpand (self->viewer, TRUE);
  gtk_box_append (self->viewer_box, self->viewer);
  gtk_list_view_set_factory (self->tree_view, tree_factory);
  gtk_list_view_set_factory (self->results_view, results_factory);
  self->results = g_list_store_new (CX_TYPE_COURSE_NODE);
  results_selection =
      GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->results))));
  gtk_list_view_set_model (self->results_view, results_selection);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect (app, "library-changed", G_CALLBACK (on_library_changed), self);
  return GTK_WIDGET (self);
}

void
cx_student_courses_set_class (CxStudentCourses *self, const char *class_name)
{
  g_return_if_fail (CX_IS_STUDENT_COURSES (self));
  g_free (self->class_name);
  self->class_name = g_strdup (class_name);
  cx_student_courses_reset (self);
}

/**
 * cx_student_courses_reset:
 *
 * For the next pupil: no search text, no resource open, the tree folded.
 */
void
cx_student_courses_reset (CxStudentCourses *self)
{
  g_return_if_fail (CX_IS_STUDENT_COURSES (self));
  g_clear_pointer (&self->pupil, g_free);
  close_viewer (self);
  g_list_store_remove_all (self->results);
  /* Emptying the entry shows the tree; it is made afresh first. */
  load_tree (self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/**
 * cx_student_courses_set_pupil:
 * @pupil: (nullable): the pupil's name, %NULL when they gave none
 */
void
cx_student_courses_set_pupil (CxStudentCourses *self, const char *pupil)
{
  g_return_if_fail (CX_IS_STUDENT_COURSES (self));
  g_free (self->pupil);
  self->pupil = g_strdup (pupil);
}
