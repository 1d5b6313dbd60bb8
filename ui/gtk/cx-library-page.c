/* cx-library-page.c: packages, their course trees, search, and the viewer
 *
 * Browsing and search read the store on the main thread: both are a single
 * indexed query (see the library benchmark). Fetching a unit runs in a
 * worker with its own store connection, so the page stays usable.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-course-children.h"
#include "cx-installer.h"
#include "cx-library-page.h"
#include "cx-resource-row.h"
#include "cx-resource-viewer.h"
#include "cx-store-lessons.h"
#include "cx-usage-events.h"
#include "cx-window.h"

/* GTK 4.8's list view makes a row widget for up to 200 items whether they
 * are on screen or not, and making them, not searching, is what a
 * keystroke costs: a search shows a screenful, and more on request. A
 * teacher narrows a search rather than scrolls far. */
#define SEARCH_PAGE      25
#define SEARCH_LIMIT_MAX 200

struct _CxLibraryPage
{
  AdwBin parent_instance;

  GtkStack *view_stack;
  GtkSearchEntry *search_entry;
  GtkStack *list_stack;
  GtkListView *tree_view;
  GtkListView *results_view;
  GtkWidget *more_bar;
  GtkLabel *more_label;
  GtkWidget *more_button;
  AdwStatusPage *empty_page;
  GtkBox *viewer_box;
  GtkWidget *back_button;
  GtkLabel *viewer_title;
  GtkPopover *add_popover;
  GtkWidget *new_lesson_button;
  GtkBox *plans_box;
  GtkRevealer *fetch_revealer;
  GtkLabel *fetch_label;
  GtkProgressBar *fetch_progress;
  GtkWidget *fetch_cancel;

  CxApplication *app; /* not owned: it outlives its windows */
  GtkWidget *viewer;
  GCancellable *fetch_cancellable;
  gulong network_handler;

  /* What the viewer shows, for the usage journal and "Add to Lesson". */
  gint64 viewing_id;
  char *viewing_title;
  gint64 viewing_since;

  gint64 search_started; /* for the debug log's timing */
  GListStore *results;   /* what results_view shows */
  guint search_limit;    /* results shown for this search; more on request */
  gboolean tree_stale;   /* packages changed since the tree was made */
};

G_DEFINE_FINAL_TYPE (CxLibraryPage, cx_library_page, ADW_TYPE_BIN)

/* Loads nothing: a folded row only asks whether it could be expanded. */
static GListModel *
create_children (gpointer item, gpointer user_data)
{
  if (!cx_course_node_has_children (CX_COURSE_NODE (item)))
    return NULL;
  return cx_course_children_new (CX_COURSE_NODE (item));
}

static gboolean
is_online (void)
{
  return g_network_monitor_get_network_available (g_network_monitor_get_default ());
}

static void
show_empty (CxLibraryPage *self, const char *title, const char *description)
{
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

static void
load_tree (CxLibraryPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) packages = NULL;
  GtkTreeListModel *tree;

  self->tree_stale = FALSE;

  packages = cx_library_list_packages (cx_application_get_library (self->app), &error);
  if (packages == NULL)
    {
      show_empty (self, _ ("The Library Cannot Be Read"), error->message);
      return;
    }
  if (g_list_model_get_n_items (packages) == 0)
    {
      show_empty (self, _ ("No Courses Yet"),
                  _ ("Courses arrive with the next sync from the school’s hub."));
      return;
    }
  tree = gtk_tree_list_model_new (g_steal_pointer (&packages), FALSE, FALSE, create_children, NULL,
                                  NULL);
  gtk_list_view_set_model (self->tree_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (tree))));
  gtk_stack_set_visible_child_name (self->list_stack, "tree");
}

/* The next keystroke's results mostly repeat this one's. Results already
 * shown keep their node, so the list view keeps their rows instead of
 * building them again: that, not the search, is most of a keystroke's
 * cost. */
