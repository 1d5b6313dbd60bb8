/* cx-teach-window.c: teach mode (授课), the lesson full screen on the classroom display
 *
 * One item at a time; a PDF steps through its pages before the next item.
 * Clickers send Page Up/Down (and some B or "." to blank), so those work as
 * well as the arrows and space. The teacher's notes are never drawn here:
 * this window is what the class sees. Ending records one usage event for
 * the session.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-resource-viewer.h"
#include "cx-store-classes.h"
#include "cx-store-lessons.h"
#include "cx-teach-window.h"
#include "cx-usage-events.h"

#define BAR_HIDE_SECONDS 3

typedef struct
{
  char *title;
  char *path; /* NULL when the material is gone; the viewer says so */
  char *kind;
} TeachItem;

struct _CxTeachWindow
{
  GtkWindow parent_instance;

  GtkStack *screen_stack;
  GtkBox *viewer_box;
  GtkRevealer *bar_revealer;
  GtkWidget *previous_button;
  GtkWidget *next_button;
  GtkLabel *position_label;
  GtkLabel *timer_label;
  GtkSpinButton *pupils_spin;
  GtkToggleButton *black_button;
  GtkWidget *end_button;

  CxApplication *app; /* owned */
  GtkWidget *viewer;
  CxLessonPlan *plan;
  GArray *items; /* TeachItem */
  guint current;
  GHashTable *shown; /* indices of items shown */
  gint64 started_at;
  guint timer_source;
  guint hide_source;
  gboolean recorded;
};

G_DEFINE_FINAL_TYPE (CxTeachWindow, cx_teach_window, GTK_TYPE_WINDOW)

static void
teach_item_clear (TeachItem *item)
{
  g_free (item->title);
  g_free (item->path);
  g_free (item->kind);
}

static void
update_position (CxTeachWindow *self)
{
  g_autofree char *text = NULL;

  if (self->items->len == 0)
    {
      gtk_label_set_text (self->position_label, _ ("No material"));
      return;
    }
  text = g_strdup_printf (_ ("%u of %u"), self->current + 1, self->items->len);
  gtk_label_set_text (self->position_label, text);
  gtk_widget_set_sensitive (self->previous_button, self->current > 0);
  gtk_widget_set_sensitive (self->next_button, self->current + 1 < self->items->len);
}

static void
show_item (CxTeachWindow *self, guint index)
{
  TeachItem *item;

  if (index >= self->items->len)
    return;
  self->current = index;
  item = &g_array_index (self->items, TeachItem, index);
  cx_resource_viewer_show (CX_RESOURCE_VIEWER (self->viewer), item->path, item->kind);
  g_hash_table_add (self->shown, GUINT_TO_POINTER (index));
  gtk_toggle_button_set_active (self->black_button, FALSE);
  update_position (self);
}

static void
go_next (CxTeachWindow *self)
{
  if (gtk_toggle_button_get_active (self->black_button))
    {
      gtk_toggle_button_set_active (self->black_button, FALSE);
      return;
    }
  if (cx_resource_viewer_next_page (CX_RESOURCE_VIEWER (self->viewer)))
    return;
  if (self->current + 1 < self->items->len)
    show_item (self, self->current + 1);
}

static void
go_previous (CxTeachWindow *self)
{
  if (gtk_toggle_button_get_active (self->black_button))
    {
      gtk_toggle_button_set_active (self->black_button, FALSE);
      return;
    }
  if (cx_resource_viewer_previous_page (CX_RESOURCE_VIEWER (self->viewer)))
    return;
  if (self->current > 0)
    show_item (self, self->current - 1);
}

static void
on_black_toggled (GtkToggleButton *button, CxTeachWindow *self)
{
  gtk_stack_set_visible_child_name (self->screen_stack,
                                    gtk_toggle_button_get_active (button) ? "black" : "material");
}

static gboolean
tick (gpointer user_data)
{
  CxTeachWindow *self = user_data;
  gint64 seconds = (g_get_monotonic_time () - self->started_at) / G_USEC_PER_SEC;
  g_autofree char *text = g_strdup_printf ("%02d:%02d", (int) (seconds / 60), (int) (seconds % 60));

  gtk_label_set_text (self->timer_label, text);
  return G_SOURCE_CONTINUE;
}

static gboolean
hide_bar (gpointer user_data)
{
  CxTeachWindow *self = user_data;

  self->hide_source = 0;
  gtk_revealer_set_reveal_child (self->bar_revealer, FALSE);
  return G_SOURCE_REMOVE;
}

/* The controls fade out so the class sees only the material, and come back
 * when the mouse moves. */
static void
reveal_bar (CxTeachWindow *self)
{
  gtk_revealer_set_reveal_child (self->bar_revealer, TRUE);
  g_clear_handle_id (&self->hide_source, g_source_remove);
  self->hide_source = g_timeout_add_seconds (BAR_HIDE_SECONDS, hide_bar, self);
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, CxTeachWindow *self)
{
  reveal_bar (self);
}

