/* cx-pin-dialog.c: asks for a teacher's PIN before student mode is left
 *
 * A wrong PIN keeps the dialog open and says what the guard says (tries
 * left, or how long to wait; the wait outlives a restart). Only a right
 * one emits "accepted". The dialog never leaves the mode itself. Checking
 * takes a tenth of a second on purpose, so it runs off the main loop.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-pin-dialog.h"
#include "cx-pin-guard.h"

struct _CxPinDialog
{
  AdwWindow parent_instance;

  GtkWidget *pin_entry;
  GtkLabel *error_label;
  GtkWidget *leave_button;
  GtkWidget *spinner;

  CxApplication *app; /* not owned: it outlives its windows */
  GCancellable *cancellable;
  guint wait_source; /* while the guard makes everybody wait */
};

G_DEFINE_FINAL_TYPE (CxPinDialog, cx_pin_dialog, ADW_TYPE_WINDOW)

enum
{
  ACCEPTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (CxPinDialog *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pin_entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
}

static void
set_busy (CxPinDialog *self, gboolean busy)
{
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_sensitive (self->pin_entry, !busy);
  gtk_widget_set_sensitive (self->leave_button, !busy && self->wait_source == 0);
}

static gboolean wait_tick_cb (gpointer user_data);

/* While the guard makes everybody wait no PIN is taken; the button says so
 * by being off, and comes back by itself. */
static void
follow_wait (CxPinDialog *self)
{
  g_autoptr (GError) error = NULL;
  CxPinGuardState state = { 0 };

  g_clear_handle_id (&self->wait_source, g_source_remove);
  if (!cx_pin_guard_get_state (cx_application_get_store (self->app), cx_pin_guard_now (), &state,
                               &error))
    g_debug ("The PIN guard cannot be read: %s", error->message);
  else if (state.wait_seconds > 0)
    {
      g_autofree char *text = g_strdup_printf (
          ngettext ("Too many wrong PINs. The next try in %u second",
                    "Too many wrong PINs. The next try in %u seconds", (gulong) state.wait_seconds),
          (guint) state.wait_seconds);

      /* Counting down, so the teacher sees it is worth the wait. */
      show_error (self, text);
      self->wait_source = g_timeout_add_seconds (1, wait_tick_cb, self);
    }
  gtk_widget_set_sensitive (self->leave_button, self->wait_source == 0);
}

static gboolean
wait_tick_cb (gpointer user_data)
{
  CxPinDialog *self = user_data;

  self->wait_source = 0;
  follow_wait (self);
  if (self->wait_source == 0)
    gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  return G_SOURCE_REMOVE;
}

static void
on_verified (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CxPinDialog) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!cx_pin_guard_verify_finish (CX_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_error (self, error->message);
      gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
      follow_wait (self);
      gtk_widget_grab_focus (self->pin_entry);
      return;
    }
  g_signal_emit (self, signals[ACCEPTED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_leave (CxPinDialog *self)
{
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_entry));

  if (gtk_widget_get_visible (self->spinner) || self->wait_source != 0)
    return;
  set_busy (self, TRUE);
  cx_pin_guard_verify_async (cx_application_get_store (self->app), pin, cx_pin_guard_now (),
                             self->cancellable, on_verified, g_object_ref (self));
}

static void
on_cancel (CxPinDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
cx_pin_dialog_dispose (GObject *object)
{
  CxPinDialog *self = CX_PIN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->wait_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_PIN_DIALOG);
  G_OBJECT_CLASS (cx_pin_dialog_parent_class)->dispose (object);
}

static void
cx_pin_dialog_class_init (CxPinDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cx_pin_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cunxiao/Cunxiao/ui/cx-pin-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CxPinDialog, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, CxPinDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CxPinDialog, leave_button);
  gtk_widget_class_bind_template_child (widget_class, CxPinDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_leave);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  signals[ACCEPTED] = g_signal_new ("accepted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cx_pin_dialog_init (CxPinDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_window_set_default_widget (GTK_WINDOW (self), self->leave_button);
  self->cancellable = g_cancellable_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Checking the PIN"), -1);
}

GtkWidget *
cx_pin_dialog_new (CxApplication *app, GtkWindow *parent)
{
  CxPinDialog *self = g_object_new (CX_TYPE_PIN_DIALOG, "transient-for", parent, NULL);

  self->app = app;
  follow_wait (self);
  return GTK_WIDGET (self);
}

/* Without one, student mode could not be left again. */
gboolean
cx_pin_dialog_teacher_pin_exists (CxApplication *app)
{
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (CX_IS_APPLICATION (app), FALSE);
  if (cx_pin_guard_has_pin (cx_application_get_store (app), &error))
    return TRUE;
  if (error != NULL)
    g_debug ("Could not tell whether a teacher has a PIN: %s", error->message);
  return FALSE;
}