static void
show_results (CxLibraryPage *self, GListModel *found, guint n_found)
{
  g_autoptr (GHashTable) shown = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr (GPtrArray) nodes = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->results));

  for (guint i = 0; i < n_shown; i++)
    {
      g_autoptr (CxCourseNode) node = g_list_model_get_item (G_LIST_MODEL (self->results), i);
      gint64 id = cx_course_node_get_resource_id (node);

      /* Not a reference: the store holds the node until the splice below. */
      g_hash_table_insert (shown, g_memdup2 (&id, sizeof id), node);
    }
  for (guint i = 0; i < n_found; i++)
    {
      g_autoptr (CxCourseNode) node = g_list_model_get_item (found, i);
      gint64 id = cx_course_node_get_resource_id (node);
      CxCourseNode *same = g_hash_table_lookup (shown, &id);

      g_ptr_array_add (nodes, g_object_ref (same != NULL ? same : node));
    }
  g_list_store_splice (self->results, 0, n_shown, nodes->pdata, nodes->len);
}

/* With G_MESSAGES_DEBUG=Cunxiao, how long each search took to reach the
 * screen: the figure the app benchmark reports. */
static void
on_search_painted (GdkFrameClock *clock, CxLibraryPage *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_search_painted, self);
  g_debug ("search: %.1f ms from the search to its results painted (%s)",
           (g_get_monotonic_time () - self->search_started) / 1000.0,
           g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "results") == 0
               ? "results"
               : "course tree");
}

static void
time_search (CxLibraryPage *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  self->search_started = g_get_monotonic_time ();
  if (clock == NULL || g_signal_handler_find (clock, G_SIGNAL_MATCH_FUNC | G_SIGNAL_MATCH_DATA, 0,
                                              0, NULL, on_search_painted, self) != 0)
    return;
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_search_painted), self, 0);
}

/* One more than shown is asked for, to know whether there are more. */
static void
show_more_bar (CxLibraryPage *self, guint n_found)
{
  g_autofree char *text = NULL;
  gboolean more = n_found > self->search_limit;

  gtk_widget_set_visible (self->more_bar, more);
  if (!more)
    return;
  text = g_strdup_printf (ngettext ("Showing the first match. Type more to narrow the search.",
                                    "Showing the first %u matches. Type more to narrow the search.",
                                    self->search_limit),
                          self->search_limit);
  gtk_label_set_text (self->more_label, text);
  gtk_widget_set_visible (self->more_button, self->search_limit < SEARCH_LIMIT_MAX);
}

static void
search (CxLibraryPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) results = NULL;
  g_autofree char *description = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  guint n_found;

  time_search (self);
  if (*trimmed == '\0')
    {
      /* The tree as it was left, folds and all, unless the library changed. */
      if (self->tree_stale || gtk_list_view_get_model (self->tree_view) == NULL)
        load_tree (self);
      else
        gtk_stack_set_visible_child_name (self->list_stack, "tree");
      return;
    }
  results = cx_library_search (cx_application_get_library (self->app), text, self->search_limit + 1,
                               &error);
  if (results == NULL)
    {
      show_empty (self, _ ("The Library Cannot Be Searched"), error->message);
      return;
    }
  n_found = g_list_model_get_n_items (results);
  if (n_found == 0)
    {
      description = g_strdup_printf (_ ("Nothing in the library matches “%s”."), text);
      show_empty (self, _ ("No Results"), description);
      return;
    }
  show_results (self, results, MIN (n_found, self->search_limit));
  show_more_bar (self, n_found);
  gtk_stack_set_visible_child_name (self->list_stack, "results");
}

static void
on_search_changed (GtkSearchEntry *entry, CxLibraryPage *self)
{
  self->search_limit = SEARCH_PAGE;
  search (self);
}

static void
on_show_more (CxLibraryPage *self)
{
  self->search_limit = MIN (self->search_limit + 4 * SEARCH_PAGE, SEARCH_LIMIT_MAX);
  search (self);
}

static void
record_closed (CxLibraryPage *self)
{
  g_autoptr (JsonBuilder) payload = NULL;

  if (self->viewing_id == 0)
    return;
  payload = json_builder_new ();
  json_builder_begin_object (payload);
  json_builder_set_member_name (payload, "resource");
  json_builder_add_int_value (payload, self->viewing_id);
  json_builder_set_member_name (payload, "title");
  json_builder_add_string_value (payload, self->viewing_title);
  json_builder_set_member_name (payload, "seconds");
  json_builder_add_int_value (payload,
                              (g_get_monotonic_time () - self->viewing_since) / G_USEC_PER_SEC);
  cx_application_record (self->app, "resource.closed", payload);
  self->viewing_id = 0;
  g_clear_pointer (&self->viewing_title, g_free);
}

