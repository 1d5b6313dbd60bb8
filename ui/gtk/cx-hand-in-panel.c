/* cx-hand-in-panel.c: a pupil hands in work to an assignment of their class
 *
 * The class's open assignments, newest lesson first; files come from the
 * file chooser or are dropped anywhere on the panel, and are stored on
 * this computer at once (the sync service uploads them later). The panel
 * lists only what this pupil handed in since they sat down: the next
 * pupil sees none of it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-hand-in-panel.h"
#include "cx-hand-in-queue.h"
#include "cx-store-assignments.h"
#include "cx-student-events.h"

struct _CxHandInPanel
{
  AdwBin parent_instance;

  GtkStack *stack;
  AdwStatusPage *none_page;
  GtkListBox *assignments_list;
  GtkWidget *drop_zone;
  GtkWidget *choose_button;
  GtkWidget *progress_box;
  GtkLabel *progress_label;
  GtkProgressBar *progress_bar;
  GtkLabel *error_label;
  GtkWidget *done_group;
  GtkListBox *done_list;

  CxApplication *app; /* not owned: it outlives its windows */
  CxHandInQueue *queue;
  GPtrArray *assignments; /* CxAssignment, as listed */
  guint chosen;           /* index into assignments */
  char *class_name;
  char *pupil;
  GString *errors;
  GtkNativeDialog *chooser;
};

G_DEFINE_FINAL_TYPE (CxHandInPanel, cx_hand_in_panel, ADW_TYPE_BIN)

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
on_assignment_toggled (GtkCheckButton *check, CxHandInPanel *self)
{
  if (gtk_check_button_get_active (check))
    self->chosen = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "index"));
}

/* A lone assignment is simply the one: only several get radio buttons. */
static GtkWidget *
assignment_row (CxHandInPanel *self,
                const CxAssignment *assignment,
                guint index,
                GtkCheckButton *group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check;
  g_autofree char *subtitle = NULL;

  if (assignment->lesson_date != NULL && *assignment->lesson_date != '\0')
    /* TRANSLATORS: under an assignment: its lesson, then the lesson's date */
    subtitle = g_strdup_printf (_ ("%s · %s"), assignment->plan_title, assignment->lesson_date);
  else
    subtitle = g_strdup (assignment->plan_title);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), assignment->title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (self->assignments->len < 2)
    return row;
  check = gtk_check_button_new ();
  gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), index == 0);
  g_object_set_data (G_OBJECT (check), "index", GUINT_TO_POINTER (index));
  g_signal_connect (check, "toggled", G_CALLBACK (on_assignment_toggled), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  return row;
}

static void
load_assignments (CxHandInPanel *self)
{
  g_autoptr (GError) error = NULL;
  GtkCheckButton *group = NULL;

  clear_list (self->assignments_list);
  g_clear_pointer (&self->assignments, g_ptr_array_unref);
  self->chosen = 0;
  if (self->class_name == NULL)
    return;
  self->assignments = cx_store_list_class_assignments (cx_application_get_store (self->app),
                                                       self->class_name, &error);
  if (self->assignments == NULL)
    {
      adw_status_page_set_description (self->none_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }
  if (self->assignments->len == 0)
    {
      adw_status_page_set_description (
          self->none_page, _ ("Your class has no assignments yet. Your teacher sets them with the "
                              "lesson."));
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }
  for (guint i = 0; i < self->assignments->len; i++)
    {
      GtkWidget *row = assignment_row (self, g_ptr_array_index (self->assignments, i), i, group);

      if (group == NULL && self->assignments->len > 1)
        group = GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)));
      gtk_list_box_append (self->assignments_list, row);
    }
  gtk_stack_set_visible_child_name (self->stack, "assignments");
}

static void
hand_in (CxHandInPanel *self, GFile *file)
{
  if (self->assignments == NULL || self->chosen >= self->assignments->len)
    return;
  cx_hand_in_queue_add (self->queue, file, g_ptr_array_index (self->assignments, self->chosen),
                        self->class_name, self->pupil);
}

static void
on_queue_busy (CxHandInPanel *self)
{
  gboolean busy = cx_hand_in_queue_get_busy (self->queue);

  gtk_widget_set_visible (self->progress_box, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->assignments_list), !busy);
}

