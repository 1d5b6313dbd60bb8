/* cx-bar-chart.c: a bar chart of (label, value) pairs, drawn with cairo
 *
 * Horizontal bars (one row per label, the label on the left) for names
 * that can be long, like resource titles; vertical columns for a series,
 * like the days of a month, with every few labels under them so they
 * never overlap. Text is laid out with Pango, so Chinese renders. A
 * screen reader reads the title and a summary of the values; the pointer
 * over a bar shows its label and value.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cx-bar-chart.h"

#define ROW_HEIGHT    24 /* a horizontal bar's row */
#define COLUMN_HEIGHT 180
#define PAD           6
#define MAX_SPOKEN    12 /* values a screen reader reads out before "and N more" */

typedef struct
{
  char *label;
  char *value_text;
  double value;
} Bar;

struct _CxBarChart
{
  GtkWidget parent_instance;

  char *title;
  GtkOrientation orientation;
  GArray *bars; /* of Bar */
};

G_DEFINE_FINAL_TYPE (CxBarChart, cx_bar_chart, GTK_TYPE_WIDGET)

static void
bar_clear (Bar *bar)
{
  g_free (bar->label);
  g_free (bar->value_text);
}

static double
max_value (CxBarChart *self)
{
  double max = 0;

  for (guint i = 0; i < self->bars->len; i++)
    max = MAX (max, g_array_index (self->bars, Bar, i).value);
  return max;
}

/* The width of the labels' column of a horizontal chart. */
static int
label_width (CxBarChart *self, int width)
{
  int widest = 0;

  for (guint i = 0; i < self->bars->len; i++)
    {
      g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (
          GTK_WIDGET (self), g_array_index (self->bars, Bar, i).label);
      int w;

      pango_layout_get_pixel_size (layout, &w, NULL);
      widest = MAX (widest, w);
    }
  return MIN (widest, width * 2 / 5);
}

/* Where bar @i is drawn, for a widget @width by @height. */
static graphene_rect_t
bar_rect (CxBarChart *self, guint i, int width, int height, int labels, int value_room)
{
  double max = max_value (self);
  double value = g_array_index (self->bars, Bar, i).value;
  double share = max > 0 ? value / max : 0;

  if (self->orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      double left = labels + 2 * PAD;
      double room = MAX (width - left - value_room - PAD, 1);

      return GRAPHENE_RECT_INIT (left, i * ROW_HEIGHT + 4, MAX (share * room, value > 0 ? 2 : 0),
                                 ROW_HEIGHT - 8);
    }
  else
    {
      double slot = (double) (width - labels - PAD) / MAX (self->bars->len, 1);
      double top = PAD + 16, bottom = height - 20;
      double h = share * (bottom - top);

      return GRAPHENE_RECT_INIT (labels + PAD + i * slot + slot * 0.15, bottom - h, slot * 0.7, h);
    }
}

/* The room on the left for the value axis of a column chart. */
static int
axis_width (CxBarChart *self)
{
  g_autofree char *text = g_strdup_printf ("%.0f", max_value (self));
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int w;

  pango_layout_get_pixel_size (layout, &w, NULL);
  return w + PAD;
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, double x, double y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_rows (CxBarChart *self, cairo_t *cr, int width, const GdkRGBA *fg)
{
  int labels = label_width (self, width);

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      g_autoptr (PangoLayout) name = gtk_widget_create_pango_layout (GTK_WIDGET (self), bar->label);
      g_autoptr (PangoLayout) value =
          gtk_widget_create_pango_layout (GTK_WIDGET (self), bar->value_text);
      graphene_rect_t r;
      int tw, th, vw;

      pango_layout_set_width (name, labels * PANGO_SCALE);
      pango_layout_set_ellipsize (name, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (name, &tw, &th);
      pango_layout_get_pixel_size (value, &vw, NULL);
      r = bar_rect (self, i, width, 0, labels, vw + 2 * PAD);

      gdk_cairo_set_source_rgba (cr, fg);
      draw_text (cr, name, PAD + labels - tw, i * ROW_HEIGHT + (ROW_HEIGHT - th) / 2.0);
      draw_text (cr, value, r.origin.x + r.size.width + PAD,
                 i * ROW_HEIGHT + (ROW_HEIGHT - th) / 2.0);
      cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
      cairo_rectangle (cr, r.origin.x, r.origin.y, r.size.width, r.size.height);
      cairo_fill (cr);
    }
}

static void
draw_columns (CxBarChart *self, cairo_t *cr, int width, int height, const GdkRGBA *fg)
{
  int axis = axis_width (self);
  double slot = (double) (width - axis - PAD) / MAX (self->bars->len, 1);
  g_autofree char *max_text = g_strdup_printf ("%.0f", max_value (self));
  g_autoptr (PangoLayout) max_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), max_text);
  g_autoptr (PangoLayout) zero = gtk_widget_create_pango_layout (GTK_WIDGET (self), "0");
  guint every;
  int lw, lh;

  /* Labels under the columns: as many as fit without touching. */
  pango_layout_get_pixel_size (zero, &lw, &lh);
  {
    g_autoptr (PangoLayout) sample = gtk_widget_create_pango_layout (
        GTK_WIDGET (self), g_array_index (self->bars, Bar, 0).label);
    pango_layout_get_pixel_size (sample, &lw, NULL);
  }
  every = (guint) MAX (1, ceil ((lw + PAD) / MAX (slot, 1)));

  gdk_cairo_set_source_rgba (cr, fg);
  draw_text (cr, max_layout, 0, PAD + 16 - lh / 2.0);
  draw_text (cr, zero, 0, height - 20 - lh / 2.0);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, axis + PAD - 0.5, PAD + 16);
  cairo_line_to (cr, axis + PAD - 0.5, height - 20 + 0.5);
  cairo_line_to (cr, width, height - 20 + 0.5);
  cairo_stroke (cr);

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      graphene_rect_t r = bar_rect (self, i, width, height, axis, 0);

      cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
      cairo_rectangle (cr, r.origin.x, r.origin.y, r.size.width, r.size.height);
      cairo_fill (cr);
      if (i % every == 0)
        {
          g_autoptr (PangoLayout) label =
              gtk_widget_create_pango_layout (GTK_WIDGET (self), bar->label);
          int w;

          pango_layout_get_pixel_size (label, &w, NULL);
          gdk_cairo_set_source_rgba (cr, fg);
          draw_text (cr, label, axis + PAD + i * slot + (slot - w) / 2, height - 18);
        }
    }
}

