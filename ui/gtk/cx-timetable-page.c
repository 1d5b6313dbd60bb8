/* cx-timetable-page.c: the Timetable page (课表): the week as a grid, a day as a list
 *
 * The district's shared timetable and the school's own classes, read from
 * the store a week at a time into a list model of entries. Wide windows
 * show the week grid or a day's list, as the teacher chooses; narrow ones
 * (a small laptop screen split in two, a phone-sized window) always show
 * the day's list, which fits any width. Classes changed both here and at
 * the hub are announced above either, whichever week they fall in.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-timetable-details.h"
#include "cx-timetable-editor.h"
#include "cx-timetable-entry-row.h"
#include "cx-timetable-format.h"
#include "cx-timetable-item.h"
#include "cx-timetable-names.h"
#include "cx-timetable-page.h"
#include "cx-timetable-week-view.h"

/* Below this width the week's seven columns are too thin to read. */
#define NARROW_WIDTH 700

struct _CxTimetablePage
{
  AdwBin parent_instance;

  GtkWidget *previous_button;
  GtkWidget *today_button;
  GtkWidget *next_button;
  GtkLabel *title_label;
  GtkWidget *view_switch;
  GtkRevealer *conflict_revealer;
  GtkLabel *conflict_label;
  GtkStack *views;
  GtkScrolledWindow *week_scroller;
  CxTimetableWeekView *week_view;
  GtkListView *day_list;
  AdwStatusPage *error_page;

  CxApplication *app; /* not owned; NULL once disposed */
  CxTimetableNames *names;
  GDateTime *day;         /* midnight of the day shown; its week is the week shown */
  GListModel *week_items; /* CxTimetableItem of the week shown */
  GtkFilterListModel *day_items;
  GListModel *conflicts; /* CxTimetableItem changed here and at the hub, any week */
  char *view;            /* "week" or "day", as chosen */
  gboolean narrow;
  guint layout_idle;
  guint tick_source;
  GtkWidget *details; /* the details window open, not owned */
};

G_DEFINE_FINAL_TYPE (CxTimetablePage, cx_timetable_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
showing_week (CxTimetablePage *self)
{
  return !self->narrow && g_strcmp0 (self->view, "week") == 0;
}

static GDateTime *
week_start (CxTimetablePage *self)
{
  return cx_timetable_week_start (self->day);
}

static void
label_button (GtkWidget *button, const char *text)
{
  gtk_widget_set_tooltip_text (button, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
show_title (CxTimetablePage *self)
{
  g_autofree char *title = NULL;

  if (showing_week (self))
    {
      g_autoptr (GDateTime) monday = week_start (self);
      g_autoptr (GDateTime) sunday = g_date_time_add_days (monday, 6);
      /* TRANSLATORS: the first day of the week shown, a g_date_time_format()
       * format; in Chinese e.g. "%Y年%-m月%-d日" */
      /* xgettext:no-c-format */
      g_autofree char *first = g_date_time_format (monday, C_ ("week title start", "%-d %b"));
      /* TRANSLATORS: the last day of the week shown, a g_date_time_format()
       * format; in Chinese e.g. "%-m月%-d日" */
      /* xgettext:no-c-format */
      g_autofree char *last = g_date_time_format (sunday, C_ ("week title end", "%-d %b %Y"));

      /* TRANSLATORS: the week shown, from its first day to its last */
      title = g_strdup_printf (_ ("%s – %s"), first, last);
    }
  else
    /* TRANSLATORS: the day shown, a g_date_time_format() format; in
     * Chinese e.g. "%Y年%-m月%-d日 %A" */
    title = g_date_time_format (self->day, C_ ("timetable day title", "%A, %-d %B %Y"));
  gtk_label_set_text (self->title_label, title != NULL ? title : "");
}

/* What the navigation buttons say follows what they move by. */
static void
label_navigation (CxTimetablePage *self)
{
  gboolean week = showing_week (self);

  label_button (self->previous_button, week ? _ ("Previous Week") : _ ("Previous Day"));
  label_button (self->next_button, week ? _ ("Next Week") : _ ("Next Day"));
  gtk_button_set_label (GTK_BUTTON (self->today_button), week ? _ ("This Week") : _ ("Today"));
  gtk_widget_set_tooltip_text (self->today_button,
                               week ? _ ("Go to the week of today") : _ ("Go to today"));
  gtk_widget_set_visible (self->view_switch, !self->narrow);
}

static void
show_view (CxTimetablePage *self)
{
  const char *name = "week";

  if (!showing_week (self))
    name = g_list_model_get_n_items (G_LIST_MODEL (self->day_items)) > 0 ? "day" : "empty-day";
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->views), "error") != 0)
    gtk_stack_set_visible_child_name (self->views, name);
  label_navigation (self);
  show_title (self);
}

