/* cx-hub-db-report.c: each enrolled school's month, read from the hub's store */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cx-hub-db-private.h"
#include "cx-hub-report.h"
#include "cx-report-tally.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef struct
{
  char *uuid;
  CxActivityForm form;
  char *subject;
  char *class_name;
  char *teacher;
} Entry;

static void
entry_free (Entry *entry)
{
  g_free (entry->uuid);
  g_free (entry->subject);
  g_free (entry->class_name);
  g_free (entry->teacher);
  g_free (entry);
}

static void
school_row_free (CxHubSchoolRow *row)
{
  g_free (row->school);
  cx_report_free (row->report);
  g_free (row);
}

void
cx_hub_county_report_free (CxHubCountyReport *report)
{
  if (report == NULL)
    return;
  g_free (report->month);
  g_clear_pointer (&report->schools, g_ptr_array_unref);
  g_free (report);
}

/**
 * cx_hub_county_report_rate:
 *
 * Returns: @count as a share of the enrolled schools, 0 to 1 (0 for none)
 */
double
cx_hub_county_report_rate (const CxHubCountyReport *report, gint64 count)
{
  return report->schools->len > 0 ? (double) count / report->schools->len : 0.0;
}

static const char *
column_text (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

/* The district's entries and every school's own: what places an event. */
static GPtrArray *
load_timetable (CxHubDb *self, GError **error)
{
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _cx_hub_db_prepare (self,
                             "SELECT uuid, json_extract (entry, '$.form'),"
                             " json_extract (entry, '$.subject'), json_extract (entry, '$.class'),"
                             " json_extract (entry, '$.teacher')"
                             " FROM timetable WHERE json_valid (entry)",
                             error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Entry *entry = g_new0 (Entry, 1);

      entry->uuid = g_strdup (column_text (stmt, 0));
      if (!cx_activity_form_from_string (column_text (stmt, 1), &entry->form))
        entry->form = CX_ACTIVITY_LOCAL;
      entry->subject = g_strdup (column_text (stmt, 2));
      entry->class_name = g_strdup (column_text (stmt, 3));
      entry->teacher = g_strdup (column_text (stmt, 4));
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      _cx_hub_db_set_error (self, error, _ ("Could not read the timetable"));
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static gboolean
tally_events (CxHubDb *self, gint64 school_id, CxReportTally *tally, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _cx_hub_db_prepare (self,
                             "SELECT " CX_REPORT_ROW_COLUMNS " FROM events"
                             " WHERE device_id IN (SELECT id FROM devices WHERE school_id = ?1)"
                             " AND time_us >= ?2 AND time_us < ?3",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, school_id);
  sqlite3_bind_int64 (stmt, 2, cx_report_tally_get_from (tally) * G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 3, cx_report_tally_get_to (tally) * G_USEC_PER_SEC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    cx_report_tally_add_row (tally, stmt);
  if (rc != SQLITE_DONE)
    return _cx_hub_db_set_error (self, error, _ ("Could not read the usage events"));
  return TRUE;
}

/* Files the school's computers uploaded in the month: its new process materials. */
static gboolean
count_uploads (CxHubDb *self, gint64 school_id, CxReport *report, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  stmt = _cx_hub_db_prepare (self,
                             "SELECT count (*) FROM uploads"
                             " WHERE device_id IN (SELECT id FROM devices WHERE school_id = ?1)"
                             " AND received_at >= ?2 AND received_at < ?3",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, school_id);
  sqlite3_bind_int64 (stmt, 2, report->from);
  sqlite3_bind_int64 (stmt, 3, report->to);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _cx_hub_db_set_error (self, error, _ ("Could not count the uploaded files"));
  report->process_materials = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static void
apply_answers (CxReportFields *fields, const char *payload)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GList) members = NULL;
  JsonObject *object;

  if (!json_parser_load_from_data (parser, payload, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);
      g_autoptr (GError) error = NULL;
      g_autofree char *value = NULL;

      if (g_str_equal (l->data, "month") || !JSON_NODE_HOLDS_VALUE (node))
        continue;
      value = json_node_get_value_type (node) == G_TYPE_STRING
                  ? g_strdup (json_node_get_string (node))
                  : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      /* A field of a newer version of the app: not one this table has. */
      if (!cx_report_fields_set_by_name (fields, l->data, value, &error))
        g_debug ("Report answer ignored: %s", error->message);
    }
}

/* The school's latest answers for the month, if any reached the hub. */
static gboolean
read_answers (CxHubDb *self, gint64 school_id, CxHubSchoolRow *row, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  CxReportFields *fields = &row->report->fields;
  int rc;

  stmt = _cx_hub_db_prepare (self,
                             "SELECT payload FROM events"
                             " WHERE device_id IN (SELECT id FROM devices WHERE school_id = ?1)"
                             " AND kind = 'report.fields' AND json_valid (payload)"
                             " AND json_extract (payload, '$.month') = ?2"
                             " ORDER BY time_us DESC, seq DESC LIMIT 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, school_id);
  sqlite3_bind_text (stmt, 2, row->report->month, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row->answered = TRUE;
      apply_answers (fields, column_text (stmt, 0));
    }
  else if (rc != SQLITE_DONE)
    return _cx_hub_db_set_error (self, error, _ ("Could not read the schools’ answers"));

  {
    char **texts[] = { &fields->partner_school, &fields->reporter, &fields->stage,
                       &fields->highlights, &fields->next_plan };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      if (*texts[i] == NULL)
        *texts[i] = g_strdup ("");
  }
  return TRUE;
}

static CxHubSchoolRow *
school_row (
    CxHubDb *self, sqlite3_stmt *school, int year, int month, GPtrArray *entries, GError **error)
{
  g_autoptr (CxReportTally) tally = cx_report_tally_new (year, month);
  CxHubSchoolRow *row = g_new0 (CxHubSchoolRow, 1);
  gint64 school_id = sqlite3_column_int64 (school, 0);

  row->school = g_strdup (column_text (school, 1));
  row->devices = sqlite3_column_int64 (school, 2);
  row->report = g_new0 (CxReport, 1);
  row->report->month = g_strdup_printf ("%04d-%02d", year, month);
  row->report->school = g_strdup (row->school);
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *e = g_ptr_array_index (entries, i);

      cx_report_tally_add_entry (tally, e->uuid, e->form, e->subject, e->class_name, e->teacher);
    }
  if (!tally_events (self, school_id, tally, error))
    goto fail;
  cx_report_tally_finish (tally, row->report);
  if (!count_uploads (self, school_id, row->report, error) ||
      !read_answers (self, school_id, row, error))
    goto fail;
  return row;

fail:
  school_row_free (row);
  return NULL;
}

/**
 * cx_hub_db_county_report:
 *
 * Counts the month (in the hub's local time) for every enrolled school.
 *
 * Returns: (transfer full): the table, or %NULL with @error set
 */
CxHubCountyReport *
cx_hub_db_county_report (CxHubDb *self, int year, int month, GError **error)
{
  g_autoptr (CxHubCountyReport) report = g_new0 (CxHubCountyReport, 1);
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (sqlite3_stmt) schools = NULL;
  g_autoptr (CxReportTally) bounds = NULL;
  int rc;

  g_return_val_if_fail (CX_IS_HUB_DB (self), NULL);
  g_return_val_if_fail (month >= 1 && month <= 12, NULL);

  bounds = cx_report_tally_new (year, month);
  report->month = g_strdup_printf ("%04d-%02d", year, month);
  report->from = cx_report_tally_get_from (bounds);
  report->to = cx_report_tally_get_to (bounds);
  report->schools = g_ptr_array_new_with_free_func ((GDestroyNotify) school_row_free);

  /* One read transaction, so the schools' rows agree with each other. */
  if (!_cx_hub_db_exec (self, "BEGIN", error))
    return NULL;
  entries = load_timetable (self, error);
  if (entries == NULL)
    goto fail;
  schools = _cx_hub_db_prepare (self,
                                "SELECT s.id, s.name, count (*) FROM schools s"
                                " JOIN devices d ON d.school_id = s.id"
                                " GROUP BY s.id ORDER BY s.name",
                                error);
  if (schools == NULL)
    goto fail;
  while ((rc = sqlite3_step (schools)) == SQLITE_ROW)
    {
      CxHubSchoolRow *row = school_row (self, schools, year, month, entries, error);
      const CxReportFields *f;

      if (row == NULL)
        goto fail;
      g_ptr_array_add (report->schools, row);
      f = &row->report->fields;
      report->answered += row->answered;
      report->agreements_signed += f->agreement_signed == CX_REPORT_ANSWER_YES;
      report->equipment_ok += f->equipment_ok == CX_REPORT_ANSWER_YES;
      report->spaces_opened += f->space_opened == CX_REPORT_ANSWER_YES;
      report->process_materials += row->report->process_materials;
    }
  if (rc != SQLITE_DONE)
    {
      _cx_hub_db_set_error (self, error, _ ("Could not read the schools"));
      goto fail;
    }
  _cx_hub_db_rollback (self);
  return g_steal_pointer (&report);

fail:
  _cx_hub_db_rollback (self);
  return NULL;
}
