/* cx-timetable-editor.c: adding or changing a class of the school's own
 *
 * The form checks what was typed field by field, in the order the fields
 * appear, and says what to change beside the first one at fault; nothing
 * is saved until all is right. Dates and times are typed (a calendar helps
 * with the date) and read the way a Chinese input method types them too.
 * A saved class goes to the hub at the next sync.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-course-node.h"
#include "cx-store-lessons.h"
#include "cx-timetable-edit.h"
#include "cx-timetable-editor.h"
#include "cx-timetable-format.h"
#include "cx-window.h"

struct _CxTimetableEditor
{
  AdwWindow parent_instance;

  GtkLabel *error_label;
  AdwComboRow *form_row;
  AdwEntryRow *subject_row;
  AdwEntryRow *class_row;
  AdwEntryRow *teacher_row;
  AdwEntryRow *partner_row;
  AdwEntryRow *date_row;
  GtkPopover *calendar_popover;
  GtkCalendar *calendar;
  AdwEntryRow *starts_row;
  AdwEntryRow *ends_row;
  AdwComboRow *package_row;
  AdwComboRow *unit_row;
  AdwComboRow *plan_row;
  AdwEntryRow *live_url_row;
  AdwEntryRow *fallback_row;

  CxApplication *app; /* not owned: it outlives its windows */
  CxTimetableNames *names;
  CxTimetableItem *item;   /* NULL for a new class */
  GPtrArray *package_keys; /* parallel to package_row's choices; "" is none */
  GPtrArray *unit_ids;     /* parallel to unit_row's choices; "" is the whole package */
  GArray *plan_ids;        /* parallel to plan_row's choices; 0 is none */
  GPtrArray *plans;        /* CxLessonPlan, all of them */
  GtkWidget *marked;       /* the row marked as at fault */
};

G_DEFINE_FINAL_TYPE (CxTimetableEditor, cx_timetable_editor, ADW_TYPE_WINDOW)

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_text (AdwEntryRow *row, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static char *
stripped (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (text_of (row)));
}

