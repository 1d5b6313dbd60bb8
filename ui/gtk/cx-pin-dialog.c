/* cx-pin-dialog.c: asks for a teacher's PIN before student mode is left
 *
 * A wrong PIN keeps the dialog open and says why; only a right one emits
 * "accepted". The dialog never leaves the mode itself.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-pin-dialog.h"
#include "cx-store-accounts.h"

struct _CxPinDialog
{
  AdwWindow parent_instance;

  GtkWidget *pin_entry;
  GtkLabel *error_label;
  GtkWidget *leave_button;

  CxApplication *app; /* not owned: it outlives its windows */
};

G_DEFINE_FINAL_TYPE (CxPinDialog, cx_pin_dialog, ADW_TYPE_WINDOW)

enum
{
  ACCEPTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_teacher (const CxAccount *account)
{
  return account->role == CX_ROLE_TEACHER || account->role == CX_ROLE_ADMIN;
}

/* Any teacher's or admin's PIN opens it. */
static gboolean
check_pin (CxPinDialog *self, const char *pin, GError **error)
{
  CxStore *store = cx_application_get_store (self->app);
  g_autoptr (GPtrArray) accounts = cx_store_list_accounts (store, error);

  if (accounts == NULL)
    return FALSE;
  for (guint i = 0; i < accounts->len; i++)
    {
      CxAccount *account = g_ptr_array_index (accounts, i);

      if (is_teacher (account) && account->has_pin &&
          cx_store_verify_account_pin (store, account->name, pin, NULL))
        return TRUE;
    }
  g_set_error_literal (error, CX_STORE_ERROR, CX_STORE_ERROR_WRONG_PIN,
                       _ ("That is not a teacher’s PIN."));
  return FALSE;
}

static void
show_error (CxPinDialog *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pin_entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
}

static void
on_leave (CxPinDialog *self)
{
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_entry));
  g_autoptr (GError) error = NULL;

  if (!check_pin (self, pin, &error))
    {
      show_error (self, error->message);
      gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
      gtk_widget_grab_focus (self->pin_entry);
      return;
    }
  g_signal_emit (self, signals[ACCEPTED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_cancel (CxPinDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
cx_pin_dialog_class_init (CxPinDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cunxiao/Cunxiao/ui/cx-pin-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CxPinDialog, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, CxPinDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CxPinDialog, leave_button);
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
}

GtkWidget *
cx_pin_dialog_new (CxApplication *app, GtkWindow *parent)
{
  CxPinDialog *self = g_object_new (CX_TYPE_PIN_DIALOG, "transient-for", parent, NULL);

  self->app = app;
  return GTK_WIDGET (self);
}

/* Without one, student mode could not be left again. */
gboolean
cx_pin_dialog_teacher_pin_exists (CxApplication *app)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) accounts = NULL;

  g_return_val_if_fail (CX_IS_APPLICATION (app), FALSE);
  accounts = cx_store_list_accounts (cx_application_get_store (app), &error);
  if (accounts == NULL)
    {
      g_debug ("Could not list the accounts: %s", error->message);
      return FALSE;
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      CxAccount *account = g_ptr_array_index (accounts, i);

      if (is_teacher (account) && account->has_pin)
        return TRUE;
    }
  return FALSE;
}
