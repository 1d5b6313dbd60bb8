/* cx-timetable-week-view.c: a week of the timetable as a grid, days across, hours down
 *
 * Monday to Sunday in columns, each class a card placed by its time and
 * coloured by its activity form; classes that overlap share their column
 * side by side. Today's column is tinted and a line marks the time now.
 * Every card is a button: clicking it, or activating it from the keyboard
 * or a screen reader, emits ::entry-activated.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-timetable-format.h"
#include "cx-timetable-item.h"
#include "cx-timetable-week-view.h"

#define HOUR_HEIGHT 64 /* pixels: a 40-minute class has room for three lines */
#define MIN_COLUMN  48
#define NAT_COLUMN  150
#define FIRST_HOUR  8 /* the hours shown at least, whatever the week holds */
#define LAST_HOUR   17

typedef struct
{
  GtkWidget *button;
  CxTimetableItem *item; /* while the week is being laid out */
  int day;               /* 0 is Monday */
  int top;               /* minutes after midnight */
  int bottom;            /* minutes after midnight, at most a day */
  int lane;              /* side by side with the classes it overlaps */
  int lanes;
} Card;

struct _CxTimetableWeekView
{
  GtkWidget parent_instance;

  GtkWidget *today_column;
  GtkWidget *now_line;
  GtkWidget *day_labels[7];
  GPtrArray *hour_labels;
  GArray *cards;

  gint64 days[8]; /* midnight of each day, and of the next Monday */
  int today;      /* 0–6, or -1 when today is not in this week */
  int first_hour;
  int last_hour;
};

G_DEFINE_FINAL_TYPE (CxTimetableWeekView, cx_timetable_week_view, GTK_TYPE_WIDGET)

