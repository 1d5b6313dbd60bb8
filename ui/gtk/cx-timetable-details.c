/* cx-timetable-details.c: one class of the timetable, its material, and its conflict if any
 *
 * Opens the linked lesson plan or package in the main window, and for the
 * school's own classes offers Edit. A class changed both here and at the
 * hub shows both versions side by side, the fields that differ marked,
 * until the school chooses one: nothing is dropped without being seen.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-sync-service.h"
#include "cx-timetable-details.h"
#include "cx-timetable-editor.h"
#include "cx-timetable-format.h"
#include "cx-timetable-live.h"
#include "cx-window.h"

struct _CxTimetableDetails
{
  AdwWindow parent_instance;

  GtkWidget *edit_button;
  GtkWidget *remove_button;
  CxTimetableLive *live;
  AdwToastOverlay *toast_overlay;
  GtkImage *form_icon;
  GtkLabel *form_label;
  GtkLabel *title_label;
  GtkLabel *when_label;
  GtkWidget *conflict_box;
  GtkLabel *conflict_explanation;
  GtkGrid *compare_grid;
  GtkSpinner *resolving_spinner;
  GtkWidget *keep_mine_button;
  GtkWidget *use_hub_button;
  AdwActionRow *teacher_row;
  AdwActionRow *partner_row;
  AdwActionRow *origin_row;
  AdwActionRow *sync_row;
  AdwActionRow *package_row;
  AdwActionRow *unit_row;
  AdwActionRow *plan_row;
  GtkWidget *open_package_button;
  GtkWidget *open_plan_button;

  CxApplication *app; /* not owned: it outlives its windows */
  CxTimetableNames *names;
  CxTimetableItem *item;
  CxTimetableItem *hub_version; /* NULL unless in conflict and readable */
  GCancellable *resolving;
};

G_DEFINE_FINAL_TYPE (CxTimetableDetails, cx_timetable_details, ADW_TYPE_WINDOW)

static void show_item (CxTimetableDetails *self);

static CxWindow *
main_window_of (CxTimetableDetails *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  return CX_IS_WINDOW (parent) ? CX_WINDOW (parent) : NULL;
}

static const CxTimetableEntry *
entry_of (CxTimetableDetails *self)
{
  return cx_timetable_item_get_entry (self->item);
}

static void
toast (CxTimetableDetails *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static const char *
or_dash (const char *text)
{
  return text != NULL && *text != '\0' ? text : "—";
}

static void
set_value (AdwActionRow *row, const char *value)
{
  adw_action_row_set_subtitle (row, or_dash (value));
}

/* One field of the two versions side by side. */
typedef struct
{
  const char *name;
  char *mine;
  char *hub;
  gboolean differs;
} Field;

static void
add_compare_row (CxTimetableDetails *self, int row, const Field *field)
{
  GtkWidget *name = gtk_label_new (field->name);
  const char *values[] = { field->mine, field->hub };

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_widget_add_css_class (name, "dim-label");
  gtk_grid_attach (self->compare_grid, name, 0, row, 1, 1);
  for (int column = 0; column < 2; column++)
    {
      GtkWidget *value = gtk_label_new (or_dash (values[column]));

      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_wrap (GTK_LABEL (value), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
      gtk_widget_set_hexpand (value, TRUE);
      if (field->differs)
        {
          gtk_widget_add_css_class (value, "tt-differs");
          gtk_accessible_update_property (GTK_ACCESSIBLE (value),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                          _ ("Differs between the two versions"), -1);
        }
      gtk_grid_attach (self->compare_grid, value, column + 1, row, 1, 1);
    }
}

static char *
package_text (CxTimetableDetails *self, const CxTimetableEntry *entry)
{
  const char *title = cx_timetable_names_get_package (self->names, entry->package_key);

  return g_strdup (title != NULL ? title : entry->package_key);
}

static char *
unit_text (CxTimetableDetails *self, const CxTimetableEntry *entry)
{
  const char *title = cx_timetable_names_get_unit (self->names, entry->package_key, entry->unit);

  return g_strdup (title != NULL ? title : entry->unit);
}

static void
fill_compare_grid (CxTimetableDetails *self)
{
  const CxTimetableEntry *mine = entry_of (self);
  const CxTimetableEntry *hub = cx_timetable_item_get_entry (self->hub_version);
  CxTimetableFields differ = cx_timetable_item_compare (self->item, self->hub_version);
  GtkWidget *child;
  Field fields[] = {
    { _ ("Activity form"), g_strdup (cx_activity_form_get_label (mine->form)),
      g_strdup (cx_activity_form_get_label (hub->form)), differ & CX_TIMETABLE_FIELD_FORM },
    { _ ("Subject"), g_strdup (mine->subject), g_strdup (hub->subject),
      differ & CX_TIMETABLE_FIELD_SUBJECT },
    { _ ("Class"), g_strdup (mine->class_name), g_strdup (hub->class_name),
      differ & CX_TIMETABLE_FIELD_CLASS },
    { _ ("Teacher"), g_strdup (mine->teacher), g_strdup (hub->teacher),
      differ & CX_TIMETABLE_FIELD_TEACHER },
    { _ ("Partner school"), g_strdup (mine->partner_school), g_strdup (hub->partner_school),
      differ & CX_TIMETABLE_FIELD_PARTNER },
    { _ ("Day"), cx_timetable_format_day (mine->starts_at),
      cx_timetable_format_day (hub->starts_at), FALSE },
    { _ ("Time"), cx_timetable_format_range (mine), cx_timetable_format_range (hub),
      differ & (CX_TIMETABLE_FIELD_STARTS | CX_TIMETABLE_FIELD_ENDS) },
    { _ ("Package"), package_text (self, mine), package_text (self, hub),
      differ & CX_TIMETABLE_FIELD_PACKAGE },
    { _ ("Unit"), unit_text (self, mine), unit_text (self, hub), differ & CX_TIMETABLE_FIELD_UNIT },
    { _ ("Live stream"), g_strdup (mine->live_url), g_strdup (hub->live_url),
      differ & CX_TIMETABLE_FIELD_LIVE_URL },
    { _ ("Instead of the live class"), g_strdup (mine->fallback), g_strdup (hub->fallback),
      differ & CX_TIMETABLE_FIELD_FALLBACK },
  };
  const char *headings[] = { _ ("This computer"), _ ("The hub") };

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->compare_grid))) != NULL)
    gtk_grid_remove (self->compare_grid, child);
  for (int column = 0; column < 2; column++)
    {
      GtkWidget *heading = gtk_label_new (headings[column]);

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      gtk_grid_attach (self->compare_grid, heading, column + 1, 0, 1, 1);
    }
  fields[5].differs = g_strcmp0 (fields[5].mine, fields[5].hub) != 0;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      add_compare_row (self, (int) i + 1, &fields[i]);
      g_free (fields[i].mine);
      g_free (fields[i].hub);
    }
}

