/* cx-lessons-page.c: lesson plans (备课): create, fill, reorder, annotate, teach
 *
 * Edits are saved half a second after the last keystroke, and at once when
 * another plan is opened or the window closes, so nothing typed is lost and
 * the store is not written on every key.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cx-assignments-view.h"
#include "cx-lesson-files.h"
#include "cx-lessons-page.h"
#include "cx-library-picker.h"
#include "cx-resource-kind.h"
#include "cx-resource-row.h"
#include "cx-store-catalog.h"
#include "cx-store-lessons.h"
#include "cx-teach-window.h"
#include "cx-usage-events.h"
#include "cx-window.h"

#define SAVE_DELAY_MS 500

struct _CxLessonsPage
{
  AdwBin parent_instance;

  AdwLeaflet *leaflet;
  GtkWidget *sidebar;
  GtkWidget *new_button;
  GtkListBox *plans_list;
  GtkStack *content_stack;
  GtkWidget *editor_scroller;
  GtkWidget *back_button;
  GtkWidget *teach_button;
  GtkWidget *library_button;
  GtkWidget *add_files_button;
  GtkWidget *duplicate_button;
  GtkBox *picker_box;
  GtkWidget *picker;
  AdwEntryRow *title_row;
  AdwEntryRow *class_row;
  AdwEntryRow *subject_row;
  AdwEntryRow *date_row;
  GtkTextView *objectives_view;
  GtkListBox *items_list;
  CxAssignmentsView *assignments_view;

  CxApplication *app; /* not owned */
  gint64 plan_id;     /* open in the editor, 0 if none */
  gboolean loading;   /* filling the editor: changes are not edits */
  guint save_source;
  GHashTable *pending_notes; /* item id → notes not yet saved */
  GCancellable *copy_cancellable;
};

G_DEFINE_FINAL_TYPE (CxLessonsPage, cx_lessons_page, ADW_TYPE_BIN)

static void fill_items (CxLessonsPage *self);

static void
toast (CxLessonsPage *self, const char *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (CX_IS_WINDOW (root))
    cx_window_toast (CX_WINDOW (root), text);
}

static CxStore *
store_of (CxLessonsPage *self)
{
  return cx_application_get_store (self->app);
}

static char *
objectives_text (CxLessonsPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->objectives_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Writes what is in the editor; a bad date or empty title is shown on its
 * row and the rest waits until it is fixed. */
static void
save_now (CxLessonsPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *objectives = NULL;
  CxLessonPlan plan = { 0 };
  GHashTableIter iter;
  gpointer key, value;
  gboolean changed = FALSE;

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->plan_id == 0)
    return;

  g_hash_table_iter_init (&iter, self->pending_notes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr (GError) notes_error = NULL;

      if (!cx_store_set_lesson_item_notes (store_of (self), *(gint64 *) key, value, &notes_error))
        toast (self, notes_error->message);
      changed = TRUE;
    }
  g_hash_table_remove_all (self->pending_notes);

  objectives = objectives_text (self);
  plan.id = self->plan_id;
  plan.title = (char *) gtk_editable_get_text (GTK_EDITABLE (self->title_row));
  plan.class_name = (char *) gtk_editable_get_text (GTK_EDITABLE (self->class_row));
  plan.subject = (char *) gtk_editable_get_text (GTK_EDITABLE (self->subject_row));
  plan.lesson_date = (char *) gtk_editable_get_text (GTK_EDITABLE (self->date_row));
  plan.objectives = objectives;
  gtk_widget_remove_css_class (GTK_WIDGET (self->title_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
  if (!cx_store_update_lesson_plan (store_of (self), &plan, &error))
    {
      gtk_widget_add_css_class (*plan.title == '\0' ? GTK_WIDGET (self->title_row)
                                                    : GTK_WIDGET (self->date_row),
                                "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->date_row), error->message);
    }
  else
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->date_row), NULL);
      changed = TRUE;
    }
  if (changed)
    cx_application_lessons_changed (self->app);
}

static gboolean
save_later_cb (gpointer user_data)
{
  CxLessonsPage *self = user_data;

  self->save_source = 0;
  save_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_save (CxLessonsPage *self)
{
  if (self->loading || self->plan_id == 0)
    return;
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_later_cb, self);
}