enum
{
  ENTRY_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static int
gutter_width (CxTimetableWeekView *self)
{
  int widest = 0;

  for (guint i = 0; i < self->hour_labels->len; i++)
    {
      int natural = 0;

      gtk_widget_measure (g_ptr_array_index (self->hour_labels, i), GTK_ORIENTATION_HORIZONTAL, -1,
                          NULL, &natural, NULL, NULL);
      widest = MAX (widest, natural);
    }
  return widest + 8;
}

static int
header_height (CxTimetableWeekView *self)
{
  int tallest = 0;

  for (guint i = 0; i < G_N_ELEMENTS (self->day_labels); i++)
    {
      int natural = 0;

      gtk_widget_measure (self->day_labels[i], GTK_ORIENTATION_VERTICAL, -1, NULL, &natural, NULL,
                          NULL);
      tallest = MAX (tallest, natural);
    }
  return tallest + 8;
}

static int
minutes_to_y (CxTimetableWeekView *self, int header, int minutes)
{
  return header + (minutes - self->first_hour * 60) * HOUR_HEIGHT / 60;
}

static void
on_card_clicked (GtkButton *button, CxTimetableWeekView *self)
{
  g_signal_emit (self, signals[ENTRY_ACTIVATED], 0, g_object_get_data (G_OBJECT (button), "item"));
}

static GtkWidget *
new_card_label (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

/* The lines a card of @height pixels has room for. */
static int
lines_for (CxTimetableWeekView *self, int height)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Ag");
  int line_height = 0;

  pango_layout_get_pixel_size (layout, NULL, &line_height);
  g_object_unref (layout);
  return (height - 6) / MAX (line_height, 1);
}

static GtkWidget *
new_card (CxTimetableWeekView *self, CxTimetableItem *item, CxTimetableNames *names, int height)
{
  const CxTimetableEntry *entry = cx_timetable_item_get_entry (item);
  g_autofree char *range = cx_timetable_format_range (entry);
  g_autofree char *description = cx_timetable_describe (entry);
  g_autofree char *links = cx_timetable_names_describe_links (names, entry);
  g_autofree char *tooltip = links != NULL ? g_strdup_printf ("%s\n%s", description, links) : NULL;
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *first_line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  int lines = lines_for (self, height);

  gtk_widget_add_css_class (button, "tt-card");
  cx_timetable_set_form_class (button, entry->form);
  if (entry->origin == CX_TIMETABLE_FROM_SCHOOL)
    gtk_widget_add_css_class (button, "tt-own");
  gtk_widget_set_overflow (button, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_tooltip_text (button, tooltip != NULL ? tooltip : description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  description, -1);

  gtk_box_append (GTK_BOX (first_line),
                  gtk_image_new_from_icon_name (cx_timetable_form_icon (entry->form)));
  gtk_box_append (GTK_BOX (first_line), new_card_label (range, "tt-card-time"));
  if (entry->conflict != NULL)
    {
      GtkWidget *warning = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (button, "tt-conflict");
      gtk_widget_add_css_class (warning, "error");
      gtk_box_append (GTK_BOX (first_line), warning);
    }
  gtk_box_append (GTK_BOX (box), first_line);
  if (lines >= 2)
    gtk_box_append (GTK_BOX (box), new_card_label (entry->subject, "tt-card-title"));
  if (lines >= 3)
    gtk_box_append (GTK_BOX (box), new_card_label (entry->class_name, "tt-card-class"));
  gtk_button_set_child (GTK_BUTTON (button), box);

  g_object_set_data_full (G_OBJECT (button), "item", g_object_ref (item), g_object_unref);
  g_signal_connect (button, "clicked", G_CALLBACK (on_card_clicked), self);
  gtk_widget_set_parent (button, GTK_WIDGET (self));
  return button;
}

/* Classes that overlap share their day's column: each takes the first lane
 * free at its start, and every class of a run of overlaps gets as many
 * lanes as the run needed. */
static void
assign_lanes (GArray *cards)
{
  for (int day = 0; day < 7; day++)
    {
      GArray *lane_ends = g_array_new (FALSE, FALSE, sizeof (int));
      guint run_start = 0;
      int run_end = -1;

      for (guint i = 0; i <= cards->len; i++)
        {
          Card *card = i < cards->len ? &g_array_index (cards, Card, i) : NULL;
          guint lane;

          if (card != NULL && card->day != day)
            continue;
          if (card == NULL || card->top >= run_end)
            {
              /* The run before is over: all its classes share its width. */
              for (guint k = run_start; k < i; k++)
                if (g_array_index (cards, Card, k).day == day)
                  g_array_index (cards, Card, k).lanes = MAX (1, (int) lane_ends->len);
              g_array_set_size (lane_ends, 0);
              run_start = i;
            }
          if (card == NULL)
            break;
          for (lane = 0; lane < lane_ends->len; lane++)
            if (g_array_index (lane_ends, int, lane) <= card->top)
              break;
          if (lane == lane_ends->len)
            g_array_append_val (lane_ends, card->bottom);
          else
            g_array_index (lane_ends, int, lane) = card->bottom;
          card->lane = (int) lane;
          run_end = MAX (run_end, card->bottom);
        }
      g_array_unref (lane_ends);
    }
}

static void
clear (CxTimetableWeekView *self)
{
  for (guint i = 0; i < self->cards->len; i++)
    gtk_widget_unparent (g_array_index (self->cards, Card, i).button);
  g_array_set_size (self->cards, 0);
  for (guint i = 0; i < self->hour_labels->len; i++)
    gtk_widget_unparent (g_ptr_array_index (self->hour_labels, i));
  g_ptr_array_set_size (self->hour_labels, 0);
}

static void
label_days (CxTimetableWeekView *self, GDateTime *monday)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  gint64 now_unix = g_date_time_to_unix (now);

  self->today = -1;
  for (int i = 0; i < 8; i++)
    {
      g_autoptr (GDateTime) day = g_date_time_add_days (monday, i);

      self->days[i] = g_date_time_to_unix (day);
      if (i < 7)
        {
          /* TRANSLATORS: a day at the head of the week grid, a
           * g_date_time_format() format; in Chinese e.g. "周%a %-d日" */
          /* xgettext:no-c-format */
          g_autofree char *text = g_date_time_format (day, C_ ("week grid day", "%a %-d"));

          gtk_label_set_text (GTK_LABEL (self->day_labels[i]), text);
          gtk_widget_remove_css_class (self->day_labels[i], "tt-today");
        }
    }
  for (int i = 0; i < 7; i++)
    if (self->days[i] <= now_unix && now_unix < self->days[i + 1])
      {
        self->today = i;
        gtk_widget_add_css_class (self->day_labels[i], "tt-today");
      }
  gtk_widget_set_visible (self->today_column, self->today >= 0);
}

/* Where each entry goes: its day and minutes, clipped to the week. */
static void
place_entries (CxTimetableWeekView *self, GListModel *items)
{
  int first = FIRST_HOUR * 60, last = LAST_HOUR * 60;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr (CxTimetableItem) item = g_list_model_get_item (items, i);
      const CxTimetableEntry *entry = cx_timetable_item_get_entry (item);
      gint64 starts = MAX (entry->starts_at, self->days[0]);
      Card card = { 0 };

      if (starts >= self->days[7] || entry->ends_at <= self->days[0])
        continue;
      while (card.day < 6 && starts >= self->days[card.day + 1])
        card.day++;
      card.top = (int) ((starts - self->days[card.day]) / 60);
      card.bottom =
          (int) ((MIN (entry->ends_at, self->days[card.day + 1]) - self->days[card.day]) / 60);
      card.bottom = MAX (card.bottom, card.top + 1);
      first = MIN (first, card.top);
      last = MAX (last, card.bottom);
      card.item = g_steal_pointer (&item);
      g_array_append_val (self->cards, card);
    }
  self->first_hour = first / 60;
  /* An hour of room after a late class, so it never ends at the very edge. */
  self->last_hour = last > LAST_HOUR * 60 ? MIN (24, (last + 59) / 60 + 1) : LAST_HOUR;
}