static void
draw (CxBarChart *self, cairo_t *cr, int width, int height)
{
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  if (self->bars->len == 0 || max_value (self) <= 0)
    {
      g_autoptr (PangoLayout) layout =
          gtk_widget_create_pango_layout (GTK_WIDGET (self), _ ("Nothing in this month"));
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      fg.alpha *= 0.55;
      gdk_cairo_set_source_rgba (cr, &fg);
      draw_text (cr, layout, (width - w) / 2.0, (height - h) / 2.0);
    }
  else if (self->orientation == GTK_ORIENTATION_HORIZONTAL)
    draw_rows (self, cr, width, &fg);
  else
    draw_columns (self, cr, width, height, &fg);
}

static void
cx_bar_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  draw (CX_BAR_CHART (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
cx_bar_chart_measure (GtkWidget *widget,
                      GtkOrientation orientation,
                      int for_size,
                      int *minimum,
                      int *natural,
                      int *minimum_baseline,
                      int *natural_baseline)
{
  CxBarChart *self = CX_BAR_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 480;
    }
  else if (self->orientation == GTK_ORIENTATION_HORIZONTAL && self->bars->len > 0)
    *minimum = *natural = (int) self->bars->len * ROW_HEIGHT;
  else
    *minimum = *natural = self->orientation == GTK_ORIENTATION_HORIZONTAL ? 48 : COLUMN_HEIGHT;
}

static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip)
{
  CxBarChart *self = CX_BAR_CHART (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  int labels = self->orientation == GTK_ORIENTATION_HORIZONTAL ? label_width (self, width)
                                                               : axis_width (self);

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      graphene_rect_t r = bar_rect (self, i, width, height, labels, 0);
      gboolean hit = self->orientation == GTK_ORIENTATION_HORIZONTAL
                         ? y >= i * ROW_HEIGHT && y < (int) (i + 1) * ROW_HEIGHT
                         : x >= r.origin.x && x < r.origin.x + r.size.width;

      if (hit)
        {
          g_autofree char *text = g_strdup_printf ("%s: %s", bar->label, bar->value_text);

          gtk_tooltip_set_text (tooltip, text);
          return TRUE;
        }
    }
  return FALSE;
}

static void
cx_bar_chart_finalize (GObject *object)
{
  CxBarChart *self = CX_BAR_CHART (object);

  g_array_unref (self->bars);
  g_free (self->title);
  G_OBJECT_CLASS (cx_bar_chart_parent_class)->finalize (object);
}

static void
cx_bar_chart_class_init (CxBarChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cx_bar_chart_finalize;
  widget_class->snapshot = cx_bar_chart_snapshot;
  widget_class->measure = cx_bar_chart_measure;
  widget_class->query_tooltip = on_query_tooltip;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cx_bar_chart_init (CxBarChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, (GDestroyNotify) bar_clear);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

/**
 * cx_bar_chart_new:
 * @title: what the chart shows, also its accessible name
 * @orientation: %GTK_ORIENTATION_HORIZONTAL for a row per label,
 *   %GTK_ORIENTATION_VERTICAL for a column per label (a series)
 */
GtkWidget *
cx_bar_chart_new (const char *title, GtkOrientation orientation)
{
  CxBarChart *self = g_object_new (CX_TYPE_BAR_CHART, NULL);

  self->title = g_strdup (title);
  self->orientation = orientation;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return GTK_WIDGET (self);
}

void
cx_bar_chart_clear (CxBarChart *self)
{
  g_return_if_fail (CX_IS_BAR_CHART (self));
  g_array_set_size (self->bars, 0);
}

/* @value_text: the value as shown, like "12 min" */
void
cx_bar_chart_add (CxBarChart *self, const char *label, double value, const char *value_text)
{
  Bar bar = { g_strdup (label), g_strdup (value_text), value };

  g_return_if_fail (CX_IS_BAR_CHART (self));
  g_array_append_val (self->bars, bar);
}

/* After the bars are added: draws them, and says them to screen readers. */
void
cx_bar_chart_done (CxBarChart *self)
{
  g_autoptr (GString) summary = g_string_new (NULL);
  guint spoken = 0, left = 0;

  g_return_if_fail (CX_IS_BAR_CHART (self));

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);

      if (bar->value <= 0)
        continue;
      if (spoken == MAX_SPOKEN)
        {
          left++;
          continue;
        }
      /* TRANSLATORS: between the values a chart's description reads out */
      g_string_append_printf (summary, "%s%s: %s", spoken > 0 ? _ ("; ") : "", bar->label,
                              bar->value_text);
      spoken++;
    }
  if (spoken == 0)
    g_string_assign (summary, _ ("Nothing in this month"));
  else if (left > 0)
    {
      g_string_append (summary, _ ("; "));
      g_string_append_printf (summary, ngettext ("and %u more", "and %u more", left), left);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  summary->str, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