static void
show_conflicts (CxTimetablePage *self)
{
  guint n = self->conflicts != NULL ? g_list_model_get_n_items (self->conflicts) : 0;
  g_autofree char *text = NULL;

  /* Hidden, not only folded away: a screen reader must not read it out. */
  gtk_widget_set_visible (GTK_WIDGET (self->conflict_revealer), n > 0);
  gtk_revealer_set_reveal_child (self->conflict_revealer, n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timetable.review-conflict", n > 0);
  if (n == 0)
    return;
  text = g_strdup_printf (ngettext ("One class was changed both here and at the hub. Both versions "
                                    "are kept until you choose one.",
                                    "%u classes were changed both here and at the hub. Both "
                                    "versions are kept until you choose.",
                                    n),
                          n);
  gtk_label_set_text (self->conflict_label, text);
}

static gboolean
in_day (gpointer item, gpointer user_data)
{
  CxTimetablePage *self = user_data;
  const CxTimetableEntry *entry = cx_timetable_item_get_entry (CX_TIMETABLE_ITEM (item));
  g_autoptr (GDateTime) next = g_date_time_add_days (self->day, 1);

  return entry->starts_at < g_date_time_to_unix (next) &&
         entry->ends_at > g_date_time_to_unix (self->day);
}

static void
reload (CxTimetablePage *self)
{
  g_autoptr (GDateTime) monday = NULL;
  g_autoptr (GDateTime) next_monday = NULL;
  g_autoptr (GError) error = NULL;
  CxStore *store;

  if (self->app == NULL || (store = cx_application_get_store (self->app)) == NULL)
    return;
  monday = week_start (self);
  next_monday = g_date_time_add_days (monday, 7);
  g_clear_object (&self->week_items);
  self->week_items = cx_timetable_list_items (store, g_date_time_to_unix (monday),
                                              g_date_time_to_unix (next_monday), &error);
  if (self->week_items == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->views, "error");
      self->week_items = G_LIST_MODEL (g_list_store_new (CX_TYPE_TIMETABLE_ITEM));
    }
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->views), "error") == 0)
    gtk_stack_set_visible_child_name (self->views, "week");

  g_clear_object (&self->conflicts);
  self->conflicts = cx_timetable_list_conflicts (store, &error);
  if (self->conflicts == NULL)
    g_debug ("timetable: conflicts not read: %s", error->message);

  cx_timetable_week_view_set_week (self->week_view, monday, self->week_items, self->names);
  gtk_filter_list_model_set_model (self->day_items, self->week_items);
  show_conflicts (self);
  show_view (self);
}

static gboolean
scroll_to_now_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  CxTimetablePage *self = CX_TIMETABLE_PAGE (user_data);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->week_scroller);
  int y = cx_timetable_week_view_get_now_y (self->week_view);

  /* Not laid out yet: the grid is as tall as its hours once it is. */
  if (gtk_adjustment_get_upper (adjustment) <= gtk_adjustment_get_page_size (adjustment) &&
      gtk_widget_get_height (GTK_WIDGET (self->week_view)) == 0)
    return G_SOURCE_CONTINUE;
  if (y >= 0)
    gtk_adjustment_set_value (adjustment, y);
  return G_SOURCE_REMOVE;
}

/* This week's grid scrolled to the time now, once it is laid out: a class
 * going on in the afternoon is not below the fold. */
