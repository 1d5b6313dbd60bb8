/* cx-sync-page.c: the Sync page: sync now, pause, resume or cancel, and how
 * the last sync went; enrolling is in cx-sync-page-enrol.c
 *
 * The sync itself belongs to the app (CxSyncController) and goes on while
 * other pages are open; this page only shows it and passes on what is
 * pressed.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-store-catalog.h"
#include "cx-sync-display.h"
#include "cx-sync-error.h"
#include "cx-sync-page-private.h"

#define PULSE_INTERVAL_MS 150
#define TICK_SECONDS      60

G_DEFINE_FINAL_TYPE (CxSyncPage, cx_sync_page, ADW_TYPE_BIN)

void
_cx_sync_page_set_label (GtkLabel *label, const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

/* The buttons that fit the sync's state, and only one thing talks to the
 * hub at a time: no enrolment while a sync runs, and no sync while one is. */
void
_cx_sync_page_update_actions (CxSyncPage *self)
{
  CxSyncControllerState state = self->shown;
  gboolean enrolling = self->enrol_cancellable != NULL;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "sync.run",
                                 state == CX_SYNC_CONTROLLER_IDLE && !enrolling);
  gtk_widget_action_set_enabled (widget, "sync.pause", state == CX_SYNC_CONTROLLER_RUNNING);
  gtk_widget_action_set_enabled (widget, "sync.resume",
                                 state == CX_SYNC_CONTROLLER_PAUSED && !enrolling);
  gtk_widget_action_set_enabled (widget, "sync.cancel", state != CX_SYNC_CONTROLLER_IDLE);
  gtk_widget_action_set_enabled (widget, "sync.enroll",
                                 state != CX_SYNC_CONTROLLER_RUNNING && !enrolling);
  gtk_widget_action_set_enabled (widget, "sync.cancel-enrolment", enrolling);
  gtk_widget_set_visible (self->sync_button, state == CX_SYNC_CONTROLLER_IDLE);
  gtk_widget_set_visible (self->pause_button, state == CX_SYNC_CONTROLLER_RUNNING);
  gtk_widget_set_visible (self->resume_button, state == CX_SYNC_CONTROLLER_PAUSED);
  gtk_widget_set_visible (self->cancel_button, state != CX_SYNC_CONTROLLER_IDLE);
  gtk_widget_set_visible (self->enrol_spinner, enrolling);
  gtk_spinner_set_spinning (GTK_SPINNER (self->enrol_spinner), enrolling);
  gtk_widget_set_visible (self->enrol_cancel_button, enrolling);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hub_row), !enrolling);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_row), !enrolling);
}

/* --- progress ------------------------------------------------------------ */

static gboolean
pulse_cb (gpointer user_data)
{
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (user_data));
  return G_SOURCE_CONTINUE;
}

/* @fraction: below 0 when how much is left is not known */
static void
show_fraction (CxSyncPage *self, double fraction)
{
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  if (fraction < 0)
    {
      if (self->pulse_source == 0)
        self->pulse_source = g_timeout_add (PULSE_INTERVAL_MS, pulse_cb, self->progress_bar);
      return;
    }
  g_clear_handle_id (&self->pulse_source, g_source_remove);
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static void
hide_fraction (CxSyncPage *self)
{
  g_clear_handle_id (&self->pulse_source, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
}

static AdwActionRow *
ensure_package_row (CxSyncPage *self, const CxSyncProgress *p)
{
  AdwActionRow *row = g_hash_table_lookup (self->package_rows, p->package_key);
  GtkWidget *bar;

  if (row != NULL)
    return row;
  row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (
      ADW_PREFERENCES_ROW (row),
      p->package_title != NULL && *p->package_title != '\0' ? p->package_title : p->package_key);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  bar = gtk_progress_bar_new ();
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (bar, 120, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), -1);
  adw_action_row_add_suffix (row, bar);
  g_object_set_data (G_OBJECT (row), "bar", bar);
  gtk_list_box_append (self->packages_list, GTK_WIDGET (row));
  g_hash_table_insert (self->package_rows, g_strdup (p->package_key), row);
  gtk_widget_set_visible (GTK_WIDGET (self->packages_group), TRUE);
  return row;
}

static void
show_package (CxSyncPage *self, const CxSyncProgress *p)
{
  AdwActionRow *row = ensure_package_row (self, p);
  g_autofree char *step = cx_sync_display_describe_step (p);

  adw_action_row_set_subtitle (row, step);
  gtk_progress_bar_set_fraction (g_object_get_data (G_OBJECT (row), "bar"),
                                 cx_sync_display_package_fraction (p));
  g_object_set_data (G_OBJECT (row), "done",
                     GINT_TO_POINTER (p->install_step == CX_INSTALL_PHASE_DONE));
}

static void
clear_packages (CxSyncPage *self)
{
  g_hash_table_remove_all (self->package_rows);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self->packages_list)));)
    gtk_list_box_remove (self->packages_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->packages_group), FALSE);
}