static void
on_back (GtkButton *button, CxLibraryPage *self)
{
  record_closed (self);
  cx_resource_viewer_show (CX_RESOURCE_VIEWER (self->viewer), NULL, NULL);
  gtk_stack_set_visible_child_name (self->view_stack, "browse");
}

/* @shown_title: (nullable): the title to show when the file is missing */
static void
open_resource (CxLibraryPage *self, gint64 id, const char *shown_title)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *title = NULL;
  g_autofree char *path = NULL;
  g_autoptr (JsonBuilder) payload = json_builder_new ();

  record_closed (self);
  path = cx_library_get_resource_file (cx_application_get_library (self->app), id, &kind, &title,
                                       &error);
  gtk_label_set_text (self->viewer_title, shown_title != NULL ? shown_title
                                          : title != NULL     ? title
                                                              : "");
  gtk_stack_set_visible_child_name (self->view_stack, "view");
  /* A missing file is shown by the viewer as such, with the reason. */
  cx_resource_viewer_show (CX_RESOURCE_VIEWER (self->viewer), path, kind);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_popover), path != NULL);
  gtk_widget_grab_focus (self->back_button);
  if (path == NULL)
    return;

  self->viewing_id = id;
  self->viewing_title = g_strdup (title);
  self->viewing_since = g_get_monotonic_time ();
  json_builder_begin_object (payload);
  json_builder_set_member_name (payload, "resource");
  json_builder_add_int_value (payload, id);
  json_builder_set_member_name (payload, "title");
  json_builder_add_string_value (payload, title);
  json_builder_set_member_name (payload, "kind");
  json_builder_add_string_value (payload, kind);
  cx_application_record (self->app, "resource.opened", payload);
}

static void
on_row_open (CxResourceRow *row, CxCourseNode *node, CxLibraryPage *self)
{
  open_resource (self, cx_course_node_get_resource_id (node), cx_course_node_get_title (node));
}

/* Adding to a plan: the popover lists the plans, newest first. */
static gboolean
add_to_plan (CxLibraryPage *self, gint64 plan_id, const char *plan_title)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  CxLessonItem item = { 0 };

  item.plan_id = plan_id;
  item.resource_id = self->viewing_id;
  item.title = self->viewing_title;
  if (cx_store_add_lesson_item (cx_application_get_store (self->app), &item, &error) == 0)
    {
      cx_window_toast (CX_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), error->message);
      return FALSE;
    }
  message = g_strdup_printf (_ ("Added to “%s”"), plan_title);
  cx_window_toast (CX_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), message);
  cx_application_lessons_changed (self->app);
  return TRUE;
}

static void
on_plan_clicked (GtkButton *button, CxLibraryPage *self)
{
  gint64 plan_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "plan-id"));

  gtk_popover_popdown (self->add_popover);
  add_to_plan (self, plan_id, gtk_button_get_label (button));
}

static void
on_new_lesson (GtkButton *button, CxLibraryPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  CxLessonPlan plan = { 0 };
  gint64 plan_id;

  gtk_popover_popdown (self->add_popover);
  plan.title = self->viewing_title;
  plan.lesson_date = date;
  plan_id = cx_store_create_lesson_plan (cx_application_get_store (self->app), &plan, &error);
  if (plan_id == 0)
    {
      cx_window_toast (CX_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), error->message);
      return;
    }
  if (cx_usage_events_record_lesson_prepared (cx_application_get_store (self->app), plan_id, NULL,
                                              &error) == 0)
    g_warning ("Could not record lesson plan %" G_GINT64_FORMAT ": %s", plan_id, error->message);
  g_clear_error (&error);
  if (add_to_plan (self, plan_id, plan.title))
    cx_window_open_lesson (CX_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), plan_id);
}

