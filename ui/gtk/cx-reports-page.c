/* cx-reports-page.c: the Reports page: the admin's monthly report, its charts and exports
 *
 * The app has no sign-in, so the page opens locked and the admin unlocks it
 * for this run with their name and PIN, through the same guard (and the same
 * wait after wrong PINs) as student mode. The figures are counted by
 * app/cx-report.c in a worker thread; the page only shows them. What only a
 * person can know is typed here and kept with the month.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cx-bar-chart.h"
#include "cx-pin-guard.h"
#include "cx-reports-page-private.h"
#include "cx-window.h"

#define FIRST_WEEK_DAYS 7 /* until then the page opens on the month before */

G_DEFINE_FINAL_TYPE (CxReportsPage, cx_reports_page, ADW_TYPE_BIN)

static void compute (CxReportsPage *self);

CxStore *
_cx_reports_page_get_store (CxReportsPage *self)
{
  return self->app != NULL ? cx_application_get_store (self->app) : NULL;
}

void
_cx_reports_page_toast (CxReportsPage *self, const char *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (CX_IS_WINDOW (root))
    cx_window_toast (CX_WINDOW (root), text);
}

static void
update_sensitivity (CxReportsPage *self)
{
  gboolean idle = self->cancellable == NULL;

  /* A count gives way to another month; an export runs to its end or Cancel. */
  gtk_widget_set_sensitive (self->previous_button, !self->exporting);
  gtk_widget_set_sensitive (self->next_button, !self->exporting);
  gtk_widget_set_sensitive (self->lock_button, !self->exporting);
  gtk_widget_set_sensitive (self->export_report_button, idle);
  gtk_widget_set_sensitive (self->export_usage_button, idle);
}

/* Shows the bar of a long job, which the one Cancel button stops. */
void
_cx_reports_page_begin (CxReportsPage *self, const char *what, gboolean exporting)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->exporting = exporting;
  gtk_label_set_text (self->progress_label, what);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  update_sensitivity (self);
}

void
_cx_reports_page_end (CxReportsPage *self)
{
  g_clear_object (&self->cancellable);
  self->exporting = FALSE;
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  update_sensitivity (self);
}

void
_cx_reports_page_progress (guint64 done, guint64 total, gpointer user_data)
{
  CxReportsPage *self = CX_REPORTS_PAGE (user_data);

  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN ((double) done / total, 1.0));
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
on_cancel_clicked (CxReportsPage *self)
{
  g_cancellable_cancel (self->cancellable);
}

/* ---- the table and figures ---- */

static void
clear_container (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)) != NULL)
    {
      if (GTK_IS_GRID (container))
        gtk_grid_remove (GTK_GRID (container), child);
      else
        gtk_widget_unparent (child);
    }
}

/* A cell of the form's table; numbers also say their row and column, so
 * a screen reader reading one cell knows what it is. */
static void
add_cell (CxReportsPage *self,
          int column,
          int row,
          const char *text,
          const char *row_name,
          const char *column_name,
          gboolean heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  gtk_label_set_wrap (GTK_LABEL (label), column == 4);
  gtk_widget_set_hexpand (label, column == 4);
  if (column == 4)
    gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  if (row_name != NULL && column_name != NULL)
    {
      /* TRANSLATORS: how a screen reader reads a cell of the report's table,
       * e.g. "Synchronous classroom, Activities: 3" */
      g_autofree char *name = g_strdup_printf (_ ("%s, %s: %s"), row_name, column_name, text);

      gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
    }
  gtk_grid_attach (self->form_grid, label, column, row, 1, 1);
}