/* @text: what the rows of packages not done yet say */
static void
mark_unfinished_packages (CxSyncPage *self, const char *text)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->package_rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    if (!GPOINTER_TO_INT (g_object_get_data (row, "done")))
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
}

static void
show_progress (CxSyncPage *self, const CxSyncProgress *p)
{
  g_autofree char *status = cx_sync_display_describe_progress (p);

  if (p->phase == CX_SYNC_PHASE_PACKAGES && p->package_key != NULL)
    show_package (self, p);
  gtk_label_set_text (self->status_label, status);
  show_fraction (self, cx_sync_display_fraction (p));
}

/* --- the app's sync, as it goes ------------------------------------------ */

static void
show_paused (CxSyncPage *self)
{
  hide_fraction (self);
  gtk_label_set_text (self->status_label,
                      _ ("Sync paused. What arrived is kept, and Resume goes on from there. "
                         "Automatic syncs wait until you resume."));
  _cx_sync_page_set_label (self->detail_label, NULL);
  mark_unfinished_packages (self, _ ("Paused; Resume goes on from here"));
}

static void
on_progress_changed_cb (CxSyncPage *self, const CxSyncProgress *progress)
{
  if (self->app != NULL && self->shown == CX_SYNC_CONTROLLER_RUNNING)
    show_progress (self, progress);
}

static void
show_state (CxSyncPage *self)
{
  CxSyncControllerState state = cx_sync_controller_get_state (self->controller);
  CxSyncControllerState was = self->shown;
  const CxSyncProgress *progress;

  self->shown = state;
  _cx_sync_page_update_actions (self);
  switch (state)
    {
    case CX_SYNC_CONTROLLER_RUNNING:
      if (was == CX_SYNC_CONTROLLER_RUNNING)
        break;
      /* A new run starts afresh; a resumed one keeps its packages' rows. */
      if (was == CX_SYNC_CONTROLLER_IDLE)
        clear_packages (self);
      gtk_label_set_text (self->status_label, was == CX_SYNC_CONTROLLER_PAUSED
                                                  ? _ ("Resuming…")
                                                  : _ ("Getting ready…"));
      _cx_sync_page_set_label (self->detail_label, NULL);
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      show_fraction (self, -1);
      progress = cx_sync_controller_get_progress (self->controller);
      if (progress != NULL)
        show_progress (self, progress);
      break;
    case CX_SYNC_CONTROLLER_PAUSED:
      show_paused (self);
      break;
    case CX_SYNC_CONTROLLER_IDLE:
    default:
      hide_fraction (self);
      /* Cancelled while paused: nothing is left to stop. */
      if (was == CX_SYNC_CONTROLLER_PAUSED)
        {
          g_autoptr (GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "");

          gtk_label_set_text (self->status_label, cx_sync_display_explain_error (cancelled));
          mark_unfinished_packages (self, _ ("Not finished; the next sync goes on from here"));
        }
      break;
    }
  _cx_sync_page_refresh (self);
}

