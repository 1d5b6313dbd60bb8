/* cx-student-window.c: the classroom computer in student mode
 *
 * A pupil picks the class (kept for the next start), then their name or
 * none, and gets the class's courses and its assignments to hand work in
 * to. "Next Pupil" clears all of it. There is nothing here that reaches
 * settings, sync or lesson plans, and closing the window, like leaving
 * the mode, takes a teacher's PIN.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-hand-in-panel.h"
#include "cx-pin-dialog.h"
#include "cx-store-classes.h"
#include "cx-student-courses.h"
#include "cx-student-mode.h"
#include "cx-student-window.h"

struct _CxStudentWindow
{
  AdwApplicationWindow parent_instance;

  GtkStack *stack;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar *switcher_bar;
  AdwStatusPage *classes_page;
  GtkFlowBox *classes_box;
  AdwStatusPage *pupils_page;
  GtkFlowBox *pupils_box;
  AdwViewStack *work_stack;
  AdwToastOverlay *toast_overlay;

  CxApplication *app; /* not owned: it outlives its windows */
  GtkWidget *courses;
  GtkWidget *hand_in;
  char *class_name;
  char *pupil; /* NULL when the pupil skipped giving a name */
  gboolean leaving;
};

G_DEFINE_FINAL_TYPE (CxStudentWindow, cx_student_window, ADW_TYPE_APPLICATION_WINDOW)

static void
remove_children (GtkFlowBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_flow_box_remove (box, child);
}

/* The view switcher only on the work page: before it there is no class. */
static void
update_switcher (CxStudentWindow *self)
{
  gboolean working = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "work") == 0;

  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, working);
  adw_view_switcher_bar_set_reveal (
      self->switcher_bar,
      working && adw_view_switcher_title_get_title_visible (self->switcher_title));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "student.next-pupil", working);
}

static void
show_page (CxStudentWindow *self, const char *name)
{
  g_autofree char *subtitle = NULL;

  gtk_stack_set_visible_child_name (self->stack, name);
  if (self->class_name != NULL && self->pupil != NULL && g_strcmp0 (name, "work") == 0)
    /* TRANSLATORS: under "Student Mode": the class, then the pupil */
    subtitle = g_strdup_printf (_ ("%s · %s"), self->class_name, self->pupil);
  else if (self->class_name != NULL && g_strcmp0 (name, "classes") != 0)
    subtitle = g_strdup (self->class_name);
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle != NULL ? subtitle : "");
  update_switcher (self);
}

static void
show_work (CxStudentWindow *self)
{
  adw_view_stack_set_visible_child_name (self->work_stack, "courses");
  show_page (self, "work");
}

static void
on_pupil_clicked (GtkButton *button, CxStudentWindow *self)
{
  g_free (self->pupil);
  self->pupil = g_strdup (gtk_button_get_label (button));
  cx_student_courses_set_pupil (CX_STUDENT_COURSES (self->courses), self->pupil);
  cx_hand_in_panel_set_pupil (CX_HAND_IN_PANEL (self->hand_in), self->pupil);
  show_work (self);
}

static void
on_skip (CxStudentWindow *self)
{
  g_clear_pointer (&self->pupil, g_free);
  show_work (self);
}

/* A flow box is as wide as its most columns: no more than there are
 * buttons, so a short row stays centred. */
static void
fit_columns (GtkFlowBox *box, guint n_children, guint most)
{
  gtk_flow_box_set_max_children_per_line (box, CLAMP (n_children, 1, most));
}

static GtkWidget *
name_button (const char *name, GCallback callback, CxStudentWindow *self)
{
  GtkWidget *button = gtk_button_new_with_label (name);

  gtk_widget_add_css_class (button, "pill");
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static void
show_pupils (CxStudentWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) pupils = NULL;
  g_autofree char *description = NULL;

  remove_children (self->pupils_box);
  pupils = cx_store_list_pupils (cx_application_get_store (self->app), self->class_name, &error);
  if (pupils == NULL)
    description = g_strdup (error->message);
  else if (pupils[0] == NULL)
    description = g_strdup (_ ("There are no names on this class’s roster. Skip to go on."));
  else
    description = g_strdup (_ ("Pick your name, or skip."));
  for (guint i = 0; pupils != NULL && pupils[i] != NULL; i++)
    gtk_flow_box_append (self->pupils_box,
                         name_button (pupils[i], G_CALLBACK (on_pupil_clicked), self));
  fit_columns (self->pupils_box, pupils != NULL ? g_strv_length (pupils) : 0, 5);
  gtk_widget_set_visible (GTK_WIDGET (self->pupils_box), pupils != NULL && pupils[0] != NULL);
  adw_status_page_set_description (self->pupils_page, description);
  show_page (self, "pupils");
}

static void
pick_class (CxStudentWindow *self, const char *class_name)
{
  g_free (self->class_name);
  self->class_name = g_strdup (class_name);
  g_clear_pointer (&self->pupil, g_free);
  g_settings_set_string (cx_application_get_settings (self->app), "student-class", class_name);
  cx_student_courses_set_class (CX_STUDENT_COURSES (self->courses), class_name);
  cx_hand_in_panel_set_class (CX_HAND_IN_PANEL (self->hand_in), class_name);
  show_pupils (self);
}

static void
on_class_clicked (GtkButton *button, CxStudentWindow *self)
{
  pick_class (self, gtk_button_get_label (button));
}