static void
fill_table (CxReportsPage *self, const CxReport *report)
{
  const char *columns[] = { _ ("Form"), _ ("Activities"), _ ("Teachers"), _ ("Pupils"),
                            _ ("Subjects") };

  clear_container (GTK_WIDGET (self->form_grid));
  for (int c = 0; c < 5; c++)
    add_cell (self, c, 0, columns[c], NULL, NULL, TRUE);
  for (int f = 0; f < CX_REPORT_N_FORMS; f++)
    {
      const CxReportForm *form = &report->forms[f];
      const char *name = cx_activity_form_get_label (form->form);
      g_autofree char *activities = g_strdup_printf ("%" G_GINT64_FORMAT, form->activities);
      g_autofree char *teachers = g_strdup_printf ("%" G_GINT64_FORMAT, form->teachers);
      g_autofree char *pupils = g_strdup_printf ("%" G_GINT64_FORMAT, form->pupils);
      g_autofree char *subjects = form->subjects != NULL && form->subjects[0] != NULL
                                      ? g_strjoinv (_ (", "), form->subjects)
                                      : g_strdup ("—");

      add_cell (self, 0, f + 1, name, NULL, NULL, FALSE);
      add_cell (self, 1, f + 1, activities, name, columns[1], FALSE);
      add_cell (self, 2, f + 1, teachers, name, columns[2], FALSE);
      add_cell (self, 3, f + 1, pupils, name, columns[3], FALSE);
      add_cell (self, 4, f + 1, subjects, name, columns[4], FALSE);
    }
}

static GtkLabel *
add_figure (CxReportsPage *self, const char *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value = gtk_label_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (value, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
  gtk_list_box_append (self->figures_list, row);
  return GTK_LABEL (value);
}

static void
set_figure (GtkLabel *label, const char *title, gint64 value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  g_autofree char *name = g_strdup_printf ("%s: %s", title, text);

  gtk_label_set_text (label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static char *
format_minutes (gint64 seconds)
{
  gint64 minutes = (seconds + 59) / 60;

  return g_strdup_printf (ngettext ("%lld minute", "%lld minutes", (gulong) minutes),
                          (long long) minutes);
}

static void
fill_chart (GtkWidget *chart, GPtrArray *counts, gboolean days, gboolean minutes)
{
  cx_bar_chart_clear (CX_BAR_CHART (chart));
  for (guint i = 0; counts != NULL && i < counts->len; i++)
    {
      CxReportCount *count = g_ptr_array_index (counts, i);
      /* A day is its number under the column: "2026-10-03" → "3". */
      g_autofree char *day =
          days && strlen (count->key) == 10 ? g_strdup_printf ("%d", atoi (count->key + 8)) : NULL;
      g_autofree char *value = NULL;

      if (minutes && count->seconds > 0)
        {
          g_autofree char *time = format_minutes (count->seconds);

          /* TRANSLATORS: a resource's openings and time, e.g. "3 (12 minutes)" */
          value = g_strdup_printf (_ ("%lld (%s)"), (long long) count->count, time);
        }
      else
        value = g_strdup_printf ("%" G_GINT64_FORMAT, count->count);
      cx_bar_chart_add (CX_BAR_CHART (chart), day != NULL ? day : count->label,
                        (double) count->count, value);
    }
  cx_bar_chart_done (CX_BAR_CHART (chart));
}

/* While a month is counted, nothing of another month shows. */
static void
clear_report (CxReportsPage *self)
{
  GtkLabel *values[] = { self->materials_value, self->plans_value, self->hand_ins_value,
                         self->resources_value, self->time_value };
  GtkWidget *charts[] = { self->day_chart, self->subject_chart, self->form_chart,
                          self->resource_chart };

  clear_container (GTK_WIDGET (self->form_grid));
  gtk_widget_set_visible (GTK_WIDGET (self->skipped_label), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    gtk_label_set_text (values[i], "—");
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    {
      cx_bar_chart_clear (CX_BAR_CHART (charts[i]));
      cx_bar_chart_done (CX_BAR_CHART (charts[i]));
    }
}

static void
show_report (CxReportsPage *self, const CxReport *report)
{
  g_autofree char *note = cx_report_note_skipped (report);
  g_autofree char *time = format_minutes (report->seconds_spent);

  fill_table (self, report);
  gtk_label_set_text (self->skipped_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->skipped_label), note != NULL);
  set_figure (self->materials_value, _ ("Process materials uploaded"), report->process_materials);
  set_figure (self->plans_value, _ ("Lesson plans prepared"), report->lesson_plans);
  set_figure (self->hand_ins_value, _ ("Hand-ins"), report->hand_ins);
  set_figure (self->resources_value, _ ("Resources opened"), report->resources_opened);
  gtk_label_set_text (self->time_value, time);
  fill_chart (self->day_chart, report->per_day, TRUE, FALSE);
  fill_chart (self->subject_chart, report->by_subject, FALSE, FALSE);
  fill_chart (self->form_chart, report->by_form, FALSE, FALSE);
  fill_chart (self->resource_chart, report->top_resources, FALSE, TRUE);
}

/* ---- the month and its count ---- */

static gboolean
is_shown_month (CxReportsPage *self, const CxReport *report)
{
  g_autofree char *shown = g_strdup_printf ("%04d-%02d", self->year, self->month);

  return g_strcmp0 (report->month, shown) == 0;
}

static void
show_error (CxReportsPage *self, const char *text)
{
  gtk_label_set_text (self->report_error, text);
  gtk_widget_set_visible (GTK_WIDGET (self->report_error), TRUE);
}

static void
computed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CxReportsPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CxReport) report = cx_report_compute_finish (CX_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Another month or Lock took over; or Cancel, which leaves the page empty. */
      if (self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable))
        {
          _cx_reports_page_end (self);
          show_error (self, _ ("Counting cancelled: pick the month again to count it"));
        }
      return;
    }
  if (report != NULL && !is_shown_month (self, report))
    return; /* done just before another month was picked, whose count runs */
  _cx_reports_page_end (self);
  if (report == NULL)
    {
      g_autofree char *text =
          g_strdup_printf (_ ("The report could not be counted: %s"), error->message);

      show_error (self, text);
      return;
    }
  show_report (self, report);
}