static void
on_queue_progress (CxHandInQueue *queue, const char *name, double fraction, CxHandInPanel *self)
{
  g_autofree char *text = g_strdup_printf (_ ("Handing in “%s”…"), name);

  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static void
on_handed_in (CxHandInQueue *queue,
              const char *name,
              const char *assignment,
              gint64 hand_in_id,
              CxHandInPanel *self)
{
  g_autoptr (GError) error = NULL;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = g_strdup_printf (_ ("Handed in to “%s”"), assignment);
  GtkWidget *icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (icon, "success");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_append (self->done_list, row);
  gtk_widget_set_visible (self->done_group, TRUE);
  if (cx_student_events_record_hand_in (cx_application_get_store (self->app), hand_in_id,
                                        g_get_real_time () / G_USEC_PER_SEC, &error) == 0)
    g_warning ("Could not record a hand-in of student mode: %s", error->message);
}

static void
on_failed (CxHandInQueue *queue, const char *name, const char *message, CxHandInPanel *self)
{
  if (self->errors->len > 0)
    g_string_append_c (self->errors, '\n');
  g_string_append (self->errors, message);
  gtk_label_set_text (self->error_label, self->errors->str);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
on_chooser_response (GtkNativeDialog *dialog, int response, CxHandInPanel *self)
{
  g_autoptr (GListModel) files = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr (GFile) file = g_list_model_get_item (files, i);

          hand_in (self, file);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

static void
on_choose (CxHandInPanel *self)
{
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_ ("Hand In Work"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _ ("Hand In"), _ ("Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (self->chooser);
}

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, CxHandInPanel *self)
{
  GSList *files = g_value_get_boxed (value);

  if (self->assignments == NULL || self->assignments->len == 0)
    return FALSE;
  for (GSList *l = files; l != NULL; l = l->next)
    hand_in (self, l->data);
  return files != NULL;
}

static void
cx_hand_in_panel_dispose (GObject *object)
{
  CxHandInPanel *self = CX_HAND_IN_PANEL (object);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }
  if (self->queue != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->queue, self);
      cx_hand_in_queue_clear (self->queue);
      g_clear_object (&self->queue);
    }
  /* The bin's child is a template child too: let go of it once, here. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_HAND_IN_PANEL);
  G_OBJECT_CLASS (cx_hand_in_panel_parent_class)->dispose (object);
}

static void
cx_hand_in_panel_finalize (GObject *object)
{
  CxHandInPanel *self = CX_HAND_IN_PANEL (object);

  g_clear_pointer (&self->assignments, g_ptr_array_unref);
  g_free (self->class_name);
  g_free (self->pupil);
  g_string_free (self->errors, TRUE);
  G_OBJECT_CLASS (cx_hand_in_panel_parent_class)->finalize (object);
}

static void
cx_hand_in_panel_class_init (CxHandInPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cx_hand_in_panel_dispose;
  G_OBJECT_CLASS (klass)->finalize = cx_hand_in_panel_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cunxiao/Cunxiao/ui/cx-hand-in-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CxHandInPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, CxHandInPanel, none_page);
  gtk_widget_class_bind_template_child (widget_class, CxHandInPanel, assignments_list);
  gtk_widget_class_bind_template_child (widget_class, CxHandInPanel, drop_zone);
  gtk_widget_class_bind_template_child (widget_class, CxHandInPanel, choose_button);
  gtk_widget_class_bind_template_child (widget_class, CxHandInPanel, progress_box);
  gtk_widget_class_bind_template_child (widget_class, CxHandInPanel, progress_label);
  gtk_widget_class_bind_template_child (widget_class, CxHandInPanel, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CxHandInPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, CxHandInPanel, done_group);
  gtk_widget_class_bind_template_child (widget_class, CxHandInPanel, done_list);
  gtk_widget_class_bind_template_callback (widget_class, on_choose);
}

static void
cx_hand_in_panel_init (CxHandInPanel *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->errors = g_string_new (NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Hand-in progress"), -1);
  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

GtkWidget *
cx_hand_in_panel_new (CxApplication *app)
{
  CxHandInPanel *self = g_object_new (CX_TYPE_HAND_IN_PANEL, NULL);

  self->app = app;
  self->queue = cx_hand_in_queue_new (cx_application_get_store (app));
  g_signal_connect_swapped (self->queue, "notify::busy", G_CALLBACK (on_queue_busy), self);
  g_signal_connect (self->queue, "progress", G_CALLBACK (on_queue_progress), self);
  g_signal_connect (self->queue, "handed-in", G_CALLBACK (on_handed_in), self);
  g_signal_connect (self->queue, "failed", G_CALLBACK (on_failed), self);
  return GTK_WIDGET (self);
}

void
cx_hand_in_panel_set_class (CxHandInPanel *self, const char *class_name)
{
  g_return_if_fail (CX_IS_HAND_IN_PANEL (self));
  g_free (self->class_name);
  self->class_name = g_strdup (class_name);
  cx_hand_in_panel_reset (self);
}

/**
 * cx_hand_in_panel_set_pupil:
 * @pupil: (nullable): the pupil's name, %NULL when they gave none
 */
void
cx_hand_in_panel_set_pupil (CxHandInPanel *self, const char *pupil)
{
  g_return_if_fail (CX_IS_HAND_IN_PANEL (self));
  g_free (self->pupil);
  self->pupil = g_strdup (pupil);
}

/**
 * cx_hand_in_panel_reset:
 *
 * For the next pupil: files still being copied are dropped (nothing of
 * them stays), the list of what was handed in and any error are cleared,
 * and the assignments read again.
 */
void
cx_hand_in_panel_reset (CxHandInPanel *self)
{
  g_return_if_fail (CX_IS_HAND_IN_PANEL (self));
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }
  cx_hand_in_queue_clear (self->queue);
  g_clear_pointer (&self->pupil, g_free);
  clear_list (self->done_list);
  gtk_widget_set_visible (self->done_group, FALSE);
  g_string_truncate (self->errors, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_label_set_text (self->error_label, "");
  load_assignments (self);
}