static void
on_state_changed_cb (CxSyncPage *self)
{
  if (self->app != NULL)
    show_state (self);
}

static void
on_finished_cb (CxSyncPage *self, const CxSyncReport *report, const GError *error)
{
  CxSyncService *service;
  g_autoptr (CxSyncEnrolment) enrolment = NULL;

  if (self->app == NULL)
    return;
  service = cx_application_get_sync_service (self->app);
  enrolment = cx_sync_service_get_enrolment (service, NULL);
  if (self->shown == CX_SYNC_CONTROLLER_PAUSED &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      show_paused (self);
      return;
    }
  hide_fraction (self);
  mark_unfinished_packages (self, _ ("Not finished; the next sync goes on from here"));
  if (error == NULL)
    {
      g_autofree char *text = cx_sync_display_describe_report (report, enrolment != NULL);

      gtk_label_set_text (self->status_label, text);
      _cx_sync_page_set_label (self->detail_label, NULL);
    }
  else
    {
      gtk_label_set_text (self->status_label, cx_sync_display_explain_error (error));
      _cx_sync_page_set_label (
          self->detail_label,
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? NULL : error->message);
      if (g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNAUTHORIZED))
        self->refused = TRUE;
    }
  _cx_sync_page_refresh (self);
}

/* --- state --------------------------------------------------------------- */

static void
show_last_run (CxSyncPage *self)
{
  CxSyncService *service = cx_application_get_sync_service (self->app);
  g_autofree char *last_error = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;
  gint64 last_run = cx_sync_service_get_last_run (service, &last_error);

  if (last_run <= 0)
    {
      adw_action_row_set_subtitle (self->last_row, _ ("Never: this computer has not synced yet"));
      gtk_widget_set_visible (GTK_WIDGET (self->last_error_row), FALSE);
      return;
    }
  when = cx_sync_display_format_when (last_run);
  if (last_error != NULL && *last_error != '\0')
    /* TRANSLATORS: %s is when, e.g. "Today at 14:05" */
    text = g_strdup_printf (_ ("%s. It did not finish; everything on this computer still works, "
                               "and the next sync picks up where it stopped."),
                            when);
  else
    /* TRANSLATORS: %s is when, e.g. "Today at 14:05" */
    text = g_strdup_printf (_ ("%s. Everything went through."), when);
  adw_action_row_set_subtitle (self->last_row, text);
  adw_action_row_set_subtitle (self->last_error_row, last_error != NULL ? last_error : "");
  /* Not twice: the run that just failed shows it under the status already. */
  gtk_widget_set_visible (GTK_WIDGET (self->last_error_row),
                          last_error != NULL && *last_error != '\0' &&
                              g_strcmp0 (last_error, gtk_label_get_text (self->detail_label)) != 0);
}

/* @title: (nullable): %NULL hides the row */
static void
show_condition (CxSyncPage *self, const char *title, const char *text)
{
  gtk_widget_set_visible (GTK_WIDGET (self->conditions_row), title != NULL);
  if (title == NULL)
    return;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->conditions_row), title);
  adw_action_row_set_subtitle (self->conditions_row, text);
}

/* What keeps automatic syncs back right now, or when the next is due. The
 * network monitor only knows of a default route, and a hub on the school's
 * own network needs none, so none of this keeps Sync Now from running. */
