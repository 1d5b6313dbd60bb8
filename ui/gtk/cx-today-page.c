/* cx-today-page.c: the Today page: today's date, now and next on the timetable, recent lessons
 *
 * What a teacher opens the laptop for in the morning. Everything on it
 * comes from the store, so it is the same with or without a network.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-store-lessons.h"
#include "cx-store-timetable.h"
#include "cx-timetable-format.h"
#include "cx-today-page.h"
#include "cx-window.h"

#define RECENT_LESSONS  5
#define LOOK_AHEAD_DAYS 7 /* how far to look for the next class when today has none left */

struct _CxTodayPage
{
  AdwBin parent_instance;

  GtkLabel *date_label;
  GtkListBox *timetable_list;
  GtkListBox *lessons_list;

  CxApplication *app; /* not owned; NULL once disposed */
  guint tick_source;  /* moves "now" on every minute */
};

G_DEFINE_FINAL_TYPE (CxTodayPage, cx_today_page, ADW_TYPE_BIN)

static CxWindow *
window_of (CxTodayPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return CX_IS_WINDOW (root) ? CX_WINDOW (root) : NULL;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* Rows show names people typed: never parse them as markup. */
static GtkWidget *
new_row (const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

/* "Nothing here" rows are read, not activated. */
static void
add_note_row (GtkListBox *list, const char *title, const char *subtitle)
{
  GtkWidget *row = new_row (title, subtitle);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (list, row);
}

static void
make_openable (GtkWidget *row, gint64 plan_id, const char *tooltip)
{
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
  g_object_set_data (G_OBJECT (row), "plan-id", GSIZE_TO_POINTER ((gsize) plan_id));
}

static void
append_part (GString *text, const char *part)
{
  if (part == NULL || *part == '\0')
    return;
  if (text->len > 0)
    g_string_append (text, " · ");
  g_string_append (text, part);
}

static void
add_badge (GtkWidget *row, const char *text, const char *css_class)
{
  GtkWidget *badge = gtk_label_new (text);

  gtk_widget_add_css_class (badge, css_class);
  gtk_widget_add_css_class (badge, "heading");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
}

typedef enum
{
  WHEN_NOW,
  WHEN_NEXT,
  WHEN_LATER,
} When;

/* A class on the timetable; it opens its details on the Timetable page,
 * whence its lesson plan or material is one more click. */
static GtkWidget *
new_entry_row (const CxTimetableEntry *entry, When when, gboolean show_day)
{
  g_autofree char *range = cx_timetable_format_range (entry);
  g_autoptr (GString) title = g_string_new (NULL);
  g_autoptr (GString) subtitle = g_string_new (NULL);
  g_autofree char *partner = NULL;
  GtkWidget *row;
  GtkWidget *time_label;

  append_part (title, entry->subject);
  append_part (title, entry->class_name);
  append_part (subtitle, cx_activity_form_get_label (entry->form));
  if (entry->partner_school != NULL && *entry->partner_school != '\0')
    {
      /* TRANSLATORS: the other school of a paired class, e.g. "with 城关小学" */
      partner = g_strdup_printf (_ ("with %s"), entry->partner_school);
      append_part (subtitle, partner);
    }
  if (show_day)
    {
      g_autofree char *day = cx_timetable_format_day (entry->starts_at);
      g_autofree char *with_day = g_strdup_printf ("%s %s", day, range);

      g_free (range);
      range = g_steal_pointer (&with_day);
    }
  row = new_row (title->len > 0 ? title->str : _ ("Class"), subtitle->str);

  time_label = gtk_label_new (range);
  gtk_widget_add_css_class (time_label, "numeric");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), time_label);
  if (entry->conflict != NULL)
    add_badge (row, _ ("Changed here and at the hub"), "error");
  if (when == WHEN_NOW)
    add_badge (row, _ ("Now"), "accent");
  else if (when == WHEN_NEXT)
    add_badge (row, _ ("Next"), "dim-label");
  make_openable (row, 0, _ ("Open this class on the timetable"));
  g_object_set_data_full (G_OBJECT (row), "timetable-uuid", g_strdup (entry->uuid), g_free);
  return row;
}

/* Nothing left today: the next class within a week, so the page never
 * hides that something is coming. */
static void
add_next_class (CxTodayPage *self, gint64 from)
{
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) error = NULL;

  entries = cx_store_list_timetable (cx_application_get_store (self->app), from,
                                     from + LOOK_AHEAD_DAYS * 24 * 3600, &error);
  if (entries == NULL)
    {
      g_debug ("today: no next class: %s", error->message);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      const CxTimetableEntry *entry = g_ptr_array_index (entries, i);

      if (entry->starts_at >= from)
        {
          gtk_list_box_append (self->timetable_list, new_entry_row (entry, WHEN_NEXT, TRUE));
          return;
        }
    }
}

static void
show_heading (CxTodayPage *self, GDateTime *now)
{
  /* TRANSLATORS: the Today page's heading, a g_date_time_format() format;
   * in Chinese e.g. "%Y年%-m月%-d日 %A" */
  g_autofree char *text = g_date_time_format (now, C_ ("today heading", "%A, %-d %B %Y"));

  gtk_label_set_text (self->date_label, text != NULL ? text : "");
}