static void
compute (CxReportsPage *self)
{
  CxStore *store = _cx_reports_page_get_store (self);

  if (store == NULL)
    return;
  _cx_reports_page_begin (self, _ ("Counting the month…"), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->report_error), FALSE);
  clear_report (self);
  cx_report_compute_async (store, self->year, self->month, self->cancellable,
                           _cx_reports_page_progress, self, computed_cb, g_object_ref (self));
}

static void
set_text_view (GtkTextView *view, const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

static char *
get_text_view (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* No month's fields: every string empty, as the store gives them. */
static void
reset_fields (CxReportsPage *self)
{
  CxReportFields *f = &self->fields;

  cx_report_fields_clear (f);
  f->partner_school = g_strdup ("");
  f->reporter = g_strdup ("");
  f->stage = g_strdup ("");
  f->highlights = g_strdup ("");
  f->next_plan = g_strdup ("");
}

static void
show_fields (CxReportsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->partner_entry), self->fields.partner_school);
  gtk_editable_set_text (GTK_EDITABLE (self->reporter_entry), self->fields.reporter);
  gtk_spin_button_set_value (self->publicity_school_spin, self->fields.publicity_school);
  gtk_spin_button_set_value (self->publicity_county_spin, self->fields.publicity_county);
  gtk_spin_button_set_value (self->publicity_city_spin, self->fields.publicity_city);
  gtk_spin_button_set_value (self->publicity_province_spin, self->fields.publicity_province);
  set_text_view (self->highlights_view, self->fields.highlights);
  set_text_view (self->next_plan_view, self->fields.next_plan);
}