static void
show_conditions (CxSyncPage *self)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  CxSyncService *service = cx_application_get_sync_service (self->app);
  g_autofree char *reason = NULL;
  g_autofree char *text = NULL;
  guint wait_seconds = 0;
  gint64 next;

  if (!g_network_monitor_get_network_available (monitor))
    {
      show_condition (self, _ ("No network"),
                      _ ("Syncs wait until there is one. Everything else works as usual, and a "
                         "hub on the school’s own network may still be reached with Sync Now."));
      return;
    }
  if (!g_settings_get_boolean (cx_application_get_settings (self->app), "auto-sync"))
    {
      show_condition (self, _ ("Automatic syncs are off"),
                      _ ("This computer syncs when you press Sync Now. Automatic syncs can be "
                         "turned on in Preferences."));
      return;
    }
  reason = cx_sync_service_check_conditions (service, monitor, &wait_seconds);
  if (reason != NULL)
    {
      /* TRANSLATORS: %s is the reason, e.g. "Outside the sync window (18:00-07:00)" */
      text = g_strdup_printf (_ ("%s. Sync Now runs anyway; the sync hours and the metered rule "
                                 "are in Preferences."),
                              reason);
      show_condition (self, _ ("Automatic syncs are waiting"), text);
      return;
    }
  /* None when paused, not enrolled or syncing. */
  next = cx_sync_controller_get_next_auto_sync (self->controller);
  if (next <= 0)
    {
      show_condition (self, NULL, NULL);
      return;
    }
  text = cx_sync_display_format_when (next);
  show_condition (self, _ ("Next automatic sync"), text);
}

static gboolean
has_hubs (CxSyncPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) hubs = cx_store_list_hubs (cx_application_get_store (self->app), &error);

  if (hubs == NULL)
    {
      g_debug ("Could not list the hubs: %s", error->message);
      return FALSE;
    }
  if (hubs->len > 0 && *gtk_editable_get_text (GTK_EDITABLE (self->hub_row)) == '\0')
    {
      /* Most schools enrol with the hub they already fetch packages from. */
      const CxHub *hub = g_ptr_array_index (hubs, 0);

      gtk_editable_set_text (GTK_EDITABLE (self->hub_row), hub->url);
    }
  return hubs->len > 0;
}

void
_cx_sync_page_refresh (CxSyncPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxSyncEnrolment) enrolment = NULL;
  gboolean enrolled;
  gboolean hubs;

  if (self->app == NULL || cx_application_get_sync_service (self->app) == NULL)
    return;
  enrolment = cx_sync_service_get_enrolment (cx_application_get_sync_service (self->app), &error);
  if (error != NULL && self->enrol_cancellable == NULL)
    {
      _cx_sync_page_set_label (self->enrol_message_label,
                               _ ("Cunxiao could not read whether this computer is "
                                  "enrolled."));
      _cx_sync_page_set_label (self->enrol_detail_label, error->message);
    }
  enrolled = enrolment != NULL;
  hubs = has_hubs (self);

  gtk_widget_set_visible (GTK_WIDGET (self->enrol_group), !enrolled || self->refused);
  gtk_widget_set_visible (GTK_WIDGET (self->hub_group), enrolled);
  if (enrolled)
    {
      adw_action_row_set_subtitle (self->school_row, enrolment->school);
      adw_action_row_set_subtitle (self->hub_url_row, enrolment->hub_url);
      if (*gtk_editable_get_text (GTK_EDITABLE (self->hub_row)) == '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->hub_row), enrolment->hub_url);
    }
  /* Not enrolled, a sync can still bring package updates from the hubs
   * the packages came from. */
  gtk_widget_set_visible (GTK_WIDGET (self->sync_group), enrolled || hubs);
  adw_preferences_group_set_description (
      self->sync_group,
      enrolled ? NULL
               : _ ("This computer is not enrolled yet, so a sync only fetches package updates. "
                    "Usage records and pupils’ work stay here until it is enrolled."));
  show_last_run (self);
  show_conditions (self);
}

/* --- sync ---------------------------------------------------------------- */

static void
run_sync (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxSyncPage *self = CX_SYNC_PAGE (widget);

  if (self->app != NULL && self->enrol_cancellable == NULL)
    cx_sync_controller_start (self->controller);
}

static void
pause_sync (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxSyncPage *self = CX_SYNC_PAGE (widget);

  if (self->app != NULL)
    cx_sync_controller_pause (self->controller);
}