/**
 * cx_timetable_week_view_set_week:
 * @monday: midnight at the start of the week, local time
 * @items: the #CxTimetableItem entries of the week, in start order
 * @names: the titles of what entries link to, for tooltips
 *
 * Shows a week. The view keeps nothing of @items but the items themselves.
 */
void
cx_timetable_week_view_set_week (CxTimetableWeekView *self,
                                 GDateTime *monday,
                                 GListModel *items,
                                 CxTimetableNames *names)
{
  g_return_if_fail (CX_IS_TIMETABLE_WEEK_VIEW (self));
  g_return_if_fail (monday != NULL);
  g_return_if_fail (G_IS_LIST_MODEL (items));

  clear (self);
  label_days (self, monday);
  place_entries (self, items);
  assign_lanes (self->cards);

  for (int hour = self->first_hour; hour < self->last_hour; hour++)
    {
      g_autofree char *text = g_strdup_printf ("%02d:00", hour);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_insert_before (label, GTK_WIDGET (self), self->now_line);
      g_ptr_array_add (self->hour_labels, label);
    }
  /* The cards come last, in start order, so Tab goes through the week in time order. */
  for (guint i = 0; i < self->cards->len; i++)
    {
      Card *card = &g_array_index (self->cards, Card, i);

      card->button =
          new_card (self, card->item, names, (card->bottom - card->top) * HOUR_HEIGHT / 60);
      g_clear_object (&card->item);
    }
  cx_timetable_week_view_update_now (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* Moves the line that marks the time now; called every minute. */
void
cx_timetable_week_view_update_now (CxTimetableWeekView *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean in_week = self->days[0] <= now && now < self->days[7];
  int minutes;

  g_return_if_fail (CX_IS_TIMETABLE_WEEK_VIEW (self));

  if (in_week && (self->today < 0 || now >= self->days[self->today + 1]))
    {
      /* Midnight passed: another column is today now. */
      for (int i = 0; i < 7; i++)
        gtk_widget_remove_css_class (self->day_labels[i], "tt-today");
      self->today = -1;
      for (int i = 0; i < 7; i++)
        if (self->days[i] <= now && now < self->days[i + 1])
          {
            self->today = i;
            gtk_widget_add_css_class (self->day_labels[i], "tt-today");
          }
      gtk_widget_set_visible (self->today_column, self->today >= 0);
    }
  minutes = self->today >= 0 ? (int) ((now - self->days[self->today]) / 60) : -1;
  gtk_widget_set_visible (self->now_line, self->today >= 0 && minutes >= self->first_hour * 60 &&
                                              minutes < self->last_hour * 60);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/**
 * cx_timetable_week_view_get_now_y:
 *
 * Returns: where, from the view's top, the time now is drawn (an hour
 *   before it, so that what just began shows too), or -1 when the week
 *   shown is not this one
 */
int
cx_timetable_week_view_get_now_y (CxTimetableWeekView *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int minutes;

  g_return_val_if_fail (CX_IS_TIMETABLE_WEEK_VIEW (self), -1);

  if (self->today < 0)
    return -1;
  minutes = (int) ((now - self->days[self->today]) / 60) - 60;
  minutes = CLAMP (minutes, self->first_hour * 60, self->last_hour * 60);
  return minutes_to_y (self, 0, minutes);
}

static void
cx_timetable_week_view_measure (GtkWidget *widget,
                                GtkOrientation orientation,
                                int for_size,
                                int *minimum,
                                int *natural,
                                int *minimum_baseline,
                                int *natural_baseline)
{
  CxTimetableWeekView *self = CX_TIMETABLE_WEEK_VIEW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int gutter = gutter_width (self);

      *minimum = gutter + 7 * MIN_COLUMN;
      *natural = gutter + 7 * NAT_COLUMN;
      return;
    }
  *minimum = *natural =
      header_height (self) + (self->last_hour - self->first_hour) * HOUR_HEIGHT + 1;
}

static void
allocate_at (GtkWidget *child, int x, int y, int width, int height)
{
  int min_width = 0, min_height = 0;

  if (!gtk_widget_get_visible (child))
    return;
  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, MAX (width, min_width), &min_height, NULL,
                      NULL, NULL);
  gtk_widget_size_allocate (
      child, &(GtkAllocation){ x, y, MAX (width, min_width), MAX (height, min_height) }, -1);
}

static void
cx_timetable_week_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  CxTimetableWeekView *self = CX_TIMETABLE_WEEK_VIEW (widget);
  int gutter = gutter_width (self);
  int header = header_height (self);
  double column = (width - gutter) / 7.0;

  for (int i = 0; i < 7; i++)
    allocate_at (self->day_labels[i], gutter + (int) (i * column), 0, (int) column, header);
  if (self->today >= 0)
    allocate_at (self->today_column, gutter + (int) (self->today * column), 0, (int) column,
                 height);
  for (guint i = 0; i < self->hour_labels->len; i++)
    allocate_at (g_ptr_array_index (self->hour_labels, i), 0,
                 minutes_to_y (self, header, (self->first_hour + (int) i) * 60) + 2, gutter - 6, 1);
  for (guint i = 0; i < self->cards->len; i++)
    {
      const Card *card = &g_array_index (self->cards, Card, i);
      double lane_width = (column - 4) / card->lanes;
      int top = minutes_to_y (self, header, card->top);
      int bottom = minutes_to_y (self, header, card->bottom);

      allocate_at (card->button, gutter + (int) (card->day * column + 2 + card->lane * lane_width),
                   top + 1, (int) lane_width - (card->lanes > 1 ? 2 : 0), bottom - top - 2);
    }
  if (self->today >= 0 && gtk_widget_get_visible (self->now_line))
    {
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;
      int minutes = (int) ((now - self->days[self->today]) / 60);

      allocate_at (self->now_line, gutter + (int) (self->today * column),
                   minutes_to_y (self, header, minutes) - 1, (int) column, 2);
    }
}