static void
fill_plans (CxLibraryPage *self)
{
  g_autoptr (GPtrArray) plans = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->plans_box))) != NULL)
    gtk_box_remove (self->plans_box, child);
  plans = cx_store_list_lesson_plans (cx_application_get_store (self->app), NULL);
  for (guint i = 0; plans != NULL && i < plans->len && i < 30; i++)
    {
      CxLessonPlan *plan = g_ptr_array_index (plans, i);
      GtkWidget *button = gtk_button_new_with_label (plan->title);

      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, plan->lesson_date);
      g_object_set_data (G_OBJECT (button), "plan-id", GSIZE_TO_POINTER ((gsize) plan->id));
      g_signal_connect (button, "clicked", G_CALLBACK (on_plan_clicked), self);
      gtk_box_append (self->plans_box, button);
    }
}

/* Fetching one more unit of a package, in a worker with its own store. */
typedef struct
{
  char *data_dir;
  char *package_key;
  char **units;
  CxLibraryPage *page; /* owned, for progress */
} FetchJob;

static void
fetch_job_free (FetchJob *job)
{
  g_free (job->data_dir);
  g_free (job->package_key);
  g_strfreev (job->units);
  g_clear_object (&job->page);
  g_free (job);
}

typedef struct
{
  CxLibraryPage *page;
  double fraction;
  char *text;
} FetchProgress;

static gboolean
show_fetch_progress (gpointer user_data)
{
  FetchProgress *progress = user_data;

  gtk_progress_bar_set_fraction (progress->page->fetch_progress, progress->fraction);
  gtk_progress_bar_set_text (progress->page->fetch_progress, progress->text);
  gtk_progress_bar_set_show_text (progress->page->fetch_progress, TRUE);
  g_object_unref (progress->page);
  g_free (progress->text);
  g_free (progress);
  return G_SOURCE_REMOVE;
}

static void
on_fetch_progress (const CxInstallProgress *p, gpointer user_data)
{
  FetchJob *job = user_data;
  FetchProgress *progress = g_new0 (FetchProgress, 1);
  g_autofree char *done = g_format_size (p->bytes_done);
  g_autofree char *total = g_format_size (p->bytes_total);

  progress->page = g_object_ref (job->page);
  progress->fraction = p->bytes_total > 0 ? (double) p->bytes_done / p->bytes_total : 0;
  if (p->phase == CX_INSTALL_PHASE_DOWNLOADING && p->eta_seconds >= 0)
    progress->text =
        g_strdup_printf (_ ("%s of %s, %lld s left"), done, total, (long long) p->eta_seconds);
  else
    progress->text = g_strdup_printf (_ ("%s of %s"), done, total);
  g_idle_add (show_fetch_progress, progress);
}

static void
fetch_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  FetchJob *job = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (job->data_dir, &error);
  g_autoptr (CxInstaller) installer = NULL;

  if (store != NULL)
    installer = cx_installer_new (store, &error);
  if (installer != NULL)
    {
      cx_installer_set_progress_func (installer, on_fetch_progress, job, NULL);
      if (cx_installer_refresh (installer, cancellable, &error) &&
          cx_installer_install (installer, job->package_key, (const char *const *) job->units, NULL,
                                cancellable, &error))
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_fetch_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CxLibraryPage *self = CX_LIBRARY_PAGE (source);
  g_autoptr (GError) error = NULL;
  CxWindow *window = CX_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));

  gtk_revealer_set_reveal_child (self->fetch_revealer, FALSE);
  g_clear_object (&self->fetch_cancellable);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && window != NULL)
        cx_window_toast (window, error->message);
      return;
    }
  if (window != NULL)
    cx_window_toast (window, _ ("The unit is on this computer now"));
  cx_application_library_changed (self->app);
}

static void
on_row_fetch (CxResourceRow *row, CxCourseNode *node, CxLibraryPage *self)
{
  FetchJob *job;
  g_autoptr (GTask) task = NULL;
  g_autofree char *label = NULL;
  const char *package_key = cx_course_node_get_package_key (node);

  if (self->fetch_cancellable != NULL)
    {
      cx_window_toast (CX_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                       _ ("Wait for the fetch under way to finish, or cancel it"));
      return;
    }
  job = g_new0 (FetchJob, 1);
  job->data_dir = g_strdup (cx_store_get_data_dir (cx_application_get_store (self->app)));
  job->package_key = g_strdup (package_key);
  if (cx_course_node_get_kind (node) == CX_COURSE_NODE_UNIT)
    job->units = cx_library_units_with (cx_application_get_library (self->app), package_key,
                                        cx_course_node_get_id (node));
  job->page = g_object_ref (self);

  self->fetch_cancellable = g_cancellable_new ();
  label = g_strdup_printf (_ ("Fetching “%s”"), cx_course_node_get_title (node));
  gtk_label_set_text (self->fetch_label, label);
  gtk_progress_bar_set_fraction (self->fetch_progress, 0);
  gtk_progress_bar_set_text (self->fetch_progress, NULL);
  gtk_revealer_set_reveal_child (self->fetch_revealer, TRUE);

  task = g_task_new (self, self->fetch_cancellable, on_fetch_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) fetch_job_free);
  g_task_run_in_thread (task, fetch_thread);
}

