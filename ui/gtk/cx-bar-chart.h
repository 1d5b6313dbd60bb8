/* cx-bar-chart.h: a bar chart of (label, value) pairs, drawn with cairo */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CX_TYPE_BAR_CHART (cx_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (CxBarChart, cx_bar_chart, CX, BAR_CHART, GtkWidget)

GtkWidget *cx_bar_chart_new (const char *title, GtkOrientation orientation);
void cx_bar_chart_clear (CxBarChart *self);
void cx_bar_chart_add (CxBarChart *self, const char *label, double value, const char *value_text);
void cx_bar_chart_done (CxBarChart *self);

G_END_DECLS