/* Hour lines across and day lines down, faint, under the cards. */
static void
cx_timetable_week_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  CxTimetableWeekView *self = CX_TIMETABLE_WEEK_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int gutter = gutter_width (self);
  int header = header_height (self);
  double column = (width - gutter) / 7.0;
  GdkRGBA color;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  color.alpha *= 0.15;
  for (int hour = self->first_hour; hour <= self->last_hour; hour++)
    gtk_snapshot_append_color (
        snapshot, &color,
        &GRAPHENE_RECT_INIT (gutter, minutes_to_y (self, header, hour * 60), width - gutter, 1));
  for (int i = 0; i <= 7; i++)
    gtk_snapshot_append_color (
        snapshot, &color,
        &GRAPHENE_RECT_INIT ((float) (gutter + i * column), header, 1, height - header));
  GTK_WIDGET_CLASS (cx_timetable_week_view_parent_class)->snapshot (widget, snapshot);
}

static void
cx_timetable_week_view_dispose (GObject *object)
{
  CxTimetableWeekView *self = CX_TIMETABLE_WEEK_VIEW (object);
  GtkWidget *child;

  if (self->cards != NULL)
    g_array_set_size (self->cards, 0);
  if (self->hour_labels != NULL)
    g_ptr_array_set_size (self->hour_labels, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cx_timetable_week_view_parent_class)->dispose (object);
}