static void
show_month (CxReportsPage *self)
{
  CxStore *store = _cx_reports_page_get_store (self);
  g_autoptr (GDateTime) first = g_date_time_new_local (self->year, self->month, 1, 0, 0, 0);
  /* TRANSLATORS: the month a report is of, as strftime() writes it; e.g. "October 2026" */
  g_autofree char *title = g_date_time_format (first, _ ("%B %Y"));
  g_autoptr (GError) error = NULL;

  gtk_label_set_text (self->month_label, title);
  /* The store fills them whole, over what was there. */
  cx_report_fields_clear (&self->fields);
  if (store == NULL)
    reset_fields (self);
  else if (!cx_store_get_report_fields (store, self->year, self->month, &self->fields, &error))
    {
      _cx_reports_page_toast (self, error->message);
      reset_fields (self);
    }
  show_fields (self);
  compute (self);
}

static void
move_month (CxReportsPage *self, int delta)
{
  int index = self->year * 12 + (self->month - 1) + delta;

  self->year = index / 12;
  self->month = index % 12 + 1;
  show_month (self);
}

static void
on_previous_clicked (CxReportsPage *self)
{
  move_month (self, -1);
}

static void
on_next_clicked (CxReportsPage *self)
{
  move_month (self, 1);
}

/* ---- the admin's fields ---- */

static void
on_save_clicked (CxReportsPage *self)
{
  CxStore *store = _cx_reports_page_get_store (self);
  g_autoptr (GError) error = NULL;
  CxReportFields *f = &self->fields;

  if (store == NULL)
    return;
  /* A number typed but not yet entered counts too. */
  gtk_spin_button_update (self->publicity_school_spin);
  gtk_spin_button_update (self->publicity_county_spin);
  gtk_spin_button_update (self->publicity_city_spin);
  gtk_spin_button_update (self->publicity_province_spin);
  g_free (f->partner_school);
  f->partner_school = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->partner_entry)));
  g_free (f->reporter);
  f->reporter = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reporter_entry)));
  f->publicity_school = gtk_spin_button_get_value_as_int (self->publicity_school_spin);
  f->publicity_county = gtk_spin_button_get_value_as_int (self->publicity_county_spin);
  f->publicity_city = gtk_spin_button_get_value_as_int (self->publicity_city_spin);
  f->publicity_province = gtk_spin_button_get_value_as_int (self->publicity_province_spin);
  g_free (f->highlights);
  f->highlights = get_text_view (self->highlights_view);
  g_free (f->next_plan);
  f->next_plan = get_text_view (self->next_plan_view);

  if (!cx_store_set_report_fields (store, self->year, self->month, f, &error))
    {
      g_autofree char *text = g_strdup_printf (_ ("Not saved: %s"), error->message);

      _cx_reports_page_toast (self, text);
      return;
    }
  _cx_reports_page_toast (self, _ ("Saved with this month's report"));
}

/* ---- locked and unlocked ---- */

static void
lock (CxReportsPage *self)
{
  g_cancellable_cancel (self->cancellable);
  _cx_reports_page_end (self);
  if (self->chooser != NULL)
    gtk_native_dialog_hide (self->chooser);
  /* Nothing of the report stays behind the lock. */
  clear_report (self);
  reset_fields (self);
  show_fields (self);
  gtk_stack_set_visible_child_name (self->lock_stack, "locked");
}

static void
on_lock_clicked (CxReportsPage *self)
{
  lock (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

/* The month a report is usually wanted for: in the first week, the one
 * just ended. */
static void
pick_default_month (CxReportsPage *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  self->year = g_date_time_get_year (now);
  self->month = g_date_time_get_month (now);
  if (g_date_time_get_day_of_month (now) <= FIRST_WEEK_DAYS)
    move_month (self, -1);
  else
    show_month (self);
}

static void
unlocked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CxReportsPage) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean right = cx_pin_guard_verify_admin_finish (CX_STORE (source), result, &error);

  g_clear_object (&self->unlock_cancellable);
  gtk_widget_set_sensitive (self->unlock_button, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  if (!right)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_text (self->unlock_error, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->unlock_error), TRUE);
        }
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->unlock_error), FALSE);
  gtk_stack_set_visible_child_name (self->lock_stack, "unlocked");
  pick_default_month (self);
}