static void
show_conflict (CxTimetableDetails *self)
{
  g_autoptr (GError) error = NULL;

  g_clear_object (&self->hub_version);
  gtk_widget_set_visible (self->conflict_box, entry_of (self)->conflict != NULL);
  if (entry_of (self)->conflict == NULL)
    return;
  self->hub_version = cx_timetable_item_get_hub_version (self->item, &error);
  gtk_widget_set_visible (GTK_WIDGET (self->compare_grid), self->hub_version != NULL);
  gtk_widget_set_visible (self->use_hub_button, self->hub_version != NULL);
  if (self->hub_version == NULL)
    {
      g_autofree char *text = g_strdup_printf (
          _ ("This computer changed this class, and the hub refused the change without saying "
             "what it holds now (%s). Keep Mine sends this computer’s version again at the next "
             "sync."),
          error->message);

      gtk_label_set_text (self->conflict_explanation, text);
      return;
    }
  /* A removal on either side has nothing to compare field by field. */
  if (cx_timetable_item_get_entry (self->hub_version)->deleted || entry_of (self)->deleted)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->compare_grid), FALSE);
      gtk_label_set_text (self->conflict_explanation,
                          entry_of (self)->deleted
                              ? _ ("This computer removed this class, and meanwhile the hub "
                                   "changed it. Keep Mine removes it at the hub too; Use the "
                                   "Hub’s brings it back here.")
                              : _ ("This computer changed this class, and meanwhile it was "
                                   "removed at the hub. Keep Mine puts it back with this "
                                   "computer’s changes; Use the Hub’s removes it here too."));
      return;
    }
  gtk_label_set_text (self->conflict_explanation,
                      _ ("This computer changed this class after the hub last sent it, and the hub "
                         "has a newer version too. Choose the one to keep; the other is "
                         "discarded. Until you choose, this computer’s version stays here and is "
                         "not sent."));
  fill_compare_grid (self);
}

