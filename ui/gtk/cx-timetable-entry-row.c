/* cx-timetable-entry-row.c: one class in the day list of the timetable
 *
 * The whole row is a flat button, so it opens the class's details by
 * click, keyboard or screen reader alike. It carries what the week grid
 * has no room for: teacher, partner school, the linked material, and
 * whose entry it is.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-timetable-entry-row.h"
#include "cx-timetable-format.h"

struct _CxTimetableEntryRow
{
  AdwBin parent_instance;

  GtkWidget *button;
  GtkWidget *stripe;
  GtkLabel *starts_label;
  GtkLabel *ends_label;
  GtkImage *form_icon;
  GtkLabel *title_label;
  GtkLabel *details_label;
  GtkLabel *links_label;
  GtkWidget *conflict_badge;
  GtkLabel *origin_badge;
  GtkWidget *unsent_badge;

  CxTimetableItem *item;
};

G_DEFINE_FINAL_TYPE (CxTimetableEntryRow, cx_timetable_entry_row, ADW_TYPE_BIN)

enum
{
  OPEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_clicked (CxTimetableEntryRow *self)
{
  if (self->item != NULL)
    g_signal_emit (self, signals[OPEN], 0, self->item);
}

/* "Synchronous classroom · 李老师 · with 县一小" */
static char *
format_details (const CxTimetableEntry *entry)
{
  GString *text = g_string_new (cx_activity_form_get_label (entry->form));

  if (entry->teacher != NULL && *entry->teacher != '\0')
    g_string_append_printf (text, " · %s", entry->teacher);
  if (entry->partner_school != NULL && *entry->partner_school != '\0')
    {
      g_string_append (text, " · ");
      /* TRANSLATORS: the other school of a paired class, e.g. "with 城关小学" */
      g_string_append_printf (text, _ ("with %s"), entry->partner_school);
    }
  return g_string_free (text, FALSE);
}

/**
 * cx_timetable_entry_row_bind:
 * @item: (nullable): the entry to show, or %NULL when the row is put away
 */
void
cx_timetable_entry_row_bind (CxTimetableEntryRow *self,
                             CxTimetableItem *item,
                             CxTimetableNames *names)
{
  const CxTimetableEntry *entry;
  g_autofree char *starts = NULL, *ends = NULL, *title = NULL, *details = NULL;
  g_autofree char *links = NULL, *description = NULL;

  g_return_if_fail (CX_IS_TIMETABLE_ENTRY_ROW (self));

  g_set_object (&self->item, item);
  if (item == NULL)
    return;

  entry = cx_timetable_item_get_entry (item);
  starts = cx_timetable_format_clock (entry->starts_at);
  ends = cx_timetable_format_clock (entry->ends_at);
  title = cx_timetable_format_title (entry);
  details = format_details (entry);
  links = cx_timetable_names_describe_links (names, entry);
  description = cx_timetable_describe (entry);

  cx_timetable_set_form_class (self->stripe, entry->form);
  gtk_image_set_from_icon_name (self->form_icon, cx_timetable_form_icon (entry->form));
  gtk_label_set_text (self->starts_label, starts);
  gtk_label_set_text (self->ends_label, ends);
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->details_label, details);
  gtk_label_set_text (self->links_label, links != NULL ? links : "");
  gtk_widget_set_visible (GTK_WIDGET (self->links_label), links != NULL);
  gtk_label_set_text (self->origin_badge, entry->origin == CX_TIMETABLE_FROM_HUB
                                              ? _ ("District timetable")
                                              : _ ("School’s own"));
  gtk_widget_set_visible (self->conflict_badge, entry->conflict != NULL);
  gtk_widget_set_visible (self->unsent_badge, entry->dirty && entry->conflict == NULL);
  if (entry->origin == CX_TIMETABLE_FROM_SCHOOL)
    gtk_widget_add_css_class (self->button, "tt-own");
  else
    gtk_widget_remove_css_class (self->button, "tt-own");
  gtk_widget_set_tooltip_text (self->button, links != NULL ? links : NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  description, -1);
}

static void
cx_timetable_entry_row_dispose (GObject *object)
{
  CxTimetableEntryRow *self = CX_TIMETABLE_ENTRY_ROW (object);

  g_clear_object (&self->item);
  /* The bin's child is a template child too: let go of it once, here. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_TIMETABLE_ENTRY_ROW);
  G_OBJECT_CLASS (cx_timetable_entry_row_parent_class)->dispose (object);
}

static void
cx_timetable_entry_row_class_init (CxTimetableEntryRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cx_timetable_entry_row_dispose;

  /**
   * CxTimetableEntryRow::open:
   * @item: the row's #CxTimetableItem
   */
  signals[OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                NULL, G_TYPE_NONE, 1, CX_TYPE_TIMETABLE_ITEM);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/cunxiao/Cunxiao/ui/cx-timetable-entry-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEntryRow, button);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEntryRow, stripe);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEntryRow, starts_label);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEntryRow, ends_label);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEntryRow, form_icon);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEntryRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEntryRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEntryRow, links_label);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEntryRow, conflict_badge);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEntryRow, origin_badge);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableEntryRow, unsent_badge);
  gtk_widget_class_bind_template_callback (widget_class, on_clicked);
}

static void
cx_timetable_entry_row_init (CxTimetableEntryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cx_timetable_entry_row_new (void)
{
  return g_object_new (CX_TYPE_TIMETABLE_ENTRY_ROW, NULL);
}