static void
scroll_to_now (CxTimetablePage *self)
{
  gtk_widget_add_tick_callback (GTK_WIDGET (self->week_view), scroll_to_now_cb, self, NULL);
}

/* Moves to the week or day of @day. */
static void
go_to (CxTimetablePage *self, GDateTime *day)
{
  g_autoptr (GDateTime) old_monday = week_start (self);
  g_autoptr (GDateTime) new_day = cx_timetable_day_start (day);
  g_autoptr (GDateTime) new_monday = cx_timetable_week_start (new_day);

  g_date_time_unref (self->day);
  self->day = g_steal_pointer (&new_day);
  if (!g_date_time_equal (old_monday, new_monday))
    {
      reload (self);
      return;
    }
  gtk_filter_changed (gtk_filter_list_model_get_filter (self->day_items),
                      GTK_FILTER_CHANGE_DIFFERENT);
  show_view (self);
}

static void
move (CxTimetablePage *self, int direction)
{
  g_autoptr (GDateTime) day =
      g_date_time_add_days (self->day, showing_week (self) ? 7 * direction : direction);

  go_to (self, day);
}

static void
go_previous (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  move (CX_TIMETABLE_PAGE (widget), -1);
}

static void
go_next (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  move (CX_TIMETABLE_PAGE (widget), 1);
}

static void
go_today (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  go_to (CX_TIMETABLE_PAGE (widget), now);
  scroll_to_now (CX_TIMETABLE_PAGE (widget));
}

static GtkWindow *
window_of (CxTimetablePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
present_over_page (CxTimetablePage *self, GtkWidget *dialog)
{
  gtk_window_set_transient_for (GTK_WINDOW (dialog), window_of (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_entry (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxTimetablePage *self = CX_TIMETABLE_PAGE (widget);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) today = cx_timetable_day_start (now);
  g_autoptr (GDateTime) monday = week_start (self);
  g_autoptr (GDateTime) next_monday = g_date_time_add_days (monday, 7);
  GDateTime *day = self->day;

  /* In the week grid, a new class goes on today if today is in the week shown. */
  if (showing_week (self))
    day = g_date_time_compare (today, monday) >= 0 && g_date_time_compare (today, next_monday) < 0
              ? today
              : monday;
  present_over_page (self, cx_timetable_editor_new (self->app, NULL, day, self->names));
}

static void
on_details_destroyed (gpointer user_data, GObject *where_the_object_was)
{
  CX_TIMETABLE_PAGE (user_data)->details = NULL;
}

static void
open_details (CxTimetablePage *self, CxTimetableItem *item)
{
  if (self->details != NULL)
    gtk_window_destroy (GTK_WINDOW (self->details));
  self->details = cx_timetable_details_new (self->app, item, self->names);
  g_object_weak_ref (G_OBJECT (self->details), on_details_destroyed, self);
  present_over_page (self, self->details);
}

static void
on_entry_activated (CxTimetablePage *self, CxTimetableItem *item)
{
  open_details (self, item);
}

static void
review_conflict (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxTimetablePage *self = CX_TIMETABLE_PAGE (widget);
  g_autoptr (CxTimetableItem) item = NULL;
  g_autoptr (GDateTime) starts = NULL;

  if (self->conflicts == NULL || g_list_model_get_n_items (self->conflicts) == 0)
    return;
  item = g_list_model_get_item (self->conflicts, 0);
  starts = g_date_time_new_from_unix_local (cx_timetable_item_get_entry (item)->starts_at);
  go_to (self, starts);
  open_details (self, item);
}

static void
on_row_open (CxTimetableEntryRow *row, CxTimetableItem *item, CxTimetablePage *self)
{
  open_details (self, item);
}

static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *list_item, CxTimetablePage *self)
{
  GtkWidget *row = cx_timetable_entry_row_new ();

  g_signal_connect (row, "open", G_CALLBACK (on_row_open), self);
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_child (list_item, row);
}

static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *list_item, CxTimetablePage *self)
{
  cx_timetable_entry_row_bind (CX_TIMETABLE_ENTRY_ROW (gtk_list_item_get_child (list_item)),
                               gtk_list_item_get_item (list_item), self->names);
}

static void
unbind_row (GtkSignalListItemFactory *factory, GtkListItem *list_item, CxTimetablePage *self)
{
  cx_timetable_entry_row_bind (CX_TIMETABLE_ENTRY_ROW (gtk_list_item_get_child (list_item)), NULL,
                               self->names);
}

static void
on_timetable_changed (CxApplication *app, CxTimetablePage *self)
{
  reload (self);
}

/* Packages, units or plans changed: their titles may have too, and a sync
 * that brought them may have brought timetable changes. */
static void
on_links_changed (CxApplication *app, CxTimetablePage *self)
{
  cx_timetable_names_reset (self->names);
  reload (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  CxTimetablePage *self = user_data;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    cx_timetable_week_view_update_now (self->week_view);
  return G_SOURCE_CONTINUE;
}

static gboolean
update_layout_cb (gpointer user_data)
{
  CxTimetablePage *self = user_data;

  self->layout_idle = 0;
  show_view (self);
  return G_SOURCE_REMOVE;
}

/* Narrow or wide decides what shows; the switch waits for the allocation
 * to be over, as changing children during it would start another. */
static void
cx_timetable_page_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  CxTimetablePage *self = CX_TIMETABLE_PAGE (widget);
  gboolean narrow = width < NARROW_WIDTH;

  if (narrow != self->narrow)
    {
      self->narrow = narrow;
      if (self->layout_idle == 0)
        self->layout_idle = g_idle_add (update_layout_cb, self);
    }
  GTK_WIDGET_CLASS (cx_timetable_page_parent_class)
      ->size_allocate (widget, width, height, baseline);
}

/* The store may have changed from outside (a sync from the command line). */
static void
cx_timetable_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cx_timetable_page_parent_class)->map (widget);
  reload (CX_TIMETABLE_PAGE (widget));
  scroll_to_now (CX_TIMETABLE_PAGE (widget));
}