static void
on_notes_changed (GtkEditable *editable, CxLessonsPage *self)
{
  gint64 *id;

  if (self->loading)
    return;
  id = g_new (gint64, 1);
  *id = *(gint64 *) g_object_get_data (G_OBJECT (editable), "item-id");
  g_hash_table_replace (self->pending_notes, id, g_strdup (gtk_editable_get_text (editable)));
  schedule_save (self);
}

static void
move_item (CxLessonsPage *self, GtkWidget *button, int delta)
{
  g_autoptr (GError) error = NULL;
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (button), "item-id");
  int position = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "position"));

  save_now (self);
  if (position + delta < 0)
    return;
  if (!cx_store_move_lesson_item (store_of (self), id, position + delta, &error))
    toast (self, error->message);
  fill_items (self);
  cx_application_lessons_changed (self->app);
}

static void
on_up (GtkButton *button, CxLessonsPage *self)
{
  move_item (self, GTK_WIDGET (button), -1);
}

static void
on_down (GtkButton *button, CxLessonsPage *self)
{
  move_item (self, GTK_WIDGET (button), 1);
}

static void
on_remove (GtkButton *button, CxLessonsPage *self)
{
  g_autoptr (GError) error = NULL;
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (button), "item-id");

  save_now (self);
  if (!cx_store_remove_lesson_item (store_of (self), id, &error))
    toast (self, error->message);
  fill_items (self);
  cx_application_lessons_changed (self->app);
}

static GtkWidget *
item_button (CxLessonsPage *self,
             const CxLessonItem *item,
             const char *icon,
             char *label,
             GCallback callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);
  gint64 *id = g_new (gint64, 1);

  *id = item->id;
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "item-id", id, g_free);
  g_object_set_data (G_OBJECT (button), "position", GINT_TO_POINTER (item->position));
  g_signal_connect (button, "clicked", callback, self);
  g_free (label);
  return button;
}

static const char *
describe_item (CxLessonsPage *self, const CxLessonItem *item)
{
  const char *kind = item->file_path != NULL ? cx_resource_kind_for_path (item->file_path) : NULL;

  if (item->file_path == NULL)
    return item->resource_id != 0 ? _ ("From the library") : _ ("No longer in the library");
  if (g_strcmp0 (kind, "pdf") == 0)
    return _ ("Your PDF");
  if (g_strcmp0 (kind, "image") == 0)
    return _ ("Your picture");
  if (g_strcmp0 (kind, "video") == 0)
    return _ ("Your video");
  if (g_strcmp0 (kind, "audio") == 0)
    return _ ("Your recording");
  return _ ("Your file");
}

static void
fill_items (CxLessonsPage *self)
{
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->items_list))) != NULL)
    gtk_list_box_remove (self->items_list, child);
  items = cx_store_list_lesson_items (store_of (self), self->plan_id, &error);
  if (items == NULL)
    {
      toast (self, error->message);
      return;
    }
  self->loading = TRUE;
  for (guint i = 0; i < items->len; i++)
    {
      CxLessonItem *item = g_ptr_array_index (items, i);
      GtkWidget *row = adw_expander_row_new ();
      GtkWidget *notes = adw_entry_row_new ();
      g_autofree char *notes_label = g_strdup_printf (_ ("Notes for “%s”"), item->title);
      g_autofree char *title = g_strdup_printf ("%u. %s", i + 1, item->title);
      gint64 *id = g_new (gint64, 1);

      *id = item->id;
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), describe_item (self, item));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (notes), _ ("Notes (only you see them)"));
      gtk_editable_set_text (GTK_EDITABLE (notes), item->notes);
      gtk_accessible_update_property (GTK_ACCESSIBLE (notes), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      notes_label, -1);
      g_object_set_data_full (G_OBJECT (notes), "item-id", id, g_free);
      g_signal_connect (notes, "changed", G_CALLBACK (on_notes_changed), self);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), notes);
      if (i > 0)
        adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                                     item_button (self, item, "go-up-symbolic",
                                                  g_strdup_printf (_ ("Move “%s” up"), item->title),
                                                  G_CALLBACK (on_up)));
      if (i + 1 < items->len)
        adw_expander_row_add_action (
            ADW_EXPANDER_ROW (row),
            item_button (self, item, "go-down-symbolic",
                         g_strdup_printf (_ ("Move “%s” down"), item->title),
                         G_CALLBACK (on_down)));
      adw_expander_row_add_action (
          ADW_EXPANDER_ROW (row),
          item_button (self, item, "user-trash-symbolic",
                       g_strdup_printf (_ ("Remove “%s” from the lesson"), item->title),
                       G_CALLBACK (on_remove)));
      gtk_list_box_append (self->items_list, row);
    }
  self->loading = FALSE;
  gtk_widget_set_sensitive (self->teach_button, items->len > 0);
}