static void
on_fetch_cancel (GtkButton *button, CxLibraryPage *self)
{
  if (self->fetch_cancellable != NULL)
    g_cancellable_cancel (self->fetch_cancellable);
}

static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  CxLibraryPage *self = user_data;
  GtkWidget *row = cx_resource_row_new ();

  g_signal_connect (row, "open", G_CALLBACK (on_row_open), self);
  g_signal_connect (row, "fetch", G_CALLBACK (on_row_fetch), self);
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
      cx_resource_row_set_online (CX_RESOURCE_ROW (row), is_online ());
      cx_resource_row_bind (CX_RESOURCE_ROW (row), CX_COURSE_NODE (node), tree_row);
      return;
    }
  cx_resource_row_set_online (CX_RESOURCE_ROW (child), is_online ());
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
row_factory (CxLibraryPage *self, gboolean tree)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "tree", GINT_TO_POINTER (tree));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  return factory;
}

static void
on_library_changed (CxApplication *app, CxLibraryPage *self)
{
  self->tree_stale = TRUE;
  search (self);
}

static void
on_network_changed (GNetworkMonitor *monitor, gboolean available, CxLibraryPage *self)
{
  /* The Fetch buttons follow the network. */
  if (gtk_stack_get_visible_child (self->list_stack) ==
      gtk_stack_get_child_by_name (self->list_stack, "tree"))
    load_tree (self);
  else
    self->tree_stale = TRUE;
}

static void
cx_library_page_dispose (GObject *object)
{
  CxLibraryPage *self = CX_LIBRARY_PAGE (object);

  record_closed (self);
  if (self->fetch_cancellable != NULL)
    g_cancellable_cancel (self->fetch_cancellable);
  g_clear_object (&self->fetch_cancellable);
  if (self->network_handler != 0)
    g_clear_signal_handler (&self->network_handler, g_network_monitor_get_default ());
  if (self->app != NULL)
    g_signal_handlers_disconnect_by_data (self->app, self);
  self->app = NULL;
  g_clear_object (&self->results);
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_LIBRARY_PAGE);
  G_OBJECT_CLASS (cx_library_page_parent_class)->dispose (object);
}

static void
cx_library_page_class_init (CxLibraryPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cx_library_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cunxiao/Cunxiao/ui/cx-library-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, tree_view);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, results_view);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, more_bar);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, more_label);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, more_button);
  gtk_widget_class_bind_template_callback (widget_class, on_show_more);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, viewer_box);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, viewer_title);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, add_popover);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, new_lesson_button);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, plans_box);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, fetch_revealer);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, fetch_label);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, fetch_progress);
  gtk_widget_class_bind_template_child (widget_class, CxLibraryPage, fetch_cancel);
}

static void
cx_library_page_init (CxLibraryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->search_limit = SEARCH_PAGE;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->fetch_progress),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Fetch progress"), -1);
}

