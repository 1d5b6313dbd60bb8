/* cx-student-mode.c: entering and leaving student mode, for the whole app */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-pin-dialog.h"
#include "cx-student-mode.h"
#include "cx-student-window.h"
#include "cx-window.h"

/* Kept on the application while the mode is on, to be put back after. */
#define SAVED_ACCELS_KEY "cx-student-mode-saved-accels"
#define SAVED_RECENT_KEY "cx-student-mode-saved-recent"

/* What a pupil must not reach even through a menu model left around. */
static const char *const teacher_actions[] = { "preferences", "student-mode",
                                               "show-timetable-entry", NULL };

static void
set_teacher_actions_enabled (CxApplication *app, gboolean enabled)
{
  for (guint i = 0; teacher_actions[i] != NULL; i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (app), teacher_actions[i]);

      if (G_IS_SIMPLE_ACTION (action))
        g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
    }
}

/* Every shortcut of the app goes, not only the known ones: a shortcut added
 * later for a teacher's page must not open it for a pupil. */
static void
lock_down (CxApplication *app)
{
  GtkApplication *gtk_app = GTK_APPLICATION (app);
  g_autoptr (GHashTable) saved = NULL;
  g_auto (GStrv) actions = NULL;
  const char *none[] = { NULL };
  gboolean recent = TRUE;

  if (g_object_get_data (G_OBJECT (app), SAVED_ACCELS_KEY) != NULL)
    return;
  saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  actions = gtk_application_list_action_descriptions (gtk_app);
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_hash_table_insert (saved, g_strdup (actions[i]),
                           gtk_application_get_accels_for_action (gtk_app, actions[i]));
      gtk_application_set_accels_for_action (gtk_app, actions[i], none);
    }
  g_object_set_data_full (G_OBJECT (app), SAVED_ACCELS_KEY, g_steal_pointer (&saved),
                          (GDestroyNotify) g_hash_table_unref);
  set_teacher_actions_enabled (app, FALSE);

  /* File choosers would list a pupil's files for the next one. */
  g_object_get (gtk_settings_get_default (), "gtk-recent-files-enabled", &recent, NULL);
  g_object_set_data (G_OBJECT (app), SAVED_RECENT_KEY, GINT_TO_POINTER (recent ? 1 : 2));
  g_object_set (gtk_settings_get_default (), "gtk-recent-files-enabled", FALSE, NULL);
}

static void
restore (CxApplication *app)
{
  GHashTable *saved = g_object_get_data (G_OBJECT (app), SAVED_ACCELS_KEY);
  int recent = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (app), SAVED_RECENT_KEY));
  GHashTableIter iter;
  gpointer action, accels;

  if (saved == NULL)
    return;
  g_hash_table_iter_init (&iter, saved);
  while (g_hash_table_iter_next (&iter, &action, &accels))
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), action,
                                           (const char *const *) accels);
  g_object_set_data (G_OBJECT (app), SAVED_ACCELS_KEY, NULL);
  set_teacher_actions_enabled (app, TRUE);
  if (recent != 0)
    g_object_set (gtk_settings_get_default (), "gtk-recent-files-enabled", recent == 1, NULL);
  g_object_set_data (G_OBJECT (app), SAVED_RECENT_KEY, NULL);
}

/* Written through at once: a power cut right after must come back into it. */
static void
persist (CxApplication *app, gboolean on)
{
  GSettings *settings = cx_application_get_settings (app);

  g_settings_set_boolean (settings, "student-mode", on);
  g_settings_sync ();
}

static GtkWindow *
open_student_window (CxApplication *app)
{
  GtkWindow *student;

  lock_down (app);
  student = GTK_WINDOW (cx_student_window_new (app));
  gtk_window_present (student);
  return student;
}

static void
enter (CxApplication *app)
{
  GtkWindow *student;
  g_autoptr (GList) others = NULL;

  persist (app, TRUE);
  student = open_student_window (app);
  /* Closing, not destroying: a lesson being edited is saved on close. */
  others = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));
  for (GList *l = others; l != NULL; l = l->next)
    if (l->data != student)
      gtk_window_close (GTK_WINDOW (l->data));
}

static void
on_enter_response (AdwMessageDialog *dialog, const char *response, CxApplication *app)
{
  if (g_strcmp0 (response, "enter") != 0)
    return;
  /* The windows it stands over close now, before it is gone itself. */
  gtk_window_set_transient_for (GTK_WINDOW (dialog), NULL);
  enter (app);
}

gboolean
cx_student_mode_is_on (CxApplication *app)
{
  g_return_val_if_fail (CX_IS_APPLICATION (app), FALSE);
  return g_settings_get_boolean (cx_application_get_settings (app), "student-mode");
}

/**
 * cx_student_mode_ask_to_enter:
 *
 * Asks the teacher to confirm, and says first when no teacher PIN is set:
 * without one nobody could leave the mode again.
 */
void
cx_student_mode_ask_to_enter (CxApplication *app, GtkWindow *parent)
{
  GtkWidget *dialog;

  g_return_if_fail (CX_IS_APPLICATION (app));
  if (cx_application_get_store (app) == NULL)
    return;
  if (!cx_pin_dialog_teacher_pin_exists (app))
    {
      dialog =
          adw_message_dialog_new (parent, _ ("A Teacher PIN Is Needed First"),
                                  _ ("Only a teacher’s PIN leaves student mode. Give a teacher "
                                     "account a PIN first, then switch to student mode."));
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  /* No mnemonics: GTK 4.8 would read them out as part of the button's name. */
  dialog = adw_message_dialog_new (
      parent, _ ("Switch to Student Mode?"),
      _ ("Pupils can open the courses of their class and hand in work. Settings, sync and lesson "
         "plans stay hidden until a teacher enters their PIN."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("Cancel"), "enter",
                                    _ ("Student Mode"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "enter",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "enter");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_enter_response), app, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * cx_student_mode_resume:
 *
 * At start: the student window if the app was left in student mode.
 *
 * Returns: (transfer none) (nullable): the student window, or %NULL when
 *   the mode is off or there is no store to show courses from
 */
GtkWindow *
cx_student_mode_resume (CxApplication *app)
{
  g_return_val_if_fail (CX_IS_APPLICATION (app), NULL);
  if (!cx_student_mode_is_on (app) || cx_application_get_store (app) == NULL)
    return NULL;
  return open_student_window (app);
}

/* Only after a teacher's PIN: see CxStudentWindow. */
void
cx_student_mode_leave (CxApplication *app, GtkWindow *student_window)
{
  GtkWindow *window;

  g_return_if_fail (CX_IS_APPLICATION (app));
  persist (app, FALSE);
  restore (app);
  window = GTK_WINDOW (cx_window_new (app, NULL));
  gtk_window_present (window);
  gtk_window_destroy (student_window);
}