static void
cx_timetable_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CxTimetablePage *self = CX_TIMETABLE_PAGE (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_string (value, self->view);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cx_timetable_page_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  CxTimetablePage *self = CX_TIMETABLE_PAGE (object);
  const char *view = g_value_get_string (value);

  switch (prop_id)
    {
    case PROP_VIEW:
      if (g_strcmp0 (view, "day") != 0)
        view = "week";
      if (g_strcmp0 (view, self->view) == 0)
        return;
      g_free (self->view);
      self->view = g_strdup (view);
      if (self->day != NULL)
        show_view (self);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cx_timetable_page_dispose (GObject *object)
{
  CxTimetablePage *self = CX_TIMETABLE_PAGE (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->layout_idle, g_source_remove);
  if (self->details != NULL)
    {
      g_object_weak_unref (G_OBJECT (self->details), on_details_destroyed, self);
      gtk_window_destroy (GTK_WINDOW (self->details));
      self->details = NULL;
    }
  if (self->app != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->app, self);
      self->app = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_TIMETABLE_PAGE);
  g_clear_object (&self->day_items);
  g_clear_object (&self->week_items);
  g_clear_object (&self->conflicts);
  g_clear_object (&self->names);
  G_OBJECT_CLASS (cx_timetable_page_parent_class)->dispose (object);
}

static void
cx_timetable_page_finalize (GObject *object)
{
  CxTimetablePage *self = CX_TIMETABLE_PAGE (object);

  g_clear_pointer (&self->day, g_date_time_unref);
  g_free (self->view);
  G_OBJECT_CLASS (cx_timetable_page_parent_class)->finalize (object);
}

static void
cx_timetable_page_class_init (CxTimetablePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cx_timetable_page_dispose;
  object_class->finalize = cx_timetable_page_finalize;
  object_class->get_property = cx_timetable_page_get_property;
  object_class->set_property = cx_timetable_page_set_property;
  widget_class->size_allocate = cx_timetable_page_size_allocate;
  widget_class->map = cx_timetable_page_map;

  /* "week" for the grid, "day" for one day's list; narrow windows show the list either way. */
  properties[PROP_VIEW] =
      g_param_spec_string ("view", NULL, NULL, "week",
                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CX_TYPE_TIMETABLE_WEEK_VIEW);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/cunxiao/Cunxiao/ui/cx-timetable-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CxTimetablePage, previous_button);
  gtk_widget_class_bind_template_child (widget_class, CxTimetablePage, today_button);
  gtk_widget_class_bind_template_child (widget_class, CxTimetablePage, next_button);
  gtk_widget_class_bind_template_child (widget_class, CxTimetablePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CxTimetablePage, view_switch);
  gtk_widget_class_bind_template_child (widget_class, CxTimetablePage, conflict_revealer);
  gtk_widget_class_bind_template_child (widget_class, CxTimetablePage, conflict_label);
  gtk_widget_class_bind_template_child (widget_class, CxTimetablePage, views);
  gtk_widget_class_bind_template_child (widget_class, CxTimetablePage, week_scroller);
  gtk_widget_class_bind_template_child (widget_class, CxTimetablePage, week_view);
  gtk_widget_class_bind_template_child (widget_class, CxTimetablePage, day_list);
  gtk_widget_class_bind_template_child (widget_class, CxTimetablePage, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "timetable.previous", NULL, go_previous);
  gtk_widget_class_install_action (widget_class, "timetable.next", NULL, go_next);
  gtk_widget_class_install_action (widget_class, "timetable.today", NULL, go_today);
  gtk_widget_class_install_action (widget_class, "timetable.add", NULL, add_entry);
  gtk_widget_class_install_action (widget_class, "timetable.review-conflict", NULL,
                                   review_conflict);
  gtk_widget_class_install_property_action (widget_class, "timetable.view", "view");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_ALT_MASK,
                                       "timetable.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_ALT_MASK,
                                       "timetable.next", NULL);
}