static void
show_item (CxTimetableDetails *self)
{
  const CxTimetableEntry *entry = entry_of (self);
  g_autofree char *title = cx_timetable_format_title (entry);
  g_autofree char *day = cx_timetable_format_day (entry->starts_at);
  g_autofree char *range = cx_timetable_format_range (entry);
  g_autofree char *when = g_strdup_printf ("%s %s", day, range);
  g_autofree char *package = NULL, *unit = NULL;
  const char *plan = cx_timetable_names_get_plan (self->names, entry->lesson_plan_id);
  gboolean own = cx_timetable_item_can_edit (self->item);
  gboolean has_package = entry->package_key != NULL && *entry->package_key != '\0';

  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_image_set_from_icon_name (self->form_icon, cx_timetable_form_icon (entry->form));
  cx_timetable_set_form_class (GTK_WIDGET (self->form_icon), entry->form);
  gtk_label_set_text (self->form_label, cx_activity_form_get_label (entry->form));
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->when_label, when);

  set_value (self->teacher_row, entry->teacher);
  set_value (self->partner_row, entry->partner_school);
  set_value (self->origin_row, own ? _ ("The school’s own; it can be changed here")
                                   : _ ("The district’s shared timetable; only the district "
                                        "changes it"));
  set_value (self->sync_row, entry->conflict != NULL ? _ ("Waiting for you to choose a version")
                             : entry->dirty          ? _ ("Not yet sent; it goes at the next sync")
                                                     : _ ("Up to date with the last sync"));

  package = has_package ? package_text (self, entry) : NULL;
  unit = entry->unit != NULL && *entry->unit != '\0' ? unit_text (self, entry) : NULL;
  set_value (self->package_row, package);
  set_value (self->unit_row, unit);
  gtk_widget_set_visible (GTK_WIDGET (self->unit_row), unit != NULL);
  set_value (self->plan_row, plan != NULL ? plan
                             : own        ? _ ("None yet: Edit links one of the class’s plans")
                                          : NULL);

  gtk_widget_set_visible (self->edit_button, own);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.edit", own);
  gtk_widget_set_visible (self->remove_button, own);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.remove", own);
  cx_timetable_live_show (self->live, self->app, entry);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.open-plan", plan != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.open-package", has_package);
  gtk_widget_set_visible (self->open_plan_button, plan != NULL);
  gtk_widget_set_visible (self->open_package_button, has_package);
  show_conflict (self);
}

