/* cx-assignments-view.c: a lesson plan's assignments and the work handed in to them
 *
 * On the Lessons page, under the material: the teacher adds assignments
 * by title, sees each file handed in (whose, and whether it is only on
 * this computer or has reached the hub), and can hand a file in for a
 * pupil who has none of their own to do it with.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-assignments-view.h"
#include "cx-hand-in-queue.h"
#include "cx-store-assignments.h"
#include "cx-store-hand-ins.h"
#include "cx-window.h"

struct _CxAssignmentsView
{
  AdwBin parent_instance;

  GtkListBox *list;
  GtkWidget *new_row;

  CxApplication *app; /* not owned: it outlives its windows */
  gint64 plan_id;
  CxHandInQueue *queue;
  GPtrArray *assignments;
  GtkNativeDialog *chooser;
  CxAssignment *choosing_for; /* in assignments */
  char *choosing_pupil;
};

G_DEFINE_FINAL_TYPE (CxAssignmentsView, cx_assignments_view, ADW_TYPE_BIN)

static void reload (CxAssignmentsView *self);

static void
toast (CxAssignmentsView *self, const char *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (CX_IS_WINDOW (root))
    cx_window_toast (CX_WINDOW (root), text);
}

static GtkWidget *
hand_in_row (const CxHandIn *hand_in)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *state =
      gtk_label_new (hand_in->uploaded ? _ ("Reached the hub") : _ ("On this computer"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), hand_in->file_name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), hand_in->pupil != NULL && *hand_in->pupil
                                                         ? hand_in->pupil
                                                         : _ ("No name given"));
  gtk_widget_add_css_class (state, hand_in->uploaded ? "success" : "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
  return row;
}

static void
on_chooser_response (GtkNativeDialog *dialog, int response, CxAssignmentsView *self)
{
  g_autoptr (GListModel) files = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->choosing_for != NULL)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr (GFile) file = g_list_model_get_item (files, i);

          cx_hand_in_queue_add (self->queue, file, self->choosing_for,
                                self->choosing_for->class_name, self->choosing_pupil);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

static void
on_hand_in_for (GtkButton *button, CxAssignmentsView *self)
{
  GtkEditable *pupil_entry = g_object_get_data (G_OBJECT (button), "pupil-entry");
  g_autofree char *pupil = g_strstrip (g_strdup (gtk_editable_get_text (pupil_entry)));
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;
  self->choosing_for = g_object_get_data (G_OBJECT (button), "assignment");
  g_free (self->choosing_pupil);
  self->choosing_pupil = *pupil != '\0' ? g_steal_pointer (&pupil) : NULL;
  chooser = gtk_file_chooser_native_new (_ ("Hand In for a Pupil"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _ ("Hand In"), _ ("Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (self->chooser);
}

static void
on_remove (GtkButton *button, CxAssignmentsView *self)
{
  CxAssignment *assignment = g_object_get_data (G_OBJECT (button), "assignment");
  g_autoptr (GError) error = NULL;

  if (!cx_store_remove_assignment (cx_application_get_store (self->app), assignment->id, &error))
    toast (self, error->message);
  reload (self);
}

/* Naming the pupil, then choosing the files. */
static GtkWidget *
hand_in_for_row (CxAssignmentsView *self, CxAssignment *assignment)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *button = gtk_button_new_with_label (_ ("Choose Files…"));
  g_autofree char *label =
      g_strdup_printf (_ ("Hand in files for a pupil to “%s”"), assignment->title);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("Hand in for (pupil’s name)"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_object_set_data (G_OBJECT (button), "assignment", assignment);
  g_object_set_data (G_OBJECT (button), "pupil-entry", row);
  g_signal_connect (button, "clicked", G_CALLBACK (on_hand_in_for), self);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);
  return row;
}

static GtkWidget *
assignment_row (CxAssignmentsView *self, CxAssignment *assignment)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) hand_ins = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *remove_label = NULL;

  hand_ins = cx_store_list_assignment_hand_ins (cx_application_get_store (self->app),
                                                assignment->id, &error);
  if (hand_ins == NULL)
    subtitle = g_strdup (error->message);
  else
    subtitle = g_strdup_printf (ngettext ("%u file handed in", "%u files handed in", hand_ins->len),
                                hand_ins->len);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), assignment->title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

  remove_label = g_strdup_printf (_ ("Remove the assignment “%s”"), assignment->title);
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data (G_OBJECT (remove), "assignment", assignment);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove), self);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), remove);

  for (guint i = 0; hand_ins != NULL && i < hand_ins->len; i++)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                              hand_in_row (g_ptr_array_index (hand_ins, i)));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), hand_in_for_row (self, assignment));
  return row;
}