static void
fill_plans (CxLessonsPage *self)
{
  g_autoptr (GPtrArray) plans = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->plans_list))) != NULL)
    gtk_list_box_remove (self->plans_list, child);
  plans = cx_store_list_lesson_plans (store_of (self), &error);
  if (plans == NULL)
    {
      toast (self, error->message);
      return;
    }
  for (guint i = 0; i < plans->len; i++)
    {
      CxLessonPlan *plan = g_ptr_array_index (plans, i);
      GtkWidget *row = adw_action_row_new ();
      g_autoptr (GString) subtitle = g_string_new (plan->class_name);

      if (*plan->lesson_date != '\0')
        g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "",
                                plan->lesson_date);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), plan->title);
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "plan-id", GSIZE_TO_POINTER ((gsize) plan->id));
      gtk_list_box_append (self->plans_list, row);
      if (plan->id == self->plan_id)
        gtk_list_box_select_row (self->plans_list, GTK_LIST_BOX_ROW (row));
    }
}

static void
load_plan (CxLessonsPage *self, gint64 plan_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxLessonPlan) plan = NULL;

  save_now (self);
  plan = cx_store_get_lesson_plan (store_of (self), plan_id, &error);
  if (plan == NULL)
    {
      self->plan_id = 0;
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
      toast (self, error->message);
      return;
    }
  self->loading = TRUE;
  self->plan_id = plan_id;
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), plan->title);
  gtk_editable_set_text (GTK_EDITABLE (self->class_row), plan->class_name);
  gtk_editable_set_text (GTK_EDITABLE (self->subject_row), plan->subject);
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), plan->lesson_date);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->objectives_view), plan->objectives, -1);
  self->loading = FALSE;
  fill_items (self);
  cx_assignments_view_show_plan (self->assignments_view, self->app, plan_id);
  gtk_stack_set_visible_child_name (self->content_stack, "editor");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content_stack));
}

static void
on_plan_activated (GtkListBox *list, GtkListBoxRow *row, CxLessonsPage *self)
{
  load_plan (self, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "plan-id")));
}

/* A plan prepared counts in the monthly report; a journal that cannot be
 * written is no failure of the teacher's. */
static void
record_prepared (CxLessonsPage *self, gint64 plan_id)
{
  g_autoptr (GError) error = NULL;

  if (cx_usage_events_record_lesson_prepared (store_of (self), plan_id, NULL, &error) == 0)
    g_warning ("Could not record lesson plan %" G_GINT64_FORMAT ": %s", plan_id, error->message);
}

static void
on_new (GtkButton *button, CxLessonsPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  CxLessonPlan plan = { 0 };
  gint64 id;

  plan.title = (char *) _ ("New Lesson");
  plan.lesson_date = date;
  id = cx_store_create_lesson_plan (store_of (self), &plan, &error);
  if (id == 0)
    {
      toast (self, error->message);
      return;
    }
  record_prepared (self, id);
  cx_lessons_page_open_plan (self, id);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}