static void
on_unlock_clicked (CxReportsPage *self)
{
  CxStore *store = _cx_reports_page_get_store (self);

  if (store == NULL || self->unlock_cancellable != NULL)
    return;
  self->unlock_cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (self->unlock_button, FALSE);
  cx_pin_guard_verify_admin_async (store, gtk_editable_get_text (GTK_EDITABLE (self->name_entry)),
                                   gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)),
                                   cx_pin_guard_now (), self->unlock_cancellable, unlocked_cb,
                                   g_object_ref (self));
}

/* ---- the object ---- */

static GtkWidget *
add_chart (CxReportsPage *self, const char *title, GtkOrientation orientation)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *chart = cx_bar_chart_new (title, orientation);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), chart);
  gtk_box_append (self->charts_box, box);
  return chart;
}

static void
cx_reports_page_dispose (GObject *object)
{
  CxReportsPage *self = CX_REPORTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->unlock_cancellable);
  g_clear_object (&self->unlock_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  self->app = NULL;
  /* The bin's child is a template child too: let go of it once, here. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_REPORTS_PAGE);
  G_OBJECT_CLASS (cx_reports_page_parent_class)->dispose (object);
}

static void
cx_reports_page_finalize (GObject *object)
{
  cx_report_fields_clear (&CX_REPORTS_PAGE (object)->fields);
  g_free (CX_REPORTS_PAGE (object)->export_path);
  G_OBJECT_CLASS (cx_reports_page_parent_class)->finalize (object);
}

static void
cx_reports_page_class_init (CxReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cx_reports_page_dispose;
  object_class->finalize = cx_reports_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cunxiao/Cunxiao/ui/cx-reports-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CxReportsPage, name)
  BIND (lock_stack);
  BIND (name_entry);
  BIND (pin_entry);
  BIND (unlock_error);
  BIND (unlock_button);
  BIND (month_label);
  BIND (previous_button);
  BIND (next_button);
  BIND (lock_button);
  BIND (progress_revealer);
  BIND (progress_label);
  BIND (progress_bar);
  BIND (report_error);
  BIND (form_grid);
  BIND (skipped_label);
  BIND (figures_list);
  BIND (charts_box);
  BIND (partner_entry);
  BIND (reporter_entry);
  BIND (publicity_school_spin);
  BIND (publicity_county_spin);
  BIND (publicity_city_spin);
  BIND (publicity_province_spin);
  BIND (highlights_view);
  BIND (next_plan_view);
  BIND (save_button);
  BIND (export_report_button);
  BIND (export_usage_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_unlock_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_lock_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_previous_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  _cx_reports_page_class_init_export (widget_class);
}

static void
cx_reports_page_init (CxReportsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  reset_fields (self);

  self->materials_value = add_figure (self, _ ("Process materials uploaded"));
  self->plans_value = add_figure (self, _ ("Lesson plans prepared"));
  self->hand_ins_value = add_figure (self, _ ("Hand-ins"));
  self->resources_value = add_figure (self, _ ("Resources opened"));
  self->time_value = add_figure (self, _ ("Time with resources open"));
  self->day_chart = add_chart (self, _ ("Usage per day"), GTK_ORIENTATION_VERTICAL);
  self->subject_chart = add_chart (self, _ ("Activities by subject"), GTK_ORIENTATION_HORIZONTAL);
  self->form_chart = add_chart (self, _ ("Activities by form"), GTK_ORIENTATION_HORIZONTAL);
  self->resource_chart = add_chart (self, _ ("Resources opened most"), GTK_ORIENTATION_HORIZONTAL);
  update_sensitivity (self);
}

GtkWidget *
cx_reports_page_new (CxApplication *app)
{
  CxReportsPage *self = g_object_new (CX_TYPE_REPORTS_PAGE, NULL);

  self->app = app;
  return GTK_WIDGET (self);
}