static void
record_session (CxTeachWindow *self)
{
  g_autoptr (JsonBuilder) payload = NULL;
  g_autoptr (GError) error = NULL;

  if (self->recorded || self->plan == NULL)
    return;
  self->recorded = TRUE;
  payload = json_builder_new ();
  json_builder_begin_object (payload);
  json_builder_set_member_name (payload, "plan");
  json_builder_add_string_value (payload, self->plan->uuid);
  json_builder_set_member_name (payload, "title");
  json_builder_add_string_value (payload, self->plan->title);
  json_builder_set_member_name (payload, "class");
  json_builder_add_string_value (payload, self->plan->class_name);
  json_builder_set_member_name (payload, "subject");
  json_builder_add_string_value (payload, self->plan->subject);
  json_builder_set_member_name (payload, "seconds");
  json_builder_add_int_value (payload,
                              (g_get_monotonic_time () - self->started_at) / G_USEC_PER_SEC);
  json_builder_set_member_name (payload, "items");
  json_builder_add_int_value (payload, self->items->len);
  json_builder_set_member_name (payload, "items_shown");
  json_builder_add_int_value (payload, g_hash_table_size (self->shown));
  /* Taught in a class of the timetable: its form and teacher count in the
   * monthly report. Its class and subject win over the plan's. */
  /* Those the teacher counted; the class's roster size until they do. */
  if (gtk_spin_button_get_value_as_int (self->pupils_spin) > 0)
    {
      json_builder_set_member_name (payload, "pupils");
      json_builder_add_int_value (payload, gtk_spin_button_get_value_as_int (self->pupils_spin));
    }
  if (!cx_usage_events_describe_lesson (cx_application_get_store (self->app), self->plan->id,
                                        g_get_real_time () / G_USEC_PER_SEC, payload, &error))
    g_debug ("teach: the timetable entry of plan %" G_GINT64_FORMAT " not described: %s",
             self->plan->id, error->message);
  cx_application_record (self->app, "lesson.taught", payload);
}

static gboolean
cx_teach_window_close_request (GtkWindow *window)
{
  record_session (CX_TEACH_WINDOW (window));
  return GTK_WINDOW_CLASS (cx_teach_window_parent_class)->close_request (window);
}

static void
action_next (GtkWidget *widget, const char *name, GVariant *parameter)
{
  go_next (CX_TEACH_WINDOW (widget));
}

static void
action_previous (GtkWidget *widget, const char *name, GVariant *parameter)
{
  go_previous (CX_TEACH_WINDOW (widget));
}

static void
action_black (GtkWidget *widget, const char *name, GVariant *parameter)
{
  CxTeachWindow *self = CX_TEACH_WINDOW (widget);

  gtk_toggle_button_set_active (self->black_button,
                                !gtk_toggle_button_get_active (self->black_button));
}

static void
action_end (GtkWidget *widget, const char *name, GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
cx_teach_window_dispose (GObject *object)
{
  CxTeachWindow *self = CX_TEACH_WINDOW (object);

  g_clear_handle_id (&self->timer_source, g_source_remove);
  g_clear_handle_id (&self->hide_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_TEACH_WINDOW);
  G_OBJECT_CLASS (cx_teach_window_parent_class)->dispose (object);
}

static void
cx_teach_window_finalize (GObject *object)
{
  CxTeachWindow *self = CX_TEACH_WINDOW (object);

  g_clear_pointer (&self->items, g_array_unref);
  g_clear_pointer (&self->shown, g_hash_table_unref);
  g_clear_pointer (&self->plan, cx_lesson_plan_free);
  g_clear_object (&self->app);
  G_OBJECT_CLASS (cx_teach_window_parent_class)->finalize (object);
}

/* Keys are taken before the material sees them: a text view would use
 * Page Down to scroll, a clicker means "next". */
static void
add_keys (GtkShortcutController *controller, const char *action, const guint *keys, guint n_keys)
{
  for (guint i = 0; i < n_keys; i++)
    gtk_shortcut_controller_add_shortcut (
        controller,
        gtk_shortcut_new (gtk_keyval_trigger_new (keys[i], 0), gtk_named_action_new (action)));
}

static const guint next_keys[] = { GDK_KEY_Page_Down, GDK_KEY_Right,  GDK_KEY_Down,
                                   GDK_KEY_space,     GDK_KEY_Return, GDK_KEY_KP_Next };
static const guint previous_keys[] = { GDK_KEY_Page_Up, GDK_KEY_Left, GDK_KEY_Up, GDK_KEY_BackSpace,
                                       GDK_KEY_KP_Prior };
static const guint black_keys[] = { GDK_KEY_b, GDK_KEY_B, GDK_KEY_period };
static const guint end_keys[] = { GDK_KEY_Escape };

static void
cx_teach_window_class_init (CxTeachWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = cx_teach_window_dispose;
  G_OBJECT_CLASS (klass)->finalize = cx_teach_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = cx_teach_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cunxiao/Cunxiao/ui/cx-teach-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CxTeachWindow, screen_stack);
  gtk_widget_class_bind_template_child (widget_class, CxTeachWindow, viewer_box);
  gtk_widget_class_bind_template_child (widget_class, CxTeachWindow, bar_revealer);
  gtk_widget_class_bind_template_child (widget_class, CxTeachWindow, previous_button);
  gtk_widget_class_bind_template_child (widget_class, CxTeachWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, CxTeachWindow, position_label);
  gtk_widget_class_bind_template_child (widget_class, CxTeachWindow, timer_label);
  gtk_widget_class_bind_template_child (widget_class, CxTeachWindow, pupils_spin);
  gtk_widget_class_bind_template_child (widget_class, CxTeachWindow, black_button);
  gtk_widget_class_bind_template_child (widget_class, CxTeachWindow, end_button);

  gtk_widget_class_install_action (widget_class, "teach.next", NULL, action_next);
  gtk_widget_class_install_action (widget_class, "teach.previous", NULL, action_previous);
  gtk_widget_class_install_action (widget_class, "teach.black", NULL, action_black);
  gtk_widget_class_install_action (widget_class, "teach.end", NULL, action_end);
}