static void
clear_error (CxTimetableEditor *self)
{
  if (self->marked != NULL)
    {
      gtk_widget_remove_css_class (self->marked, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->marked),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      self->marked = NULL;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

/* Says what is wrong above the form and marks the row at fault, which
 * takes the focus so that typing fixes it. */
static void
show_error (CxTimetableEditor *self, GtkWidget *row, const char *message)
{
  clear_error (self);
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  if (row == NULL)
    return;
  self->marked = row;
  gtk_widget_add_css_class (row, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  message, -1);
  gtk_widget_grab_focus (row);
}

static void
on_edited (CxTimetableEditor *self)
{
  if (self->marked != NULL)
    clear_error (self);
}

/* "2026-11-24", "2026/11/24", "2026.11.24" or "2026年11月24日". */
static gboolean
parse_date (const char *text, int *year, int *month, int *day)
{
  g_autoptr (GString) ascii = g_string_new (text);
  g_auto (GStrv) parts = NULL;
  char *end;

  g_string_replace (ascii, " ", "", 0);
  g_string_replace (ascii, "年", "-", 0);
  g_string_replace (ascii, "月", "-", 0);
  g_string_replace (ascii, "日", "", 0);
  g_string_replace (ascii, "/", "-", 0);
  g_string_replace (ascii, ".", "-", 0);
  parts = g_strsplit (ascii->str, "-", -1);
  if (g_strv_length (parts) != 3)
    return FALSE;
  *year = (int) g_ascii_strtoll (parts[0], &end, 10);
  if (*parts[0] == '\0' || *end != '\0')
    return FALSE;
  *month = (int) g_ascii_strtoll (parts[1], &end, 10);
  if (*parts[1] == '\0' || *end != '\0')
    return FALSE;
  *day = (int) g_ascii_strtoll (parts[2], &end, 10);
  if (*parts[2] == '\0' || *end != '\0')
    return FALSE;
  return *year >= 1970 && *year <= 9999 && g_date_valid_dmy (*day, *month, *year);
}

/* "08:00", "8:00", "08：00" or "8.00". */
static gboolean
parse_clock (const char *text, int *hour, int *minute)
{
  g_autoptr (GString) ascii = g_string_new (text);
  g_auto (GStrv) parts = NULL;
  char *end;

  g_string_replace (ascii, " ", "", 0);
  g_string_replace (ascii, "：", ":", 0);
  g_string_replace (ascii, ".", ":", 0);
  parts = g_strsplit (ascii->str, ":", -1);
  if (g_strv_length (parts) != 2 || strlen (parts[1]) != 2 || *parts[0] == '\0')
    return FALSE;
  *hour = (int) g_ascii_strtoll (parts[0], &end, 10);
  if (*end != '\0')
    return FALSE;
  *minute = (int) g_ascii_strtoll (parts[1], &end, 10);
  if (*end != '\0')
    return FALSE;
  return *hour >= 0 && *hour <= 23 && *minute >= 0 && *minute <= 59;
}

static GtkWidget *
row_of_field (CxTimetableEditor *self, CxTimetableFields field)
{
  switch (field)
    {
    case CX_TIMETABLE_FIELD_FORM:
      return GTK_WIDGET (self->form_row);
    case CX_TIMETABLE_FIELD_SUBJECT:
      return GTK_WIDGET (self->subject_row);
    case CX_TIMETABLE_FIELD_CLASS:
      return GTK_WIDGET (self->class_row);
    case CX_TIMETABLE_FIELD_TEACHER:
      return GTK_WIDGET (self->teacher_row);
    case CX_TIMETABLE_FIELD_PARTNER:
      return GTK_WIDGET (self->partner_row);
    case CX_TIMETABLE_FIELD_STARTS:
      return GTK_WIDGET (self->starts_row);
    case CX_TIMETABLE_FIELD_ENDS:
      return GTK_WIDGET (self->ends_row);
    case CX_TIMETABLE_FIELD_PACKAGE:
      return GTK_WIDGET (self->package_row);
    case CX_TIMETABLE_FIELD_UNIT:
      return GTK_WIDGET (self->unit_row);
    case CX_TIMETABLE_FIELD_LIVE_URL:
      return GTK_WIDGET (self->live_url_row);
    case CX_TIMETABLE_FIELD_FALLBACK:
      return GTK_WIDGET (self->fallback_row);
    default:
      return NULL;
    }
}

static gboolean
read_time (CxTimetableEditor *self, AdwEntryRow *row, int year, int month, int day, gint64 *out)
{
  g_autofree char *text = stripped (row);
  g_autoptr (GDateTime) time = NULL;
  g_autofree char *message = NULL;
  int hour, minute;

  if (parse_clock (text, &hour, &minute) &&
      (time = g_date_time_new_local (year, month, day, hour, minute, 0)) != NULL)
    {
      *out = g_date_time_to_unix (time);
      return TRUE;
    }
  message = *text == '\0' ? g_strdup (_ ("Give the time, like 08:00."))
                          : g_strdup_printf (_ ("“%s” is not a time. Give it like 08:00."), text);
  show_error (self, GTK_WIDGET (row), message);
  return FALSE;
}

static const char *
chosen_text (GPtrArray *keys, AdwComboRow *row)
{
  guint selected = adw_combo_row_get_selected (row);

  return selected < keys->len ? g_ptr_array_index (keys, selected) : "";
}

static void
save (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxTimetableEditor *self = CX_TIMETABLE_EDITOR (widget);
  g_autofree char *subject = stripped (self->subject_row);
  g_autofree char *class_name = stripped (self->class_row);
  g_autofree char *teacher = stripped (self->teacher_row);
  g_autofree char *partner = stripped (self->partner_row);
  g_autofree char *date = stripped (self->date_row);
  g_autofree char *live_url = stripped (self->live_url_row);
  g_autofree char *fallback = stripped (self->fallback_row);
  g_autoptr (GError) error = NULL;
  CxTimetableEntry entry = { 0 };
  CxTimetableEntry probe;
  CxTimetableFields field = 0;
  guint plan = adw_combo_row_get_selected (self->plan_row);
  int year, month, day;
  CxWindow *window;

  clear_error (self);
  /* Unknown fields of an entry being changed pass through untouched. */
  if (self->item != NULL)
    entry = *cx_timetable_item_get_entry (self->item);
  entry.form = (CxActivityForm) adw_combo_row_get_selected (self->form_row);
  entry.subject = subject;
  entry.class_name = class_name;
  entry.teacher = teacher;
  entry.partner_school = partner;
  entry.package_key = (char *) chosen_text (self->package_keys, self->package_row);
  entry.unit = (char *) chosen_text (self->unit_ids, self->unit_row);
  entry.live_url = live_url;
  entry.fallback = fallback;
  entry.lesson_plan_id =
      plan < self->plan_ids->len ? g_array_index (self->plan_ids, gint64, plan) : 0;

  /* The fields above the times first, in the order they are read. */
  probe = entry;
  probe.starts_at = 1;
  probe.ends_at = 2;
  if (!cx_timetable_check_entry (&probe, &field, &error) &&
      (field & (CX_TIMETABLE_FIELD_PACKAGE | CX_TIMETABLE_FIELD_UNIT | CX_TIMETABLE_FIELD_LIVE_URL |
                CX_TIMETABLE_FIELD_FALLBACK)) == 0)
    {
      show_error (self, row_of_field (self, field), error->message);
      return;
    }
  g_clear_error (&error);
  if (!parse_date (date, &year, &month, &day))
    {
      g_autofree char *message =
          *date == '\0'
              ? g_strdup (_ ("Give the date, like 2026-11-24."))
              : g_strdup_printf (_ ("“%s” is not a date. Give it like 2026-11-24."), date);

      show_error (self, GTK_WIDGET (self->date_row), message);
      return;
    }
  if (!read_time (self, self->starts_row, year, month, day, &entry.starts_at) ||
      !read_time (self, self->ends_row, year, month, day, &entry.ends_at))
    return;
  if (!cx_timetable_check_entry (&entry, &field, &error))
    {
      show_error (self, row_of_field (self, field), error->message);
      return;
    }
  if (cx_timetable_save_school_entry (cx_application_get_store (self->app), &entry, &error) == 0)
    {
      show_error (self, NULL, error->message);
      return;
    }

  cx_application_timetable_changed (self->app);
  window = CX_IS_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (self)))
               ? CX_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (self)))
               : NULL;
  if (window != NULL)
    cx_window_toast (window, _ ("The class is saved. It goes to the hub at the next sync."));
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Fills a choice row: @labels shown, and the choice whose key is @selected. */
static void
set_choices (AdwComboRow *row, GPtrArray *labels, guint selected)
{
  g_autoptr (GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; i < labels->len; i++)
    gtk_string_list_append (model, g_ptr_array_index (labels, i));
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (row, selected);
}

