/* cx-reports-page-private.h: what the Reports page's files share */
#pragma once

#include "cx-report.h"
#include "cx-reports-page.h"

G_BEGIN_DECLS

struct _CxReportsPage
{
  AdwBin parent_instance;

  GtkStack *lock_stack;
  GtkEntry *name_entry;
  GtkPasswordEntry *pin_entry;
  GtkLabel *unlock_error;
  GtkWidget *unlock_button;
  GtkLabel *month_label;
  GtkWidget *previous_button;
  GtkWidget *next_button;
  GtkWidget *lock_button;
  GtkRevealer *progress_revealer;
  GtkLabel *progress_label;
  GtkProgressBar *progress_bar;
  GtkLabel *report_error;
  GtkGrid *form_grid;
  GtkLabel *skipped_label;
  GtkListBox *figures_list;
  GtkBox *charts_box;
  GtkEntry *partner_entry;
  GtkEntry *reporter_entry;
  GtkSpinButton *publicity_school_spin;
  GtkSpinButton *publicity_county_spin;
  GtkSpinButton *publicity_city_spin;
  GtkSpinButton *publicity_province_spin;
  GtkTextView *highlights_view;
  GtkTextView *next_plan_view;
  GtkWidget *save_button;
  GtkWidget *export_report_button;
  GtkWidget *export_usage_button;

  GtkLabel *materials_value; /* the month's figures, in figures_list */
  GtkLabel *plans_value;
  GtkLabel *hand_ins_value;
  GtkLabel *resources_value;
  GtkLabel *time_value;
  GtkWidget *day_chart;
  GtkWidget *subject_chart;
  GtkWidget *form_chart;
  GtkWidget *resource_chart;

  CxApplication *app; /* not owned; NULL once disposed */
  int year;
  int month;
  CxReportFields fields;     /* the month's as loaded: those the page does not show are kept */
  GCancellable *cancellable; /* of the count or export under way; NULL when none is */
  gboolean exporting;        /* an export, not the count, is under way */
  GCancellable *unlock_cancellable;
  GtkNativeDialog *chooser; /* the file chooser open now, if any */
  char *export_path;        /* of the export under way or last run */
  gint64 usage_from;        /* the usage log's range, while its file is chosen */
  gint64 usage_to;
};

CxStore *_cx_reports_page_get_store (CxReportsPage *self);
void _cx_reports_page_toast (CxReportsPage *self, const char *text);
void _cx_reports_page_begin (CxReportsPage *self, const char *what, gboolean exporting);
void _cx_reports_page_end (CxReportsPage *self);
void _cx_reports_page_progress (guint64 done, guint64 total, gpointer user_data);
void _cx_reports_page_class_init_export (GtkWidgetClass *widget_class);

G_END_DECLS