static void
on_duplicate (GtkButton *button, CxLessonsPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  gint64 id;

  save_now (self);
  title = g_strdup_printf (_ ("%s (copy)"), gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  id = cx_store_duplicate_lesson_plan (store_of (self), self->plan_id, title, &error);
  if (id == 0)
    {
      toast (self, error->message);
      return;
    }
  record_prepared (self, id);
  cx_lessons_page_open_plan (self, id);
  cx_application_lessons_changed (self->app);
}

static void
on_teach (GtkButton *button, CxLessonsPage *self)
{
  GtkWindow *teach;

  save_now (self);
  teach = GTK_WINDOW (cx_teach_window_new (self->app, self->plan_id));
  gtk_window_set_transient_for (teach, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (teach);
}

static void
on_back (GtkButton *button, CxLessonsPage *self)
{
  save_now (self);
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

/* Copying the teacher's files in: a worker with its own store connection,
 * so a large video does not freeze the window. */
typedef struct
{
  char *data_dir;
  gint64 plan_id;
  GPtrArray *paths;
} CopyJob;

static void
copy_job_free (CopyJob *job)
{
  g_free (job->data_dir);
  g_ptr_array_unref (job->paths);
  g_free (job);
}

static void
copy_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CopyJob *job = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (job->data_dir, &error);

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < job->paths->len; i++)
    if (cx_lesson_files_add (store, job->plan_id, g_ptr_array_index (job->paths, i), cancellable,
                             &error) == 0)
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
  g_task_return_boolean (task, TRUE);
}

static void
on_copied (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CxLessonsPage *self = CX_LESSONS_PAGE (source);
  g_autoptr (GError) error = NULL;

  g_clear_object (&self->copy_cancellable);
  gtk_widget_set_sensitive (self->add_files_button, TRUE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    toast (self, error->message);
  if (self->app == NULL)
    return;
  fill_items (self);
  cx_application_lessons_changed (self->app);
}

static void
copy_files_in (CxLessonsPage *self, GPtrArray *paths)
{
  g_autoptr (GTask) task = NULL;
  CopyJob *job;

  if (paths->len == 0 || self->plan_id == 0)
    return;
  save_now (self);
  job = g_new0 (CopyJob, 1);
  job->data_dir = g_strdup (cx_store_get_data_dir (store_of (self)));
  job->plan_id = self->plan_id;
  job->paths = g_ptr_array_ref (paths);
  self->copy_cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (self->add_files_button, FALSE);
  toast (self, _ ("Copying your files into the lesson…"));
  task = g_task_new (self, self->copy_cancellable, on_copied, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) copy_job_free);
  g_task_run_in_thread (task, copy_thread);
}

static void
on_chooser_response (GtkNativeDialog *dialog, int response, CxLessonsPage *self)
{
  g_autoptr (GListModel) files = NULL;
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr (GFile) file = g_list_model_get_item (files, i);
          char *path = g_file_get_path (file);

          if (path != NULL)
            g_ptr_array_add (paths, path);
        }
      copy_files_in (self, paths);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
on_add_files (GtkButton *button, CxLessonsPage *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
      _ ("Add Files to the Lesson"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
      GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Add"), _ ("_Cancel"));

  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* A library resource at the end of the open plan. */
static gboolean
add_library_resource (CxLessonsPage *self, gint64 id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxResource) resource = NULL;
  CxLessonItem item = { 0 };

  if (self->plan_id == 0)
    return FALSE;
  resource = cx_store_get_resource (store_of (self), id, NULL, &error);
  if (resource == NULL)
    {
      toast (self, error->message);
      return FALSE;
    }
  save_now (self);
  item.plan_id = self->plan_id;
  item.resource_id = id;
  item.title = resource->title;
  if (cx_store_add_lesson_item (store_of (self), &item, &error) == 0)
    {
      toast (self, error->message);
      return FALSE;
    }
  fill_items (self);
  cx_application_lessons_changed (self->app);
  return TRUE;
}

static gboolean
add_dropped_resource (CxLessonsPage *self, const char *text)
{
  gint64 id = 0;

  if (!g_str_has_prefix (text, CX_RESOURCE_DRAG_PREFIX) ||
      !g_ascii_string_to_signed (text + strlen (CX_RESOURCE_DRAG_PREFIX), 10, 1, G_MAXINT64, &id,
                                 NULL))
    return FALSE;
  return add_library_resource (self, id);
}

static void
on_picked (CxLibraryPicker *picker, gint64 resource_id, CxLessonsPage *self)
{
  add_library_resource (self, resource_id);
}

static void
on_library_changed (CxApplication *app, CxLessonsPage *self)
{
  cx_library_picker_refresh (CX_LIBRARY_PICKER (self->picker));
}

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, CxLessonsPage *self)
{
  if (self->plan_id == 0)
    return FALSE;
  if (G_VALUE_HOLDS (value, G_TYPE_STRING))
    return add_dropped_resource (self, g_value_get_string (value));
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

      for (GSList *l = g_value_get_boxed (value); l != NULL; l = l->next)
        {
          char *path = g_file_get_path (l->data);

          if (path != NULL)
            g_ptr_array_add (paths, path);
        }
      copy_files_in (self, paths);
      return paths->len > 0;
    }
  return FALSE;
}