GtkWidget *
cx_library_page_new (CxApplication *app)
{
  CxLibraryPage *self = g_object_new (CX_TYPE_LIBRARY_PAGE, NULL);
  g_autoptr (GtkListItemFactory) tree_factory = row_factory (self, TRUE);
  g_autoptr (GtkListItemFactory) results_factory = row_factory (self, FALSE);

  self->app = app;
  self->viewer = cx_resource_viewer_new ();
  gtk_widget_set_vexpand (self->viewer, TRUE);
  gtk_box_append (self->viewer_box, self->viewer);
  gtk_list_view_set_factory (self->tree_view, tree_factory);
  gtk_list_view_set_factory (self->results_view, results_factory);
  self->results = g_list_store_new (CX_TYPE_COURSE_NODE);
  gtk_list_view_set_model (self->results_view, GTK_SELECTION_MODEL (gtk_no_selection_new (
                                                   g_object_ref (G_LIST_MODEL (self->results)))));

  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect (self->back_button, "clicked", G_CALLBACK (on_back), self);
  g_signal_connect (self->new_lesson_button, "clicked", G_CALLBACK (on_new_lesson), self);
  g_signal_connect_swapped (self->add_popover, "show", G_CALLBACK (fill_plans), self);
  g_signal_connect (self->fetch_cancel, "clicked", G_CALLBACK (on_fetch_cancel), self);
  g_signal_connect (app, "library-changed", G_CALLBACK (on_library_changed), self);
  self->network_handler = g_signal_connect (g_network_monitor_get_default (), "network-changed",
                                            G_CALLBACK (on_network_changed), self);
  load_tree (self);
  return GTK_WIDGET (self);
}

/* The row of @model at or after @from, at @depth, whose node has @id (or,
 * for a package, @id as its key); G_MAXUINT when there is none. */
static guint
find_row (GListModel *model, guint from, guint depth, const char *id)
{
  for (guint i = from; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GtkTreeListRow) row = g_list_model_get_item (model, i);
      g_autoptr (CxCourseNode) node = NULL;

      if (gtk_tree_list_row_get_depth (row) < depth)
        break; /* past the children of the row searched in */
      if (gtk_tree_list_row_get_depth (row) != depth)
        continue;
      node = gtk_tree_list_row_get_item (row);
      if (g_strcmp0 (depth == 0 ? cx_course_node_get_package_key (node)
                                : cx_course_node_get_id (node),
                     id) == 0)
        return i;
    }
  return G_MAXUINT;
}

static void
expand_row (GListModel *model, guint position)
{
  g_autoptr (GtkTreeListRow) row = g_list_model_get_item (model, position);

  gtk_tree_list_row_set_expanded (row, TRUE);
}

/**
 * cx_library_page_show_package:
 * @unit: (nullable): a unit of the package to unfold too
 *
 * Shows the course tree with the package (and the unit) unfolded and in
 * view, as a timetable entry links to them; says so when the package is not
 * on this computer.
 */
void
cx_library_page_show_package (CxLibraryPage *self, const char *package_key, const char *unit)
{
  GtkSelectionModel *selection;
  GListModel *rows;
  guint position;

  g_return_if_fail (CX_IS_LIBRARY_PAGE (self));
  g_return_if_fail (package_key != NULL);

  record_closed (self);
  gtk_stack_set_visible_child_name (self->view_stack, "browse");
  /* An emptied search shows the tree, made anew if the library changed. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (self->tree_stale || gtk_list_view_get_model (self->tree_view) == NULL)
    load_tree (self);
  gtk_stack_set_visible_child_name (self->list_stack, "tree");
  selection = gtk_list_view_get_model (self->tree_view);
  rows = selection != NULL ? G_LIST_MODEL (selection) : NULL;
  position = rows != NULL ? find_row (rows, 0, 0, package_key) : G_MAXUINT;
  if (position == G_MAXUINT)
    {
      g_autofree char *text = g_strdup_printf (
          _ ("The package “%s” is not on this computer yet; it comes with a sync"), package_key);

      cx_window_toast (CX_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), text);
      return;
    }
  expand_row (rows, position);
  if (unit != NULL && *unit != '\0')
    {
      guint unit_position = find_row (rows, position + 1, 1, unit);

      if (unit_position != G_MAXUINT)
        {
          expand_row (rows, unit_position);
          position = unit_position;
        }
    }
  gtk_widget_activate_action (GTK_WIDGET (self->tree_view), "list.scroll-to-item", "u", position);
}

/**
 * cx_library_page_open_resource:
 *
 * Opens an installed resource in the page's viewer, as a timetable entry's
 * recording is opened when its live class cannot be reached.
 */
void
cx_library_page_open_resource (CxLibraryPage *self, gint64 resource_id)
{
  g_return_if_fail (CX_IS_LIBRARY_PAGE (self));

  open_resource (self, resource_id, NULL);
}