static void
cx_timetable_page_init (CxTimetablePage *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr (GtkNoSelection) day = NULL;
  GtkCustomFilter *filter;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->view = g_strdup ("week");
  self->day = cx_timetable_day_start (now);

  filter = gtk_custom_filter_new (in_day, self, NULL);
  self->day_items = gtk_filter_list_model_new (NULL, GTK_FILTER (filter));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->day_list, factory);
  day = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->day_items)));
  gtk_list_view_set_model (self->day_list, GTK_SELECTION_MODEL (day));
}

GtkWidget *
cx_timetable_page_new (CxApplication *app)
{
  CxTimetablePage *self;

  g_return_val_if_fail (CX_IS_APPLICATION (app), NULL);

  self = g_object_new (CX_TYPE_TIMETABLE_PAGE, NULL);
  self->app = app;
  self->names = cx_timetable_names_new (app);
  g_signal_connect (app, "timetable-changed", G_CALLBACK (on_timetable_changed), self);
  g_signal_connect (app, "library-changed", G_CALLBACK (on_links_changed), self);
  g_signal_connect (app, "lessons-changed", G_CALLBACK (on_links_changed), self);
  self->tick_source = g_timeout_add_seconds (60, tick_cb, self);
  reload (self);
  return GTK_WIDGET (self);
}

/**
 * cx_timetable_page_show_entry:
 *
 * Goes to the entry's day and opens its details; says so when the entry
 * is no longer there.
 */
void
cx_timetable_page_show_entry (CxTimetablePage *self, const char *uuid)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxTimetableItem) item = NULL;
  g_autoptr (GDateTime) starts = NULL;

  g_return_if_fail (CX_IS_TIMETABLE_PAGE (self));
  g_return_if_fail (uuid != NULL);

  if (self->app == NULL || cx_application_get_store (self->app) == NULL)
    return;
  item = cx_timetable_find_item (cx_application_get_store (self->app), uuid, &error);
  if (item == NULL)
    {
      GtkWidget *toast_target = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

      if (toast_target != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (toast_target),
                                     adw_toast_new (error->message));
      return;
    }
  starts = g_date_time_new_from_unix_local (cx_timetable_item_get_entry (item)->starts_at);
  go_to (self, starts);
  open_details (self, item);
}