static void
open_plan (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxTimetableDetails *self = CX_TIMETABLE_DETAILS (widget);
  CxWindow *window = main_window_of (self);

  if (window == NULL)
    return;
  cx_window_open_lesson (window, entry_of (self)->lesson_plan_id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
open_package (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxTimetableDetails *self = CX_TIMETABLE_DETAILS (widget);
  CxWindow *window = main_window_of (self);

  if (window == NULL)
    return;
  cx_window_open_package (window, entry_of (self)->package_key, entry_of (self)->unit);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
edit (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxTimetableDetails *self = CX_TIMETABLE_DETAILS (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkWidget *editor = cx_timetable_editor_new (self->app, self->item, NULL, self->names);

  gtk_window_set_transient_for (GTK_WINDOW (editor), parent);
  gtk_window_destroy (GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_remove_response (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  CxTimetableDetails *self = CX_TIMETABLE_DETAILS (user_data);
  g_autoptr (GError) error = NULL;
  CxWindow *window;

  if (g_strcmp0 (response, "remove") != 0 || self->app == NULL)
    return;
  if (!cx_store_delete_timetable_entry (cx_application_get_store (self->app),
                                        cx_timetable_item_get_uuid (self->item), &error))
    {
      toast (self, error->message);
      return;
    }
  cx_application_timetable_changed (self->app);
  window = main_window_of (self);
  if (window != NULL)
    cx_window_toast (window, _ ("The class is removed. The hub learns of it at the next sync."));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
ask_remove (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxTimetableDetails *self = CX_TIMETABLE_DETAILS (widget);
  g_autofree char *title = cx_timetable_format_title (entry_of (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _ ("Remove This Class?"), NULL);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _ ("“%s” leaves the timetable here and, at the next sync, on "
                                     "the school’s other computers."),
                                  title);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "remove",
                                    _ ("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Settling a conflict, in a worker with its own store connection: it reads
 * the whole timetable and writes in a transaction, and a sync may hold the
 * store meanwhile. */
typedef struct
{
  char *data_dir;
  char *uuid;
  gboolean keep_local;
} ResolveJob;

static void
resolve_job_free (ResolveJob *job)
{
  g_free (job->data_dir);
  g_free (job->uuid);
  g_free (job);
}

static void
resolve_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ResolveJob *job = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxSyncService) service = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  store = cx_store_open (job->data_dir, &error);
  if (store != NULL)
    {
      service = cx_sync_service_new (store);
      if (cx_sync_service_resolve_timetable_conflict (service, job->uuid, job->keep_local, &error))
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
set_resolving (CxTimetableDetails *self, gboolean resolving)
{
  gtk_spinner_set_spinning (self->resolving_spinner, resolving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.keep-mine", !resolving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.use-hub", !resolving);
}

static void
on_resolved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CxTimetableDetails *self = CX_TIMETABLE_DETAILS (source);
  gboolean keep_local = GPOINTER_TO_INT (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxTimetableItem) item = NULL;

  g_clear_object (&self->resolving);
  set_resolving (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  if (self->app == NULL)
    return;
  cx_application_timetable_changed (self->app);
  item = cx_timetable_find_item (cx_application_get_store (self->app),
                                 cx_timetable_item_get_uuid (self->item), &error);
  if (item == NULL && g_error_matches (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND))
    {
      /* The version kept is a removal: the class is gone. */
      CxWindow *window = main_window_of (self);

      if (window != NULL)
        cx_window_toast (window, _ ("The class is removed from the timetable."));
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (item == NULL)
    {
      toast (self, error->message);
      return;
    }
  g_set_object (&self->item, item);
  show_item (self);
  toast (self, keep_local ? _ ("Your version is kept. It goes to the hub at the next sync.")
                          : _ ("The hub’s version is kept."));
  gtk_widget_grab_focus (GTK_WIDGET (self->title_label));
}

static void
resolve (CxTimetableDetails *self, gboolean keep_local)
{
  g_autoptr (GTask) task = NULL;
  ResolveJob *job;

  if (self->resolving != NULL || self->app == NULL)
    return;
  job = g_new0 (ResolveJob, 1);
  job->data_dir = g_strdup (cx_store_get_data_dir (cx_application_get_store (self->app)));
  job->uuid = g_strdup (cx_timetable_item_get_uuid (self->item));
  job->keep_local = keep_local;
  self->resolving = g_cancellable_new ();
  set_resolving (self, TRUE);
  task = g_task_new (self, self->resolving, on_resolved, GINT_TO_POINTER (keep_local));
  g_task_set_source_tag (task, resolve);
  g_task_set_task_data (task, job, (GDestroyNotify) resolve_job_free);
  g_task_run_in_thread (task, resolve_thread);
}

static void
keep_mine (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  resolve (CX_TIMETABLE_DETAILS (widget), TRUE);
}

static void
use_hub (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  resolve (CX_TIMETABLE_DETAILS (widget), FALSE);
}

static void
cx_timetable_details_dispose (GObject *object)
{
  CxTimetableDetails *self = CX_TIMETABLE_DETAILS (object);

  if (self->resolving != NULL)
    g_cancellable_cancel (self->resolving);
  g_clear_object (&self->resolving);
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_TIMETABLE_DETAILS);
  g_clear_object (&self->item);
  g_clear_object (&self->hub_version);
  g_clear_object (&self->names);
  G_OBJECT_CLASS (cx_timetable_details_parent_class)->dispose (object);
}

static void
cx_timetable_details_class_init (CxTimetableDetailsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cx_timetable_details_dispose;

  g_type_ensure (CX_TYPE_TIMETABLE_LIVE);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/cunxiao/Cunxiao/ui/cx-timetable-details.ui");
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, edit_button);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, remove_button);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, live);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, form_icon);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, form_label);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, title_label);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, when_label);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, conflict_box);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, conflict_explanation);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, compare_grid);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, resolving_spinner);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, keep_mine_button);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, use_hub_button);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, teacher_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, partner_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, origin_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, sync_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, package_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, unit_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, plan_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, open_package_button);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableDetails, open_plan_button);

  gtk_widget_class_install_action (widget_class, "details.open-plan", NULL, open_plan);
  gtk_widget_class_install_action (widget_class, "details.open-package", NULL, open_package);
  gtk_widget_class_install_action (widget_class, "details.edit", NULL, edit);
  gtk_widget_class_install_action (widget_class, "details.remove", NULL, ask_remove);
  gtk_widget_class_install_action (widget_class, "details.keep-mine", NULL, keep_mine);
  gtk_widget_class_install_action (widget_class, "details.use-hub", NULL, use_hub);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cx_timetable_details_init (CxTimetableDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cx_timetable_details_new:
 * @names: the titles of what entries link to, shared with the page
 *
 * Returns: (transfer floating): the window, to set transient for the main
 *   window and present
 */
GtkWidget *
cx_timetable_details_new (CxApplication *app, CxTimetableItem *item, CxTimetableNames *names)
{
  CxTimetableDetails *self;

  g_return_val_if_fail (CX_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (CX_IS_TIMETABLE_ITEM (item), NULL);
  g_return_val_if_fail (CX_IS_TIMETABLE_NAMES (names), NULL);

  self = g_object_new (CX_TYPE_TIMETABLE_DETAILS, "application", app, NULL);
  self->app = app;
  self->item = g_object_ref (item);
  self->names = g_object_ref (names);
  show_item (self);
  return GTK_WIDGET (self);
}