static void
cx_teach_window_init (CxTeachWindow *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->items = g_array_new (FALSE, TRUE, sizeof (TeachItem));
  g_array_set_clear_func (self->items, (GDestroyNotify) teach_item_clear);
  self->shown = g_hash_table_new (NULL, NULL);
  self->viewer = cx_resource_viewer_new ();
  gtk_widget_set_hexpand (self->viewer, TRUE);
  gtk_widget_set_vexpand (self->viewer, TRUE);
  cx_resource_viewer_set_presenting (CX_RESOURCE_VIEWER (self->viewer), TRUE);
  gtk_box_append (self->viewer_box, self->viewer);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->next_button), "teach.next");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->previous_button), "teach.previous");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->end_button), "teach.end");
  g_signal_connect (self->black_button, "toggled", G_CALLBACK (on_black_toggled), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  add_keys (GTK_SHORTCUT_CONTROLLER (keys), "teach.next", next_keys, G_N_ELEMENTS (next_keys));
  add_keys (GTK_SHORTCUT_CONTROLLER (keys), "teach.previous", previous_keys,
            G_N_ELEMENTS (previous_keys));
  add_keys (GTK_SHORTCUT_CONTROLLER (keys), "teach.black", black_keys, G_N_ELEMENTS (black_keys));
  add_keys (GTK_SHORTCUT_CONTROLLER (keys), "teach.end", end_keys, G_N_ELEMENTS (end_keys));
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/* The class's roster as the first guess of who is there. */
static void
count_pupils (CxTeachWindow *self)
{
  g_autoptr (CxClass) klass = NULL;
  g_autoptr (GError) error = NULL;

  if (self->plan->class_name == NULL || *self->plan->class_name == '\0')
    return;
  klass = cx_store_get_class (cx_application_get_store (self->app), self->plan->class_name, &error);
  if (klass != NULL)
    gtk_spin_button_set_value (self->pupils_spin, klass->n_pupils);
}

static void
load_items (CxTeachWindow *self, gint64 plan_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = NULL;
  CxLibrary *library = cx_application_get_library (self->app);

  self->plan = cx_store_get_lesson_plan (cx_application_get_store (self->app), plan_id, &error);
  if (self->plan != NULL)
    items = cx_store_list_lesson_items (cx_application_get_store (self->app), plan_id, &error);
  if (items == NULL)
    {
      g_warning ("Cannot teach lesson %" G_GINT64_FORMAT ": %s", plan_id, error->message);
      return;
    }
  gtk_window_set_title (GTK_WINDOW (self), self->plan->title);
  count_pupils (self);
  for (guint i = 0; i < items->len; i++)
    {
      CxLessonItem *item = g_ptr_array_index (items, i);
      g_autoptr (GError) missing = NULL;
      TeachItem teach = { 0 };

      teach.title = g_strdup (item->title);
      teach.path = cx_library_get_lesson_item_file (library, item, &teach.kind, &missing);
      g_array_append_val (self->items, teach);
    }
}

GtkWidget *
cx_teach_window_new (CxApplication *app, gint64 plan_id)
{
  CxTeachWindow *self = g_object_new (CX_TYPE_TEACH_WINDOW, NULL);

  self->app = g_object_ref (app);
  load_items (self, plan_id);
  self->started_at = g_get_monotonic_time ();
  gtk_widget_set_visible (
      GTK_WIDGET (self->timer_label),
      g_settings_get_boolean (cx_application_get_settings (app), "teach-show-timer"));
  tick (self);
  self->timer_source = g_timeout_add_seconds (1, tick, self);
  show_item (self, 0);
  update_position (self);
  reveal_bar (self);
  gtk_window_fullscreen (GTK_WINDOW (self));
  return GTK_WIDGET (self);
}
