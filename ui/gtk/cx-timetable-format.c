/* cx-timetable-format.c: how timetable entries read and look, the same on every page
 *
 * Each activity form has its own icon and colour (style.css, .tt-form-*),
 * so the week reads at a glance; the label beside it says it in words.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-timetable-format.h"

const char *
cx_timetable_form_icon (CxActivityForm form)
{
  switch (form)
    {
    case CX_ACTIVITY_SYNC_CLASSROOM:
      return "camera-web-symbolic"; /* taught live from the town */
    case CX_ACTIVITY_REMOTE_DELIVERY:
      return "video-x-generic-symbolic"; /* recorded lessons */
    case CX_ACTIVITY_MASTER_CLASSROOM:
      return "emblem-favorite-symbolic"; /* famous teachers */
    case CX_ACTIVITY_ONLINE_RESEARCH:
      return "system-users-symbolic"; /* teachers together */
    case CX_ACTIVITY_LOCAL:
    default:
      return "x-office-presentation-symbolic";
    }
}

/* Gives @widget the colour of @form (and of no other). */
void
cx_timetable_set_form_class (GtkWidget *widget, CxActivityForm form)
{
  for (CxActivityForm f = CX_ACTIVITY_SYNC_CLASSROOM; f <= CX_ACTIVITY_LOCAL; f++)
    {
      g_autofree char *name = g_strconcat ("tt-form-", cx_activity_form_to_string (f), NULL);

      if (f == form)
        gtk_widget_add_css_class (widget, name);
      else
        gtk_widget_remove_css_class (widget, name);
    }
}

char *
cx_timetable_format_clock (gint64 unix_time)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  return time != NULL ? g_date_time_format (time, "%H:%M") : g_strdup ("");
}

/* "08:00–08:40" */
char *
cx_timetable_format_range (const CxTimetableEntry *entry)
{
  g_autofree char *starts = cx_timetable_format_clock (entry->starts_at);
  g_autofree char *ends = cx_timetable_format_clock (entry->ends_at);

  return g_strdup_printf ("%s–%s", starts, ends);
}

/* The weekday and date, e.g. "Mon 24 Nov" */
char *
cx_timetable_format_day (gint64 unix_time)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  /* TRANSLATORS: a day on the timetable, a g_date_time_format() format;
   * in Chinese e.g. "%-m月%-d日 %A" */
  /* xgettext:no-c-format */
  return time != NULL ? g_date_time_format (time, C_ ("timetable day", "%a %-d %b"))
                      : g_strdup ("");
}

static void
append_part (GString *text, const char *separator, const char *part)
{
  if (part == NULL || *part == '\0')
    return;
  if (text->len > 0)
    g_string_append (text, separator);
  g_string_append (text, part);
}

/* "数学 · 三年级": what the class is, in a few words */
char *
cx_timetable_format_title (const CxTimetableEntry *entry)
{
  GString *title = g_string_new (NULL);

  append_part (title, " · ", entry->subject);
  append_part (title, " · ", entry->class_name);
  if (title->len == 0)
    g_string_append (title, cx_activity_form_get_label (entry->form));
  return g_string_free (title, FALSE);
}

/**
 * cx_timetable_describe:
 *
 * Everything a screen reader says of an entry, in one line: what, when,
 * which form, whose, and whether it waits for the school to choose.
 */
char *
cx_timetable_describe (const CxTimetableEntry *entry)
{
  g_autofree char *title = cx_timetable_format_title (entry);
  g_autofree char *day = cx_timetable_format_day (entry->starts_at);
  g_autofree char *range = cx_timetable_format_range (entry);
  g_autofree char *when = g_strdup_printf ("%s %s", day, range);
  GString *text = g_string_new (title);

  append_part (text, ", ", when);
  append_part (text, ", ", cx_activity_form_get_label (entry->form));
  append_part (text, ", ",
               entry->origin == CX_TIMETABLE_FROM_HUB ? _ ("district timetable")
                                                      : _ ("school’s own"));
  if (entry->conflict != NULL)
    append_part (text, ", ", _ ("changed here and at the hub"));
  return g_string_free (text, FALSE);
}

/* Midnight at the start of @time's day, local time. */
GDateTime *
cx_timetable_day_start (GDateTime *time)
{
  return g_date_time_new_local (g_date_time_get_year (time), g_date_time_get_month (time),
                                g_date_time_get_day_of_month (time), 0, 0, 0);
}

/* Midnight at the start of the Monday of @time's week, local time. */
GDateTime *
cx_timetable_week_start (GDateTime *time)
{
  g_autoptr (GDateTime) day = cx_timetable_day_start (time);
  g_autoptr (GDateTime) monday = g_date_time_add_days (day, 1 - g_date_time_get_day_of_week (day));

  /* Adding days keeps the wall-clock time, so a DST change keeps midnight. */
  return cx_timetable_day_start (monday);
}
