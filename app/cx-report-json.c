/* cx-report-json.c: the report as JSON, as data/report.schema.json describes it */
#include "config.h"

#include <json-glib/json-glib.h>

#include "cx-report-export-private.h"

#define REPORT_FORMAT  "cunxiao-report"
#define REPORT_VERSION 1

/* Writes @text as a JSON string; @text is UTF-8. */
void
_cx_json_write_string (FILE *stream, const char *text)
{
  fputc ('"', stream);
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          fputc ('\\', stream);
          fputc (*p, stream);
        }
      else if (*p < 0x20)
        fprintf (stream, "\\u%04x", *p);
      else
        fputc (*p, stream);
    }
  fputc ('"', stream);
}

static void
add_int (JsonBuilder *builder, const char *member, gint64 value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
add_string (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static const char *
answer (CxReportAnswer value)
{
  return value == CX_REPORT_ANSWER_YES ? "yes" : value == CX_REPORT_ANSWER_NO ? "no" : "unknown";
}

static char *
iso_time (gint64 seconds)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (seconds);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S%:z");
}

static void
add_counts (JsonBuilder *builder,
            const char *member,
            GPtrArray *counts,
            const char *key_name,
            const char *label_name,
            const char *count_name,
            gboolean with_seconds)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < counts->len; i++)
    {
      const CxReportCount *c = g_ptr_array_index (counts, i);

      json_builder_begin_object (builder);
      add_string (builder, key_name, c->key);
      if (label_name != NULL)
        add_string (builder, label_name, c->label);
      add_int (builder, count_name, c->count);
      if (with_seconds)
        add_int (builder, "seconds", c->seconds);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_forms (JsonBuilder *builder, const CxReport *report)
{
  json_builder_set_member_name (builder, "forms");
  json_builder_begin_array (builder);
  for (int form = 0; form < CX_REPORT_N_FORMS; form++)
    {
      const CxReportForm *f = &report->forms[form];

      json_builder_begin_object (builder);
      add_string (builder, "form", cx_activity_form_to_string (f->form));
      add_int (builder, "activities", f->activities);
      add_int (builder, "teachers", f->teachers);
      add_int (builder, "pupils", f->pupils);
      json_builder_set_member_name (builder, "subjects");
      json_builder_begin_array (builder);
      for (guint i = 0; f->subjects[i] != NULL; i++)
        json_builder_add_string_value (builder, f->subjects[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_fields (JsonBuilder *builder, const CxReportFields *f)
{
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_object (builder);
  add_string (builder, "partner_school", f->partner_school);
  add_string (builder, "reporter", f->reporter);
  add_string (builder, "stage", f->stage);
  add_string (builder, "agreement_signed", answer (f->agreement_signed));
  add_string (builder, "agreement_uploaded", answer (f->agreement_uploaded));
  add_string (builder, "equipment_ok", answer (f->equipment_ok));
  add_string (builder, "space_opened", answer (f->space_opened));
  add_string (builder, "small_school", answer (f->small_school));
  json_builder_set_member_name (builder, "publicity");
  json_builder_begin_object (builder);
  add_int (builder, "school", f->publicity_school);
  add_int (builder, "county", f->publicity_county);
  add_int (builder, "city", f->publicity_city);
  add_int (builder, "province", f->publicity_province);
  json_builder_end_object (builder);
  add_string (builder, "highlights", f->highlights);
  add_string (builder, "next_plan", f->next_plan);
  json_builder_end_object (builder);
}

gboolean
_cx_report_write_json (const CxReport *report, CxAtomicFile *file, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *from = iso_time (report->from);
  g_autofree char *to = iso_time (report->to);
  g_autofree char *note = cx_report_note_skipped (report);
  g_autofree char *text = NULL;
  gsize length;

  json_builder_begin_object (builder);
  add_string (builder, "format", REPORT_FORMAT);
  add_int (builder, "version", REPORT_VERSION);
  add_string (builder, "month", report->month);
  add_string (builder, "school", report->school);
  add_string (builder, "from", from);
  add_string (builder, "to", to);
  add_forms (builder, report);
  add_int (builder, "process_materials", report->process_materials);
  add_int (builder, "lesson_plans", report->lesson_plans);
  add_int (builder, "hand_ins", report->hand_ins);
  add_int (builder, "resources_opened", report->resources_opened);
  add_int (builder, "seconds_spent", report->seconds_spent);
  add_counts (builder, "per_day", report->per_day, "date", NULL, "events", FALSE);
  add_counts (builder, "by_subject", report->by_subject, "subject", NULL, "activities", FALSE);
  add_counts (builder, "top_resources", report->top_resources, "resource", "title", "opened", TRUE);
  add_fields (builder, &report->fields);
  json_builder_set_member_name (builder, "journal");
  json_builder_begin_object (builder);
  add_int (builder, "events", report->events);
  add_int (builder, "unreadable", report->skipped_invalid);
  add_int (builder, "unknown", report->skipped_unknown);
  add_int (builder, "incomplete", report->skipped_missing);
  json_builder_set_member_name (builder, "note");
  if (note != NULL)
    json_builder_add_string_value (builder, note);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);
  fwrite (text, 1, length, cx_atomic_file_get_stream (file));
  fputc ('\n', cx_atomic_file_get_stream (file));
  return cx_atomic_file_check (file, error);
}