static void
resume_sync (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxSyncPage *self = CX_SYNC_PAGE (widget);

  if (self->app != NULL && self->enrol_cancellable == NULL)
    cx_sync_controller_resume (self->controller);
}

static void
cancel_sync (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxSyncPage *self = CX_SYNC_PAGE (widget);
  gboolean running;

  if (self->app == NULL)
    return;
  running = cx_sync_controller_get_state (self->controller) == CX_SYNC_CONTROLLER_RUNNING;
  cx_sync_controller_cancel (self->controller);
  /* Until the run has stopped and says how far it got. */
  if (running)
    gtk_label_set_text (self->status_label, _ ("Stopping…"));
}

/* --- overrides ----------------------------------------------------------- */

static void
on_conditions_changed_cb (CxSyncPage *self)
{
  if (self->app != NULL)
    show_conditions (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  CxSyncPage *self = user_data;

  if (self->app != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      show_last_run (self);
      show_conditions (self);
    }
  return G_SOURCE_CONTINUE;
}

static void
cx_sync_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cx_sync_page_parent_class)->map (widget);
  _cx_sync_page_refresh (CX_SYNC_PAGE (widget));
}

static void
cx_sync_page_dispose (GObject *object)
{
  CxSyncPage *self = CX_SYNC_PAGE (object);

  /* The sync goes on without the page; an enrolment stops. */
  if (self->enrol_cancellable != NULL)
    g_cancellable_cancel (self->enrol_cancellable);
  g_clear_object (&self->enrol_cancellable);
  g_clear_object (&self->controller);
  g_clear_handle_id (&self->pulse_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_pointer (&self->package_rows, g_hash_table_unref);
  self->app = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_SYNC_PAGE);
  G_OBJECT_CLASS (cx_sync_page_parent_class)->dispose (object);
}

static void
cx_sync_page_class_init (CxSyncPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cx_sync_page_dispose;
  widget_class->map = cx_sync_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cunxiao/Cunxiao/ui/cx-sync-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, enrol_group);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, hub_row);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, enrol_message_label);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, enrol_detail_label);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, enrol_spinner);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, enrol_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, hub_group);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, school_row);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, hub_url_row);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, sync_group);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, sync_button);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, packages_group);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, packages_list);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, last_row);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, last_error_row);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, conditions_row);

  gtk_widget_class_install_action (widget_class, "sync.run", NULL, run_sync);
  gtk_widget_class_install_action (widget_class, "sync.pause", NULL, pause_sync);
  gtk_widget_class_install_action (widget_class, "sync.resume", NULL, resume_sync);
  gtk_widget_class_install_action (widget_class, "sync.cancel", NULL, cancel_sync);
  _cx_sync_page_class_init_enrolment (widget_class);
}

static void
cx_sync_page_init (CxSyncPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->package_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  _cx_sync_page_update_actions (self);
}

GtkWidget *
cx_sync_page_new (CxApplication *app)
{
  CxSyncPage *self;

  g_return_val_if_fail (CX_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (cx_application_get_sync_controller (app) != NULL, NULL);

  self = g_object_new (CX_TYPE_SYNC_PAGE, NULL);
  self->app = app;
  self->controller = g_object_ref (cx_application_get_sync_controller (app));
  g_signal_connect_object (self->controller, "notify::state", G_CALLBACK (on_state_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "progress-changed",
                           G_CALLBACK (on_progress_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "finished", G_CALLBACK (on_finished_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                           G_CALLBACK (on_conditions_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cx_application_get_settings (app), "changed::auto-sync",
                           G_CALLBACK (on_conditions_changed_cb), self, G_CONNECT_SWAPPED);
  self->tick_source = g_timeout_add_seconds (TICK_SECONDS, tick_cb, self);
  /* The sync may have started, or been paused, before the page was made. */
  show_state (self);
  return GTK_WIDGET (self);
}
