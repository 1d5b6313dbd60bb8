/* cx-window.c: the main window: Today, Timetable, Library, Lessons and Sync */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-library-page.h"
#include "cx-lessons-page.h"
#include "cx-reports-page.h"
#include "cx-sync-display.h"
#include "cx-sync-page.h"
#include "cx-timetable-page.h"
#include "cx-today-page.h"
#include "cx-window.h"

struct _CxWindow
{
  AdwApplicationWindow parent_instance;

  AdwViewStack *stack;
  AdwToastOverlay *toast_overlay;
  GtkWidget *network_button;
  GtkImage *network_icon;
  GtkLabel *network_label;

  GtkWidget *lessons_page;
  GtkWidget *library_page;
  GtkWidget *timetable_page;
  char *sync_state; /* e.g. "Syncing 40 %", NULL when no sync runs or waits */
  gboolean sync_paused;
  gulong network_handler;
};

G_DEFINE_FINAL_TYPE (CxWindow, cx_window, ADW_TYPE_APPLICATION_WINDOW)

static GSettings *
settings_of (CxWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return app != NULL ? cx_application_get_settings (CX_APPLICATION (app)) : NULL;
}

/* The indicator informs and never blocks: everything but syncing works
 * offline, and clicking it only opens the Sync page. */
static void
update_network (CxWindow *self)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  gboolean online = g_network_monitor_get_network_available (monitor);
  const char *icon = online ? "network-wireless-symbolic" : "network-offline-symbolic";
  const char *text = online ? _ ("Online") : _ ("Offline");
  g_autofree char *tooltip = NULL;

  if (self->sync_state != NULL)
    {
      icon = self->sync_paused ? "media-playback-pause-symbolic" : "emblem-synchronizing-symbolic";
      text = self->sync_state;
    }
  tooltip = online ? g_strdup (_ ("A network is available; open Sync to sync now"))
                   : g_strdup (_ ("No network: everything but syncing works as usual"));
  gtk_image_set_from_icon_name (self->network_icon, icon);
  gtk_label_set_text (self->network_label, text);
  gtk_widget_set_tooltip_text (self->network_button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->network_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip, -1);
}

/* From the app's sync, which only says where it is: the indicator waits
 * for nothing. */
static void
show_sync_state (CxWindow *self, CxSyncController *controller, const CxSyncProgress *progress)
{
  CxSyncControllerState state = cx_sync_controller_get_state (controller);
  double fraction = progress != NULL ? cx_sync_display_fraction (progress) : -1;

  g_clear_pointer (&self->sync_state, g_free);
  self->sync_paused = state == CX_SYNC_CONTROLLER_PAUSED;
  if (state == CX_SYNC_CONTROLLER_PAUSED)
    self->sync_state = g_strdup (_ ("Sync paused"));
  else if (state == CX_SYNC_CONTROLLER_RUNNING && fraction >= 0)
    /* TRANSLATORS: in the header bar while a sync runs, e.g. "Syncing 40 %" */
    self->sync_state = g_strdup_printf (_ ("Syncing %d %%"), (int) (fraction * 100));
  else if (state == CX_SYNC_CONTROLLER_RUNNING)
    self->sync_state = g_strdup (_ ("Syncing…"));
  update_network (self);
}

static void
on_sync_state_changed_cb (CxWindow *self, GParamSpec *pspec, CxSyncController *controller)
{
  show_sync_state (self, controller, cx_sync_controller_get_progress (controller));
}

static void
on_sync_progress_cb (CxWindow *self, const CxSyncProgress *progress, CxSyncController *controller)
{
  show_sync_state (self, controller, progress);
}

static void
on_network_changed (GNetworkMonitor *monitor, gboolean available, gpointer user_data)
{
  update_network (CX_WINDOW (user_data));
}

static void
show_sync (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  cx_window_show_page (CX_WINDOW (widget), "sync");
}

static void
add_page (
    CxWindow *self, GtkWidget *page, const char *name, const char *title, const char *icon_name)
{
  adw_view_stack_add_titled (self->stack, page, name, title);
  adw_view_stack_page_set_icon_name (adw_view_stack_get_page (self->stack, page), icon_name);
}

static void
show_store_error (CxWindow *self, const GError *error)
{
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-error-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _ ("Cunxiao Cannot Open Its Store"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status), error->message);
  add_page (self, status, "error", _ ("Error"), "dialog-error-symbolic");
}

static gboolean
cx_window_close_request (GtkWindow *window)
{
  CxWindow *self = CX_WINDOW (window);
  GSettings *settings = settings_of (self);
  int width = 0, height = 0;

  if (settings != NULL)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->stack), "error") != 0)
        g_settings_set_string (settings, "last-page",
                               adw_view_stack_get_visible_child_name (self->stack));
    }
  return GTK_WINDOW_CLASS (cx_window_parent_class)->close_request (window);
}