static void
cx_timetable_week_view_finalize (GObject *object)
{
  CxTimetableWeekView *self = CX_TIMETABLE_WEEK_VIEW (object);

  g_array_unref (self->cards);
  g_ptr_array_unref (self->hour_labels);
  G_OBJECT_CLASS (cx_timetable_week_view_parent_class)->finalize (object);
}

static void
cx_timetable_week_view_class_init (CxTimetableWeekViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cx_timetable_week_view_dispose;
  object_class->finalize = cx_timetable_week_view_finalize;
  widget_class->measure = cx_timetable_week_view_measure;
  widget_class->size_allocate = cx_timetable_week_view_size_allocate;
  widget_class->snapshot = cx_timetable_week_view_snapshot;

  /**
   * CxTimetableWeekView::entry-activated:
   * @item: the #CxTimetableItem of the card
   */
  signals[ENTRY_ACTIVATED] =
      g_signal_new ("entry-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, CX_TYPE_TIMETABLE_ITEM);

  gtk_widget_class_set_css_name (widget_class, "timetable-week");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cx_timetable_week_view_init (CxTimetableWeekView *self)
{
  self->cards = g_array_new (FALSE, TRUE, sizeof (Card));
  self->hour_labels = g_ptr_array_new ();
  self->today = -1;
  self->first_hour = FIRST_HOUR;
  self->last_hour = LAST_HOUR;

  /* Drawn in this order: the tint under everything, the cards on top. */
  self->today_column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (self->today_column, "tt-today-column");
  gtk_widget_set_parent (self->today_column, GTK_WIDGET (self));
  for (int i = 0; i < 7; i++)
    {
      self->day_labels[i] = gtk_label_new (NULL);
      gtk_widget_add_css_class (self->day_labels[i], "tt-day");
      gtk_label_set_ellipsize (GTK_LABEL (self->day_labels[i]), PANGO_ELLIPSIZE_END);
      gtk_widget_set_parent (self->day_labels[i], GTK_WIDGET (self));
    }
  self->now_line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->now_line, "tt-now-line");
  gtk_widget_set_parent (self->now_line, GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("The week’s timetable"), -1);
}

GtkWidget *
cx_timetable_week_view_new (void)
{
  return g_object_new (CX_TYPE_TIMETABLE_WEEK_VIEW, NULL);
}