/* What is on now and what is still to come today; past classes drop off. */
static void
fill_timetable (CxTodayPage *self, GDateTime *now)
{
  g_autoptr (GDateTime) midnight =
      g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                             g_date_time_get_day_of_month (now), 0, 0, 0);
  g_autoptr (GDateTime) tomorrow = g_date_time_add_days (midnight, 1);
  gint64 now_unix = g_date_time_to_unix (now);
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) error = NULL;
  gboolean next_shown = FALSE;

  clear_list (self->timetable_list);
  entries = cx_store_list_timetable (cx_application_get_store (self->app), now_unix,
                                     g_date_time_to_unix (tomorrow), &error);
  if (entries == NULL)
    {
      add_note_row (self->timetable_list, _ ("The timetable could not be read"), error->message);
      return;
    }
  if (entries->len == 0)
    {
      add_note_row (self->timetable_list, _ ("Nothing more on the timetable today"), NULL);
      add_next_class (self, g_date_time_to_unix (tomorrow));
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      const CxTimetableEntry *entry = g_ptr_array_index (entries, i);
      When when = entry->starts_at <= now_unix ? WHEN_NOW : WHEN_LATER;

      /* The first class still to start is the next one. */
      if (when == WHEN_LATER && !next_shown)
        {
          when = WHEN_NEXT;
          next_shown = TRUE;
        }
      gtk_list_box_append (self->timetable_list, new_entry_row (entry, when, FALSE));
    }
}

static int
compare_updated (gconstpointer a, gconstpointer b)
{
  const CxLessonPlan *plan_a = *(CxLessonPlan *const *) a;
  const CxLessonPlan *plan_b = *(CxLessonPlan *const *) b;

  if (plan_a->updated_at != plan_b->updated_at)
    return plan_a->updated_at > plan_b->updated_at ? -1 : 1;
  return plan_a->id > plan_b->id ? -1 : plan_a->id < plan_b->id;
}

static void
fill_lessons (CxTodayPage *self)
{
  g_autoptr (GPtrArray) plans = NULL;
  g_autoptr (GError) error = NULL;

  clear_list (self->lessons_list);
  plans = cx_store_list_lesson_plans (cx_application_get_store (self->app), &error);
  if (plans == NULL)
    {
      add_note_row (self->lessons_list, _ ("The lesson plans could not be read"), error->message);
      return;
    }
  if (plans->len == 0)
    {
      add_note_row (self->lessons_list, _ ("No lesson plans yet"),
                    _ ("Plans you prepare show here, ready to teach"));
      return;
    }
  /* The store lists by lesson date; what was worked on last matters here. */
  g_ptr_array_sort (plans, compare_updated);
  for (guint i = 0; i < plans->len && i < RECENT_LESSONS; i++)
    {
      const CxLessonPlan *plan = g_ptr_array_index (plans, i);
      g_autoptr (GString) subtitle = g_string_new (NULL);
      GtkWidget *row;

      append_part (subtitle, plan->class_name);
      append_part (subtitle, plan->lesson_date);
      row = new_row (*plan->title != '\0' ? plan->title : _ ("Untitled lesson"), subtitle->str);
      make_openable (row, plan->id, _ ("Open this lesson plan"));
      gtk_list_box_append (self->lessons_list, row);
    }
}

static void
reload (CxTodayPage *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  if (self->app == NULL || cx_application_get_store (self->app) == NULL)
    return;
  show_heading (self, now);
  fill_timetable (self, now);
  fill_lessons (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  CxTodayPage *self = user_data;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  /* Off screen, the map handler catches up; no need to read the store. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && self->app != NULL)
    {
      show_heading (self, now);
      fill_timetable (self, now);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_row_activated (GtkListBox *list, GtkListBoxRow *row, CxTodayPage *self)
{
  gint64 plan_id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "plan-id"));
  const char *uuid = g_object_get_data (G_OBJECT (row), "timetable-uuid");
  CxWindow *window = window_of (self);

  if (window == NULL)
    return;
  if (uuid != NULL)
    cx_window_show_timetable_entry (window, uuid);
  else if (plan_id > 0)
    cx_window_open_lesson (window, plan_id);
}

static void
on_changed (CxApplication *app, CxTodayPage *self)
{
  reload (self);
}

static void
prepare_lesson (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxWindow *window = window_of (CX_TODAY_PAGE (widget));

  if (window != NULL)
    cx_window_show_page (window, "lessons");
}

static void
cx_today_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cx_today_page_parent_class)->map (widget);
  reload (CX_TODAY_PAGE (widget));
}

static void
cx_today_page_dispose (GObject *object)
{
  CxTodayPage *self = CX_TODAY_PAGE (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->app != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->app, self);
      self->app = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_TODAY_PAGE);
  G_OBJECT_CLASS (cx_today_page_parent_class)->dispose (object);
}

static void
cx_today_page_class_init (CxTodayPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cx_today_page_dispose;
  widget_class->map = cx_today_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cunxiao/Cunxiao/ui/cx-today-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CxTodayPage, date_label);
  gtk_widget_class_bind_template_child (widget_class, CxTodayPage, timetable_list);
  gtk_widget_class_bind_template_child (widget_class, CxTodayPage, lessons_list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_install_action (widget_class, "today.prepare", NULL, prepare_lesson);
}

static void
cx_today_page_init (CxTodayPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cx_today_page_new (CxApplication *app)
{
  CxTodayPage *self;

  g_return_val_if_fail (CX_IS_APPLICATION (app), NULL);

  self = g_object_new (CX_TYPE_TODAY_PAGE, NULL);
  self->app = app;
  g_signal_connect (app, "lessons-changed", G_CALLBACK (on_changed), self);
  g_signal_connect (app, "library-changed", G_CALLBACK (on_changed), self);
  g_signal_connect (app, "timetable-changed", G_CALLBACK (on_changed), self);
  self->tick_source = g_timeout_add_seconds (60, tick_cb, self);
  reload (self);
  return GTK_WIDGET (self);
}
