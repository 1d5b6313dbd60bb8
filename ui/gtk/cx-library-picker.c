/* cx-library-picker.c: a search of the library beside a lesson, to add from
 *
 * The Lessons page shows it next to the plan being edited, so material can
 * be dragged from it into the plan (each row is a drag source, as in the
 * Library) or added with a click. Only resources are listed: a unit or a
 * lesson is not something a plan holds.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-library-picker.h"
#include "cx-resource-row.h"

#define PICKER_LIMIT 25 /* a screenful, as the Library page shows, for the same reason */

struct _CxLibraryPicker
{
  AdwBin parent_instance;

  GtkSearchEntry *search_entry;
  GtkStack *stack;
  GtkListView *results_view;
  AdwStatusPage *status_page;

  CxLibrary *library;
};

G_DEFINE_FINAL_TYPE (CxLibraryPicker, cx_library_picker, ADW_TYPE_BIN)

enum
{
  PICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_status (CxLibraryPicker *self, const char *title, const char *description)
{
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_stack_set_visible_child_name (self->stack, "status");
}

static gboolean
is_resource (gpointer item, gpointer user_data)
{
  return cx_course_node_get_kind (CX_COURSE_NODE (item)) == CX_COURSE_NODE_RESOURCE;
}

static void
on_search_changed (CxLibraryPicker *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  g_autoptr (GError) error = NULL;
  g_autofree char *description = NULL;
  g_autoptr (GtkNoSelection) selection = NULL;
  GListModel *results;
  GtkFilterListModel *resources;

  if (self->library == NULL)
    return;
  if (*trimmed == '\0')
    {
      show_status (self, _ ("Find Material"),
                   _ ("Search the library, then drag what you find into the lesson, or click "
                      "it to add it at the end."));
      return;
    }
  results = cx_library_search (self->library, text, PICKER_LIMIT, &error);
  if (results == NULL)
    {
      show_status (self, _ ("The Library Cannot Be Searched"), error->message);
      return;
    }
  resources = gtk_filter_list_model_new (
      results, GTK_FILTER (gtk_custom_filter_new (is_resource, NULL, NULL)));
  if (g_list_model_get_n_items (G_LIST_MODEL (resources)) == 0)
    {
      g_object_unref (resources);
      description = g_strdup_printf (_ ("Nothing in the library matches “%s”."), text);
      show_status (self, _ ("No Results"), description);
      return;
    }
  selection = gtk_no_selection_new (G_LIST_MODEL (resources));
  gtk_list_view_set_model (self->results_view, GTK_SELECTION_MODEL (selection));
  gtk_stack_set_visible_child_name (self->stack, "results");
}

static void
on_row_open (CxResourceRow *row, CxCourseNode *node, CxLibraryPicker *self)
{
  g_signal_emit (self, signals[PICKED], 0, cx_course_node_get_resource_id (node));
}

static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *item, CxLibraryPicker *self)
{
  GtkWidget *row = cx_resource_row_new ();

  g_signal_connect (row, "open", G_CALLBACK (on_row_open), self);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, row);
}

static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  CxResourceRow *row = CX_RESOURCE_ROW (gtk_list_item_get_child (item));

  cx_resource_row_bind (row, CX_COURSE_NODE (gtk_list_item_get_item (item)), NULL);
}

static void
unbind_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  cx_resource_row_bind (CX_RESOURCE_ROW (gtk_list_item_get_child (item)), NULL, NULL);
}

static void
cx_library_picker_dispose (GObject *object)
{
  CxLibraryPicker *self = CX_LIBRARY_PICKER (object);

  g_clear_object (&self->library);
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_LIBRARY_PICKER);
  G_OBJECT_CLASS (cx_library_picker_parent_class)->dispose (object);
}

static void
cx_library_picker_class_init (CxLibraryPickerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cx_library_picker_dispose;

  /**
   * CxLibraryPicker::picked:
   * @resource_id: the resource clicked
   */
  signals[PICKED] = g_signal_new ("picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/cunxiao/Cunxiao/ui/cx-library-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPicker, stack);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPicker, results_view);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPicker, status_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
}

static void
cx_library_picker_init (CxLibraryPicker *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->results_view, factory);
  g_object_unref (factory);
}

GtkWidget *
cx_library_picker_new (CxLibrary *library)
{
  CxLibraryPicker *self = g_object_new (CX_TYPE_LIBRARY_PICKER, NULL);

  self->library = g_object_ref (library);
  on_search_changed (self);
  return GTK_WIDGET (self);
}

/* After a sync or a fetch the results may have changed. */
void
cx_library_picker_refresh (CxLibraryPicker *self)
{
  g_return_if_fail (CX_IS_LIBRARY_PICKER (self));
  on_search_changed (self);
}