static void
show_classes (CxStudentWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) classes = NULL;

  remove_children (self->classes_box);
  classes = cx_store_list_classes (cx_application_get_store (self->app), &error);
  if (classes == NULL)
    adw_status_page_set_description (self->classes_page, error->message);
  else if (classes->len == 0)
    adw_status_page_set_description (
        self->classes_page,
        _ ("This computer knows no classes yet. A teacher adds them with the timetable or a "
           "class roster."));
  else
    adw_status_page_set_description (self->classes_page, NULL);
  for (guint i = 0; classes != NULL && i < classes->len; i++)
    {
      CxClass *klass = g_ptr_array_index (classes, i);

      gtk_flow_box_append (self->classes_box,
                           name_button (klass->name, G_CALLBACK (on_class_clicked), self));
    }
  fit_columns (self->classes_box, classes != NULL ? classes->len : 0, 4);
  show_page (self, "classes");
}

/* Everything of this pupil goes: what they searched, opened and began to
 * hand in. */
static void
forget_pupil (CxStudentWindow *self)
{
  g_clear_pointer (&self->pupil, g_free);
  cx_student_courses_reset (CX_STUDENT_COURSES (self->courses));
  cx_hand_in_panel_reset (CX_HAND_IN_PANEL (self->hand_in));
}

static void
next_pupil (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxStudentWindow *self = CX_STUDENT_WINDOW (widget);

  forget_pupil (self);
  show_pupils (self);
}

static void
pick_another_class (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxStudentWindow *self = CX_STUDENT_WINDOW (widget);

  forget_pupil (self);
  show_classes (self);
}

static void
on_pin_accepted (CxPinDialog *dialog, CxStudentWindow *self)
{
  forget_pupil (self);
  self->leaving = TRUE;
  cx_student_mode_leave (self->app, GTK_WINDOW (self));
}

static void
ask_pin (CxStudentWindow *self)
{
  GtkWidget *dialog = cx_pin_dialog_new (self->app, GTK_WINDOW (self));

  g_signal_connect_object (dialog, "accepted", G_CALLBACK (on_pin_accepted), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
leave (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ask_pin (CX_STUDENT_WINDOW (widget));
}

static void
on_fullscreen_toggled (CxStudentWindow *self, GtkToggleButton *button)
{
  if (gtk_toggle_button_get_active (button))
    gtk_window_fullscreen (GTK_WINDOW (self));
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
}

static void
on_title_visible (CxStudentWindow *self)
{
  update_switcher (self);
}

/* A pupil closing the window would land on the teacher's desktop. */
static gboolean
cx_student_window_close_request (GtkWindow *window)
{
  CxStudentWindow *self = CX_STUDENT_WINDOW (window);

  if (self->leaving)
    return GTK_WINDOW_CLASS (cx_student_window_parent_class)->close_request (window);
  ask_pin (self);
  return TRUE;
}

static void
cx_student_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CX_TYPE_STUDENT_WINDOW);
  G_OBJECT_CLASS (cx_student_window_parent_class)->dispose (object);
}

static void
cx_student_window_finalize (GObject *object)
{
  CxStudentWindow *self = CX_STUDENT_WINDOW (object);

  g_free (self->class_name);
  g_free (self->pupil);
  G_OBJECT_CLASS (cx_student_window_parent_class)->finalize (object);
}

static void
cx_student_window_class_init (CxStudentWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cx_student_window_dispose;
  object_class->finalize = cx_student_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = cx_student_window_close_request;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/cunxiao/Cunxiao/ui/cx-student-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CxStudentWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CxStudentWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, CxStudentWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, CxStudentWindow, classes_page);
  gtk_widget_class_bind_template_child (widget_class, CxStudentWindow, classes_box);
  gtk_widget_class_bind_template_child (widget_class, CxStudentWindow, pupils_page);
  gtk_widget_class_bind_template_child (widget_class, CxStudentWindow, pupils_box);
  gtk_widget_class_bind_template_child (widget_class, CxStudentWindow, work_stack);
  gtk_widget_class_bind_template_child (widget_class, CxStudentWindow, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, on_skip);
  gtk_widget_class_bind_template_callback (widget_class, on_fullscreen_toggled);
  gtk_widget_class_install_action (widget_class, "student.next-pupil", NULL, next_pupil);
  gtk_widget_class_install_action (widget_class, "student.pick-class", NULL, pick_another_class);
  gtk_widget_class_install_action (widget_class, "student.leave", NULL, leave);
}

static void
cx_student_window_init (CxStudentWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->switcher_title, "notify::title-visible",
                            G_CALLBACK (on_title_visible), self);
}

/**
 * cx_student_window_new:
 *
 * Opens on the class picked last, if it is still known, else on the
 * classes.
 */
CxStudentWindow *
cx_student_window_new (CxApplication *app)
{
  CxStudentWindow *self = g_object_new (CX_TYPE_STUDENT_WINDOW, "application", app, NULL);
  g_autofree char *last =
      g_settings_get_string (cx_application_get_settings (app), "student-class");
  g_autoptr (CxClass) klass = NULL;
  g_autoptr (GError) error = NULL;

  self->app = app;
  self->courses = cx_student_courses_new (app);
  adw_view_stack_add_titled (self->work_stack, self->courses, "courses", _ ("Courses"));
  adw_view_stack_page_set_icon_name (adw_view_stack_get_page (self->work_stack, self->courses),
                                     "accessories-dictionary-symbolic");
  self->hand_in = cx_hand_in_panel_new (app);
  adw_view_stack_add_titled (self->work_stack, self->hand_in, "hand-in", _ ("Hand In Work"));
  adw_view_stack_page_set_icon_name (adw_view_stack_get_page (self->work_stack, self->hand_in),
                                     "document-send-symbolic");
  if (*last != '\0')
    klass = cx_store_get_class (cx_application_get_store (app), last, &error);
  if (klass != NULL)
    pick_class (self, klass->name);
  else
    show_classes (self);
  return self;
}
