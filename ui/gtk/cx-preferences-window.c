/* cx-preferences-window.c: the Preferences window: how syncs use the link, and teach mode
 *
 * The bandwidth cap, automatic syncs and the timer are per-user GSettings;
 * the sync hours and the metered rule live in the store, where
 * `cunxiao-cli sync` reads them too.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-preferences-window.h"
#include "cx-sync-window.h"

struct _CxPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GtkSpinButton *rate_spin;
  GtkSwitch *auto_switch;
  AdwEntryRow *window_row;
  GtkLabel *window_message_label;
  GtkSwitch *metered_switch;
  GtkSwitch *timer_switch;

  CxApplication *app; /* not owned: the app outlives its windows */
  gboolean loading;   /* filling in the stored values: changes are not edits */
};

G_DEFINE_FINAL_TYPE (CxPreferencesWindow, cx_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static CxSyncService *
service_of (CxPreferencesWindow *self)
{
  return cx_application_get_sync_service (self->app);
}

static void
toast (CxPreferencesWindow *self, const char *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

/* Under the hours: what was saved, in dim text, or what is wrong with
 * them, in red and on the row too. NULL hides it. */
static void
show_window_message (CxPreferencesWindow *self, const char *message, gboolean is_error)
{
  GtkWidget *row = GTK_WIDGET (self->window_row);
  GtkWidget *label = GTK_WIDGET (self->window_message_label);

  if (is_error)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_add_css_class (label, "error");
      gtk_widget_remove_css_class (label, "dim-label");
      gtk_widget_set_tooltip_text (row, message);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_remove_css_class (label, "error");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_tooltip_text (row, NULL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  gtk_label_set_text (self->window_message_label, message != NULL ? message : "");
  gtk_widget_set_visible (label, message != NULL);
}

/* Empty means any time; anything else must read like 18:00-07:00. Colons
 * and dashes as a Chinese input method types them count too. */
static gboolean
parse_window (const char *text, CxSyncWindow *out_window, GError **error)
{
  static const char *const dashes[] = { "－", "–", "—", "~", "～" };
  g_autoptr (GString) ascii = g_string_new (text);
  g_autofree char *shown = g_strstrip (g_strdup (text));

  g_string_replace (ascii, " ", "", 0);
  g_string_replace (ascii, "：", ":", 0);
  for (guint i = 0; i < G_N_ELEMENTS (dashes); i++)
    g_string_replace (ascii, dashes[i], "-", 0);
  if (ascii->len == 0)
    {
      *out_window = CX_SYNC_WINDOW_ALL_DAY;
      return TRUE;
    }
  if (cx_sync_window_parse (ascii->str, out_window, NULL))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _ ("“%s” is not a time range. Give the hours like 18:00-07:00, or leave it empty "
                  "for any time."),
               shown);
  return FALSE;
}

static gboolean
save_window (CxPreferencesWindow *self, gboolean quiet)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *saved = NULL;
  CxSyncWindow window, stored;

  if (!parse_window (gtk_editable_get_text (GTK_EDITABLE (self->window_row)), &window, &error))
    {
      if (!quiet)
        show_window_message (self, error->message, TRUE);
      return FALSE;
    }
  cx_sync_service_get_window (service_of (self), &stored);
  if (window.start == stored.start && window.end == stored.end)
    {
      if (gtk_widget_has_css_class (GTK_WIDGET (self->window_row), "error"))
        show_window_message (self, NULL, FALSE);
      return TRUE;
    }
  if (!cx_sync_service_set_window (service_of (self), &window, &error))
    {
      if (!quiet)
        show_window_message (self, error->message, TRUE);
      return FALSE;
    }
  if (cx_sync_window_is_all_day (&window))
    saved = g_strdup (_ ("Saved: automatic syncs may run at any time."));
  else
    {
      g_autofree char *from = g_strdup_printf ("%02u:%02u", window.start / 60, window.start % 60);
      g_autofree char *to = g_strdup_printf ("%02u:%02u", window.end / 60, window.end % 60);

      /* TRANSLATORS: e.g. "from 18:00 to 07:00" */
      saved = g_strdup_printf (_ ("Saved: automatic syncs run only from %s to %s."), from, to);
    }
  show_window_message (self, saved, FALSE);
  return TRUE;
}

/* Enter, or moving on to another setting, saves. */
static void
on_window_activated (CxPreferencesWindow *self)
{
  if (!self->loading && self->app != NULL)
    save_window (self, FALSE);
}

/* A mistake stays marked until it is fixed, not until the next key. */
static void
on_window_changed (CxPreferencesWindow *self)
{
  CxSyncWindow window;

  if (self->loading)
    return;
  if (!gtk_widget_has_css_class (GTK_WIDGET (self->window_row), "error"))
    {
      /* "Saved" is about what was there before this edit. */
      show_window_message (self, NULL, FALSE);
      return;
    }
  if (parse_window (gtk_editable_get_text (GTK_EDITABLE (self->window_row)), &window, NULL))
    show_window_message (self, NULL, FALSE);
}

static void
on_metered_changed (GtkSwitch *sw, GParamSpec *pspec, CxPreferencesWindow *self)
{
  g_autoptr (GError) error = NULL;
  gboolean avoid = gtk_switch_get_active (sw);

  if (self->loading)
    return;
  if (!cx_sync_service_set_avoid_metered (service_of (self), avoid, &error))
    {
      toast (self, error->message);
      self->loading = TRUE;
      gtk_switch_set_active (sw, !avoid);
      self->loading = FALSE;
    }
}

static void
load (CxPreferencesWindow *self)
{
  GSettings *settings = cx_application_get_settings (self->app);
  CxSyncWindow window;
  g_autofree char *text = NULL;

  self->loading = TRUE;
  g_settings_bind (settings, "rate-limit-kbit", self->rate_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "auto-sync", self->auto_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "teach-show-timer", self->timer_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  cx_sync_service_get_window (service_of (self), &window);
  if (!cx_sync_window_is_all_day (&window))
    text = cx_sync_window_to_string (&window);
  gtk_editable_set_text (GTK_EDITABLE (self->window_row), text != NULL ? text : "");
  gtk_switch_set_active (self->metered_switch,
                         cx_sync_service_get_avoid_metered (service_of (self)));
  self->loading = FALSE;
}

/* Hours typed but not applied are kept when they are valid. */
static gboolean
cx_preferences_window_close_request (GtkWindow *window)
{
  CxPreferencesWindow *self = CX_PREFERENCES_WINDOW (window);

  if (self->app != NULL)
    save_window (self, TRUE);
  return GTK_WINDOW_CLASS (cx_preferences_window_parent_class)->close_request (window);
}

static void
cx_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CX_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (cx_preferences_window_parent_class)->dispose (object);
}

static void
cx_preferences_window_class_init (CxPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cx_preferences_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = cx_preferences_window_close_request;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/cunxiao/Cunxiao/ui/cx-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CxPreferencesWindow, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, CxPreferencesWindow, auto_switch);
  gtk_widget_class_bind_template_child (widget_class, CxPreferencesWindow, window_row);
  gtk_widget_class_bind_template_child (widget_class, CxPreferencesWindow, window_message_label);
  gtk_widget_class_bind_template_child (widget_class, CxPreferencesWindow, metered_switch);
  gtk_widget_class_bind_template_child (widget_class, CxPreferencesWindow, timer_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_window_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_window_changed);
}

static void
cx_preferences_window_init (CxPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->metered_switch, "notify::active", G_CALLBACK (on_metered_changed), self);
}

GtkWidget *
cx_preferences_window_new (CxApplication *app)
{
  CxPreferencesWindow *self;

  g_return_val_if_fail (CX_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (cx_application_get_sync_service (app) != NULL, NULL);

  self = g_object_new (CX_TYPE_PREFERENCES_WINDOW, "application", app, NULL);
  self->app = app;
  load (self);
  return GTK_WIDGET (self);
}
