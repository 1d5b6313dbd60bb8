/* cx-application.c: the Cunxiao desktop app */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-application.h"
#include "cx-class-reminder.h"
#include "cx-preferences-window.h"
#include "cx-store-journal.h"
#include "cx-student-mode.h"
#include "cx-window.h"

struct _CxApplication
{
  AdwApplication parent_instance;

  CxStore *store;
  CxLibrary *library;
  CxSyncService *sync_service;
  CxSyncController *sync_controller;
  GSettings *settings;
  CxClassReminder *reminder;
  GError *store_error; /* why there is no store, shown in the window */
  char *first_page;    /* --page, for the first window */
};

G_DEFINE_FINAL_TYPE (CxApplication, cx_application, ADW_TYPE_APPLICATION)

enum
{
  LESSONS_CHANGED,
  LIBRARY_CHANGED,
  TIMETABLE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Opens the store, creating it on first run: a new teacher should not need
 * the command line before the app is useful. */
static void
open_store (CxApplication *self)
{
  const char *env = g_getenv ("CUNXIAO_DATA_DIR");
  g_autofree char *data_dir =
      env != NULL && *env != '\0' ? g_strdup (env) : cx_store_default_data_dir ();
  g_autoptr (GError) error = NULL;

  self->store = cx_store_open (data_dir, &error);
  if (self->store == NULL && g_error_matches (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      self->store = cx_store_create (data_dir, &error);
    }
  if (self->store != NULL)
    self->library = cx_library_new (self->store, &error);
  if (self->library == NULL)
    {
      g_clear_object (&self->store);
      self->store_error = g_steal_pointer (&error);
      return;
    }
  self->sync_service = cx_sync_service_new (self->store);
  self->sync_controller = cx_sync_controller_new (self);
}

static void
on_preferences (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CxApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *preferences;

  if (self->store == NULL)
    return;
  preferences = GTK_WINDOW (cx_preferences_window_new (self));
  gtk_window_set_transient_for (preferences, window);
  gtk_window_present (preferences);
}

static void
on_student_mode (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CxApplication *self = user_data;

  cx_student_mode_ask_to_enter (self, gtk_application_get_active_window (GTK_APPLICATION (self)));
}

static void
on_about (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CxApplication *self = user_data;
  const char *developers[] = { _ ("Cunxiao developers"), NULL };
  GtkWidget *about;

  about =
      g_object_new (ADW_TYPE_ABOUT_WINDOW, "transient-for",
                    gtk_application_get_active_window (GTK_APPLICATION (self)), "application-icon",
                    APP_ID, "application-name", _ ("Cunxiao"), "developer-name",
                    _ ("Cunxiao developers"), "version", PACKAGE_VERSION, "comments",
                    _ ("Prepare and teach lessons, and share work, with or without a network"),
                    "license-type", GTK_LICENSE_GPL_3_0, "developers", developers, NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
on_quit (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* Closing through the windows lets each save what is being edited. */
  for (GList *l = g_list_copy (windows), *it = l; it != NULL; it = it->next)
    gtk_window_close (GTK_WINDOW (it->data));
}

/* From a class reminder: the class's details in the main window. */
static void
on_show_timetable_entry (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CxApplication *self = user_data;
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (CX_IS_WINDOW (window))
    cx_window_show_timetable_entry (CX_WINDOW (window), g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "preferences", on_preferences, NULL, NULL, NULL, { 0 } },
  { "show-timetable-entry", on_show_timetable_entry, "s", NULL, NULL, { 0 } },
  { "student-mode", on_student_mode, NULL, NULL, NULL, { 0 } },
  { "about", on_about, NULL, NULL, NULL, { 0 } },
  { "quit", on_quit, NULL, NULL, NULL, { 0 } },
};

static void
cx_application_startup (GApplication *application)
{
  CxApplication *self = CX_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (cx_application_parent_class)->startup (application);

  self->settings = g_settings_new (APP_ID);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  open_store (self);
  if (self->store != NULL)
    {
      self->reminder = cx_class_reminder_new (application, self->store, self->settings);
      /* A sync that ran may have brought changes to the timetable too. */
      g_signal_connect_swapped (self, "timetable-changed", G_CALLBACK (cx_class_reminder_rearm),
                                self->reminder);
      g_signal_connect_swapped (self, "library-changed", G_CALLBACK (cx_class_reminder_rearm),
                                self->reminder);
    }
}

/* Once the window is up: reading 100,000 resources for search takes a
 * tenth of a second in a worker, and the first frame should not wait. */
static gboolean
prepare_search_cb (gpointer user_data)
{
  CxApplication *self = user_data;

  if (self->library != NULL)
    cx_library_prepare_search (self->library);
  return G_SOURCE_REMOVE;
}

static void
cx_application_activate (GApplication *application)
{
  CxApplication *self = CX_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* A restart in student mode (a power cut) comes back into it. */
  if (window == NULL)
    window = cx_student_mode_resume (self);
  if (window == NULL)
    {
      window = GTK_WINDOW (cx_window_new (self, self->store_error));
      if (self->first_page != NULL)
        cx_window_show_page (CX_WINDOW (window), self->first_page);
      g_timeout_add_full (G_PRIORITY_LOW, 500, prepare_search_cb, g_object_ref (self),
                          g_object_unref);
    }
  gtk_window_present (window);
}

/* A sync under way stops at its next step; what arrived is kept. */
static void
cx_application_shutdown (GApplication *application)
{
  CxApplication *self = CX_APPLICATION (application);

  if (self->sync_controller != NULL)
    cx_sync_controller_shutdown (self->sync_controller);
  G_APPLICATION_CLASS (cx_application_parent_class)->shutdown (application);
}

static int
cx_application_handle_local_options (GApplication *application, GVariantDict *options)
{
  CxApplication *self = CX_APPLICATION (application);
  const char *page = NULL;

  if (g_variant_dict_lookup (options, "page", "&s", &page))
    {
      if (g_strv_contains (
              (const char *const[]){ "today", "timetable", "library", "lessons", "sync", NULL },
              page))
        self->first_page = g_strdup (page);
      else
        {
          g_printerr (
              _ ("There is no page “%s”: choose today, timetable, library, lessons or sync\n"),
              page);
          return 2;
        }
    }
  return -1;
}

static void
cx_application_dispose (GObject *object)
{
  CxApplication *self = CX_APPLICATION (object);

  g_clear_object (&self->reminder);
  g_clear_object (&self->sync_controller);
  g_clear_object (&self->sync_service);
  g_clear_object (&self->library);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_error (&self->store_error);
  g_clear_pointer (&self->first_page, g_free);
  G_OBJECT_CLASS (cx_application_parent_class)->dispose (object);
}

static void
cx_application_class_init (CxApplicationClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cx_application_dispose;
  G_APPLICATION_CLASS (klass)->startup = cx_application_startup;
  G_APPLICATION_CLASS (klass)->activate = cx_application_activate;
  G_APPLICATION_CLASS (klass)->shutdown = cx_application_shutdown;
  G_APPLICATION_CLASS (klass)->handle_local_options = cx_application_handle_local_options;

  /* Pages showing lesson plans or the library reload on these. */
  signals[LESSONS_CHANGED] = g_signal_new ("lessons-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[LIBRARY_CHANGED] = g_signal_new ("library-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[TIMETABLE_CHANGED] =
      g_signal_new ("timetable-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 0);
}

static void
cx_application_init (CxApplication *self)
{
  const GOptionEntry options[] = {
    { "page", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
      N_ ("The page to open: today, timetable, library, lessons or sync"), N_ ("PAGE") },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

CxApplication *
cx_application_new (void)
{
  return g_object_new (CX_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path",
                       "/io/github/cunxiao/Cunxiao", NULL);
}

CxStore *
cx_application_get_store (CxApplication *self)
{
  g_return_val_if_fail (CX_IS_APPLICATION (self), NULL);
  return self->store;
}

CxLibrary *
cx_application_get_library (CxApplication *self)
{
  g_return_val_if_fail (CX_IS_APPLICATION (self), NULL);
  return self->library;
}

CxSyncService *
cx_application_get_sync_service (CxApplication *self)
{
  g_return_val_if_fail (CX_IS_APPLICATION (self), NULL);
  return self->sync_service;
}

/* Returns: (nullable): the app's sync, %NULL when there is no store */
CxSyncController *
cx_application_get_sync_controller (CxApplication *self)
{
  g_return_val_if_fail (CX_IS_APPLICATION (self), NULL);
  return self->sync_controller;
}

GSettings *
cx_application_get_settings (CxApplication *self)
{
  g_return_val_if_fail (CX_IS_APPLICATION (self), NULL);
  return self->settings;
}

/**
 * cx_application_record:
 * @payload: an object under construction (its closing brace not yet added)
 *
 * Appends a usage event to the journal. A journal that cannot be written is
 * logged, never shown as a failure of what the teacher was doing.
 */
void
cx_application_record (CxApplication *self, const char *kind, JsonBuilder *payload)
{
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (CX_IS_APPLICATION (self));

  json_builder_end_object (payload);
  root = json_builder_get_root (payload);
  text = json_to_string (root, FALSE);
  if (self->store != NULL && cx_store_journal_append (self->store, kind, text, &error) == 0)
    g_warning ("Could not record %s: %s", kind, error->message);
}

void
cx_application_lessons_changed (CxApplication *self)
{
  g_return_if_fail (CX_IS_APPLICATION (self));
  g_signal_emit (self, signals[LESSONS_CHANGED], 0);
}

void
cx_application_library_changed (CxApplication *self)
{
  g_return_if_fail (CX_IS_APPLICATION (self));
  g_signal_emit (self, signals[LIBRARY_CHANGED], 0);
}

void
cx_application_timetable_changed (CxApplication *self)
{
  g_return_if_fail (CX_IS_APPLICATION (self));
  g_signal_emit (self, signals[TIMETABLE_CHANGED], 0);
}