static void
fill_units (CxTimetableEditor *self, const char *package_key, const char *unit)
{
  GListModel *units = cx_timetable_names_list_units (self->names, package_key);
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  guint selected = 0;

  g_ptr_array_set_size (self->unit_ids, 0);
  g_ptr_array_add (labels, (gpointer) _ ("The whole package"));
  g_ptr_array_add (self->unit_ids, g_strdup (""));
  for (guint i = 0; i < g_list_model_get_n_items (units); i++)
    {
      g_autoptr (CxCourseNode) node = g_list_model_get_item (units, i);

      if (g_strcmp0 (cx_course_node_get_id (node), unit) == 0)
        selected = self->unit_ids->len;
      g_ptr_array_add (labels, (gpointer) cx_course_node_get_title (node));
      g_ptr_array_add (self->unit_ids, g_strdup (cx_course_node_get_id (node)));
    }
  if (unit != NULL && *unit != '\0' && selected == 0)
    {
      /* A unit of a package not on this computer yet: kept as it is. */
      selected = self->unit_ids->len;
      g_ptr_array_add (labels, (gpointer) unit);
      g_ptr_array_add (self->unit_ids, g_strdup (unit));
    }
  set_choices (self->unit_row, labels, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->unit_row), self->unit_ids->len > 1);
}