/* Changes made elsewhere (the library's "Add to Lesson") show when this page
 * is next seen; while it is on screen, the editor is the one changing. */
static void
on_lessons_changed (CxApplication *app, CxLessonsPage *self)
{
  fill_plans (self);
  if (self->plan_id != 0 && !gtk_widget_get_mapped (GTK_WIDGET (self)))
    fill_items (self);
}

static void
cx_lessons_page_dispose (GObject *object)
{
  CxLessonsPage *self = CX_LESSONS_PAGE (object);

  if (self->app != NULL)
    {
      save_now (self);
      g_signal_handlers_disconnect_by_data (self->app, self);
      self->app = NULL;
    }
  if (self->copy_cancellable != NULL)
    g_cancellable_cancel (self->copy_cancellable);
  g_clear_object (&self->copy_cancellable);
  g_clear_pointer (&self->pending_notes, g_hash_table_unref);
  /* The bin's child is a template child too: let go of it once, here. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_LESSONS_PAGE);
  G_OBJECT_CLASS (cx_lessons_page_parent_class)->dispose (object);
}

static void
cx_lessons_page_class_init (CxLessonsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (CX_TYPE_ASSIGNMENTS_VIEW);
  G_OBJECT_CLASS (klass)->dispose = cx_lessons_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cunxiao/Cunxiao/ui/cx-lessons-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, sidebar);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, plans_list);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, editor_scroller);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, teach_button);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, library_button);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, add_files_button);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, picker_box);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, duplicate_button);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, title_row);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, class_row);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, subject_row);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, date_row);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, objectives_view);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, items_list);
  gtk_widget_class_bind_template_child (widget_class, CxLessonsPage, assignments_view);
}

static void
cx_lessons_page_init (CxLessonsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->pending_notes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

GtkWidget *
cx_lessons_page_new (CxApplication *app)
{
  CxLessonsPage *self = g_object_new (CX_TYPE_LESSONS_PAGE, NULL);
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType drop_types[] = { G_TYPE_STRING, GDK_TYPE_FILE_LIST };

  self->app = app;
  self->picker = cx_library_picker_new (cx_application_get_library (app));
  gtk_box_append (self->picker_box, self->picker);
  g_signal_connect (self->picker, "picked", G_CALLBACK (on_picked), self);
  g_signal_connect (app, "library-changed", G_CALLBACK (on_library_changed), self);
  gtk_drop_target_set_gtypes (drop, drop_types, G_N_ELEMENTS (drop_types));
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (self->editor_scroller, GTK_EVENT_CONTROLLER (drop));

  g_signal_connect (self->plans_list, "row-activated", G_CALLBACK (on_plan_activated), self);
  g_signal_connect (self->new_button, "clicked", G_CALLBACK (on_new), self);
  g_signal_connect (self->duplicate_button, "clicked", G_CALLBACK (on_duplicate), self);
  g_signal_connect (self->teach_button, "clicked", G_CALLBACK (on_teach), self);
  g_signal_connect (self->add_files_button, "clicked", G_CALLBACK (on_add_files), self);
  g_signal_connect (self->back_button, "clicked", G_CALLBACK (on_back), self);
  g_signal_connect_swapped (self->title_row, "changed", G_CALLBACK (schedule_save), self);
  g_signal_connect_swapped (self->class_row, "changed", G_CALLBACK (schedule_save), self);
  g_signal_connect_swapped (self->subject_row, "changed", G_CALLBACK (schedule_save), self);
  g_signal_connect_swapped (self->date_row, "changed", G_CALLBACK (schedule_save), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->objectives_view), "changed",
                            G_CALLBACK (schedule_save), self);
  g_signal_connect (app, "lessons-changed", G_CALLBACK (on_lessons_changed), self);
  fill_plans (self);
  return GTK_WIDGET (self);
}

void
cx_lessons_page_open_plan (CxLessonsPage *self, gint64 plan_id)
{
  g_return_if_fail (CX_IS_LESSONS_PAGE (self));
  load_plan (self, plan_id);
  fill_plans (self);
}