static void
cx_window_dispose (GObject *object)
{
  CxWindow *self = CX_WINDOW (object);

  if (self->network_handler != 0)
    g_clear_signal_handler (&self->network_handler, g_network_monitor_get_default ());
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_WINDOW);
  G_OBJECT_CLASS (cx_window_parent_class)->dispose (object);
}

static void
cx_window_finalize (GObject *object)
{
  g_free (CX_WINDOW (object)->sync_state);
  G_OBJECT_CLASS (cx_window_parent_class)->finalize (object);
}

static void
cx_window_class_init (CxWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cx_window_dispose;
  object_class->finalize = cx_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = cx_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cunxiao/Cunxiao/ui/cx-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CxWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CxWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CxWindow, network_button);
  gtk_widget_class_bind_template_child (widget_class, CxWindow, network_icon);
  gtk_widget_class_bind_template_child (widget_class, CxWindow, network_label);
  gtk_widget_class_install_action (widget_class, "win.show-sync", NULL, show_sync);
}

static void
cx_window_init (CxWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cx_window_new:
 * @store_error: (nullable): why the store could not be opened; the window
 *   then says so instead of showing the pages
 */
CxWindow *
cx_window_new (CxApplication *app, const GError *store_error)
{
  CxWindow *self = g_object_new (CX_TYPE_WINDOW, "application", app, NULL);
  GSettings *settings = cx_application_get_settings (app);
  g_autofree char *last_page = g_settings_get_string (settings, "last-page");
  CxSyncController *controller;

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (store_error != NULL)
    {
      show_store_error (self, store_error);
      return self;
    }
  add_page (self, cx_today_page_new (app), "today", _ ("Today"), "x-office-calendar-symbolic");
  self->timetable_page = cx_timetable_page_new (app);
  add_page (self, self->timetable_page, "timetable", _ ("Timetable"), "view-grid-symbolic");
  self->library_page = cx_library_page_new (app);
  add_page (self, self->library_page, "library", _ ("Library"), "accessories-dictionary-symbolic");
  self->lessons_page = cx_lessons_page_new (app);
  add_page (self, self->lessons_page, "lessons", _ ("Lessons"), "x-office-presentation-symbolic");
  add_page (self, cx_sync_page_new (app), "sync", _ ("Sync"), "emblem-synchronizing-symbolic");
  add_page (self, cx_reports_page_new (app), "reports", _ ("Reports"),
            "x-office-spreadsheet-symbolic");
  if (adw_view_stack_get_child_by_name (self->stack, last_page) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, last_page);

  self->network_handler = g_signal_connect (g_network_monitor_get_default (), "network-changed",
                                            G_CALLBACK (on_network_changed), self);
  controller = cx_application_get_sync_controller (app);
  g_signal_connect_object (controller, "notify::state", G_CALLBACK (on_sync_state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "progress-changed", G_CALLBACK (on_sync_progress_cb), self,
                           G_CONNECT_SWAPPED);
  on_sync_state_changed_cb (self, NULL, controller);
  return self;
}

void
cx_window_show_page (CxWindow *self, const char *name)
{
  g_return_if_fail (CX_IS_WINDOW (self));
  if (adw_view_stack_get_child_by_name (self->stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, name);
}

void
cx_window_toast (CxWindow *self, const char *text)
{
  g_return_if_fail (CX_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

void
cx_window_open_lesson (CxWindow *self, gint64 plan_id)
{
  g_return_if_fail (CX_IS_WINDOW (self));
  if (self->lessons_page == NULL)
    return;
  cx_window_show_page (self, "lessons");
  cx_lessons_page_open_plan (CX_LESSONS_PAGE (self->lessons_page), plan_id);
}

/* The class's details over the Timetable page, at its week. */
void
cx_window_show_timetable_entry (CxWindow *self, const char *uuid)
{
  g_return_if_fail (CX_IS_WINDOW (self));
  if (self->timetable_page == NULL)
    return;
  cx_window_show_page (self, "timetable");
  cx_timetable_page_show_entry (CX_TIMETABLE_PAGE (self->timetable_page), uuid);
}

/* @unit: (nullable): the unit of the package to unfold too */
void
cx_window_open_package (CxWindow *self, const char *package_key, const char *unit)
{
  g_return_if_fail (CX_IS_WINDOW (self));
  if (self->library_page == NULL)
    return;
  cx_window_show_page (self, "library");
  cx_library_page_show_package (CX_LIBRARY_PAGE (self->library_page), package_key, unit);
}

/* A resource of the library in its viewer, like a class's recording. */
void
cx_window_open_resource (CxWindow *self, gint64 resource_id)
{
  g_return_if_fail (CX_IS_WINDOW (self));
  if (self->library_page == NULL)
    return;
  cx_window_show_page (self, "library");
  cx_library_page_open_resource (CX_LIBRARY_PAGE (self->library_page), resource_id);
}