static void
fill_packages (CxTimetableEditor *self, const char *package_key)
{
  GListModel *packages = cx_timetable_names_list_packages (self->names);
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  guint selected = 0;

  g_ptr_array_set_size (self->package_keys, 0);
  g_ptr_array_add (labels, g_strdup (_ ("None")));
  g_ptr_array_add (self->package_keys, g_strdup (""));
  for (guint i = 0; i < g_list_model_get_n_items (packages); i++)
    {
      g_autoptr (CxCourseNode) node = g_list_model_get_item (packages, i);
      const char *key = cx_course_node_get_package_key (node);

      if (!cx_course_node_get_on_disk (node) && g_strcmp0 (key, package_key) != 0)
        continue;
      if (g_strcmp0 (key, package_key) == 0)
        selected = self->package_keys->len;
      g_ptr_array_add (labels, g_strdup (cx_course_node_get_title (node)));
      g_ptr_array_add (self->package_keys, g_strdup (key));
    }
  if (package_key != NULL && *package_key != '\0' && selected == 0)
    {
      selected = self->package_keys->len;
      /* TRANSLATORS: a package a class links to that this computer does not know */
      g_ptr_array_add (labels, g_strdup_printf (_ ("%s (not on this computer)"), package_key));
      g_ptr_array_add (self->package_keys, g_strdup (package_key));
    }
  set_choices (self->package_row, labels, selected);
}

static void
on_package_selected (CxTimetableEditor *self)
{
  fill_units (self, chosen_text (self->package_keys, self->package_row), NULL);
}

/* The plans of the class typed, and the one linked now whatever its class. */
static void
fill_plans (CxTimetableEditor *self, gint64 plan_id)
{
  g_autofree char *class_name = stripped (self->class_row);
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  guint selected = 0;

  g_array_set_size (self->plan_ids, 0);
  g_ptr_array_add (labels, (gpointer) _ ("None"));
  g_array_append_val (self->plan_ids, (gint64){ 0 });
  for (guint i = 0; self->plans != NULL && i < self->plans->len; i++)
    {
      const CxLessonPlan *plan = g_ptr_array_index (self->plans, i);
      g_autofree char *plan_class = g_strstrip (g_strdup (plan->class_name));

      if (plan->id != plan_id && (*class_name == '\0' || g_strcmp0 (plan_class, class_name) != 0))
        continue;
      if (plan->id == plan_id)
        selected = self->plan_ids->len;
      g_ptr_array_add (labels, *plan->title != '\0' ? plan->title : (char *) _ ("Untitled lesson"));
      g_array_append_val (self->plan_ids, plan->id);
    }
  set_choices (self->plan_row, labels, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->plan_row), self->plan_ids->len > 1);
}

static void
on_class_changed (CxTimetableEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->plan_row);

  on_edited (self);
  fill_plans (
      self, selected < self->plan_ids->len ? g_array_index (self->plan_ids, gint64, selected) : 0);
}

static void
on_day_selected (CxTimetableEditor *self)
{
  g_autoptr (GDateTime) day = gtk_calendar_get_date (self->calendar);
  g_autofree char *text = g_date_time_format (day, "%Y-%m-%d");

  set_text (self->date_row, text);
  gtk_popover_popdown (self->calendar_popover);
}

static void
fill_forms (CxTimetableEditor *self, CxActivityForm form)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  for (CxActivityForm f = CX_ACTIVITY_SYNC_CLASSROOM; f <= CX_ACTIVITY_LOCAL; f++)
    g_ptr_array_add (labels, (gpointer) cx_activity_form_get_label (f));
  set_choices (self->form_row, labels, form);
}