static void
reload (CxAssignmentsView *self)
{
  g_autoptr (GError) error = NULL;
  GtkWidget *child;

  /* The files being chosen for belong to a row about to go. */
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }
  while ((child = gtk_widget_get_last_child (GTK_WIDGET (self->list))) != NULL &&
         child != self->new_row)
    gtk_list_box_remove (self->list, child);
  self->choosing_for = NULL;
  g_clear_pointer (&self->assignments, g_ptr_array_unref);
  if (self->app == NULL || self->plan_id == 0)
    return;
  self->assignments =
      cx_store_list_assignments (cx_application_get_store (self->app), self->plan_id, &error);
  if (self->assignments == NULL)
    {
      toast (self, error->message);
      return;
    }
  for (guint i = 0; i < self->assignments->len; i++)
    gtk_list_box_append (self->list,
                         assignment_row (self, g_ptr_array_index (self->assignments, i)));
}

static void
on_add (CxAssignmentsView *self)
{
  g_autofree char *title =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_row))));
  g_autoptr (GError) error = NULL;

  if (*title == '\0' || self->plan_id == 0)
    return;
  if (cx_store_add_assignment (cx_application_get_store (self->app), self->plan_id, title, NULL,
                               &error) == 0)
    {
      toast (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->new_row), "");
  reload (self);
}

static void
on_handed_in (CxHandInQueue *queue,
              const char *name,
              const char *assignment,
              gint64 hand_in_id,
              CxAssignmentsView *self)
{
  g_autofree char *text = g_strdup_printf (_ ("“%s” handed in to “%s”"), name, assignment);

  toast (self, text);
  reload (self);
}

static void
on_failed (CxHandInQueue *queue, const char *name, const char *message, CxAssignmentsView *self)
{
  toast (self, message);
}

/* A sync may have taken hand-ins to the hub. */
static void
on_sync_state (CxAssignmentsView *self)
{
  reload (self);
}

static void
cx_assignments_view_dispose (GObject *object)
{
  CxAssignmentsView *self = CX_ASSIGNMENTS_VIEW (object);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }
  if (self->queue != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->queue, self);
      g_clear_object (&self->queue);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_ASSIGNMENTS_VIEW);
  G_OBJECT_CLASS (cx_assignments_view_parent_class)->dispose (object);
}

static void
cx_assignments_view_finalize (GObject *object)
{
  CxAssignmentsView *self = CX_ASSIGNMENTS_VIEW (object);

  g_clear_pointer (&self->assignments, g_ptr_array_unref);
  g_free (self->choosing_pupil);
  G_OBJECT_CLASS (cx_assignments_view_parent_class)->finalize (object);
}

static void
cx_assignments_view_class_init (CxAssignmentsViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cx_assignments_view_dispose;
  G_OBJECT_CLASS (klass)->finalize = cx_assignments_view_finalize;
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/cunxiao/Cunxiao/ui/cx-assignments-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CxAssignmentsView, list);
  gtk_widget_class_bind_template_child (widget_class, CxAssignmentsView, new_row);
  gtk_widget_class_bind_template_callback (widget_class, on_add);
}

static void
cx_assignments_view_init (CxAssignmentsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cx_assignments_view_show_plan:
 * @plan_id: the lesson plan open in the editor, or 0 for none
 */
void
cx_assignments_view_show_plan (CxAssignmentsView *self, CxApplication *app, gint64 plan_id)
{
  g_return_if_fail (CX_IS_ASSIGNMENTS_VIEW (self));
  g_return_if_fail (CX_IS_APPLICATION (app));

  if (self->app == NULL)
    {
      self->app = app;
      self->queue = cx_hand_in_queue_new (cx_application_get_store (app));
      g_signal_connect (self->queue, "handed-in", G_CALLBACK (on_handed_in), self);
      g_signal_connect (self->queue, "failed", G_CALLBACK (on_failed), self);
      g_signal_connect_object (cx_application_get_sync_controller (app), "notify::state",
                               G_CALLBACK (on_sync_state), self, G_CONNECT_SWAPPED);
    }
  self->plan_id = plan_id;
  reload (self);
}