static void
fill_in (CxTimetableEditor *self, GDateTime *day)
{
  const CxTimetableEntry *entry =
      self->item != NULL ? cx_timetable_item_get_entry (self->item) : NULL;
  g_autoptr (GDateTime) starts = NULL;
  g_autofree char *date = NULL, *starts_text = NULL, *ends_text = NULL;
  g_autoptr (GError) error = NULL;

  self->plans = cx_store_list_lesson_plans (cx_application_get_store (self->app), &error);
  if (self->plans == NULL)
    g_debug ("timetable editor: no lesson plans: %s", error->message);

  gtk_window_set_title (GTK_WINDOW (self),
                        entry != NULL ? _ ("Change the Class") : _ ("New Class"));
  fill_forms (self, entry != NULL ? entry->form : CX_ACTIVITY_LOCAL);
  if (entry == NULL)
    {
      date = g_date_time_format (day, "%Y-%m-%d");
      set_text (self->date_row, date);
      set_text (self->starts_row, "08:00");
      set_text (self->ends_row, "08:40");
      fill_packages (self, NULL);
      fill_units (self, NULL, NULL);
      fill_plans (self, 0);
      gtk_calendar_select_day (self->calendar, day);
      return;
    }
  starts = g_date_time_new_from_unix_local (entry->starts_at);
  date = g_date_time_format (starts, "%Y-%m-%d");
  starts_text = cx_timetable_format_clock (entry->starts_at);
  ends_text = cx_timetable_format_clock (entry->ends_at);
  set_text (self->subject_row, entry->subject);
  set_text (self->class_row, entry->class_name);
  set_text (self->teacher_row, entry->teacher);
  set_text (self->partner_row, entry->partner_school);
  set_text (self->date_row, date);
  set_text (self->starts_row, starts_text);
  set_text (self->ends_row, ends_text);
  set_text (self->live_url_row, entry->live_url);
  set_text (self->fallback_row, entry->fallback);
  gtk_calendar_select_day (self->calendar, starts);
  fill_packages (self, entry->package_key);
  fill_units (self, entry->package_key, entry->unit);
  fill_plans (self, entry->lesson_plan_id);
}

static void
cx_timetable_editor_dispose (GObject *object)
{
  CxTimetableEditor *self = CX_TIMETABLE_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_TIMETABLE_EDITOR);
  g_clear_object (&self->item);
  g_clear_object (&self->names);
  g_clear_pointer (&self->plans, g_ptr_array_unref);
  G_OBJECT_CLASS (cx_timetable_editor_parent_class)->dispose (object);
}

static void
cx_timetable_editor_finalize (GObject *object)
{
  CxTimetableEditor *self = CX_TIMETABLE_EDITOR (object);

  g_ptr_array_unref (self->package_keys);
  g_ptr_array_unref (self->unit_ids);
  g_array_unref (self->plan_ids);
  G_OBJECT_CLASS (cx_timetable_editor_parent_class)->finalize (object);
}

static void
cx_timetable_editor_class_init (CxTimetableEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cx_timetable_editor_dispose;
  G_OBJECT_CLASS (klass)->finalize = cx_timetable_editor_finalize;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/cunxiao/Cunxiao/ui/cx-timetable-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, form_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, subject_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, class_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, teacher_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, partner_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, live_url_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, fallback_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, date_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, calendar_popover);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, calendar);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, starts_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, ends_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, package_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, unit_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEditor, plan_row);
  gtk_widget_class_bind_template_callback (widget_class, on_edited);
  gtk_widget_class_bind_template_callback (widget_class, on_class_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_day_selected);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cx_timetable_editor_init (CxTimetableEditor *self)
{
  self->package_keys = g_ptr_array_new_with_free_func (g_free);
  self->unit_ids = g_ptr_array_new_with_free_func (g_free);
  self->plan_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cx_timetable_editor_new:
 * @item: (nullable): the class of the school's own to change, or %NULL
 *   for a new one
 * @day: (nullable): for a new class, the day it is on
 *
 * Returns: (transfer floating): the window, to set transient for the main
 *   window and present
 */
GtkWidget *
cx_timetable_editor_new (CxApplication *app,
                         CxTimetableItem *item,
                         GDateTime *day,
                         CxTimetableNames *names)
{
  CxTimetableEditor *self;

  g_return_val_if_fail (CX_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (item == NULL || cx_timetable_item_can_edit (item), NULL);
  g_return_val_if_fail (item != NULL || day != NULL, NULL);

  self = g_object_new (CX_TYPE_TIMETABLE_EDITOR, "application", app, NULL);
  self->app = app;
  self->names = g_object_ref (names);
  self->item = item != NULL ? g_object_ref (item) : NULL;
  fill_in (self, day);
  g_signal_connect_swapped (self->package_row, "notify::selected", G_CALLBACK (on_package_selected),
                            self);
  clear_error (self);
  return GTK_WIDGET (self);
}
