/* cx-hub-report.c: `cunxiao-hub report`, the county's table (附件6) of a month
 *
 * Like the school's form, the county's table is a Chinese government form:
 * its headings are Chinese in every locale.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cx-hub-report.h"
#include "cx-hub.h"
#include "cx-report-export.h"
#include "cx-report-layout.h"

/* The four pairing forms, in the form's order; local lessons are not in it. */
#define N_PAIRING_FORMS 4

static const char *const form_names[N_PAIRING_FORMS] = { "同步课堂", "专递课堂", "名师课堂",
                                                         "网络研修" };

static const char *
answer (CxReportAnswer value)
{
  return value == CX_REPORT_ANSWER_YES ? "是" : value == CX_REPORT_ANSWER_NO ? "否" : "未填";
}

static char *
percent (const CxHubCountyReport *report, gint64 count)
{
  return g_strdup_printf ("%.1f%%", 100.0 * cx_hub_county_report_rate (report, count));
}

static void
add_figures (CxReportRow *row, const CxReport *r)
{
  cx_report_row_add_number (row, r->process_materials);
  for (int form = 0; form < N_PAIRING_FORMS; form++)
    {
      cx_report_row_add_number (row, r->forms[form].activities);
      cx_report_row_add_number (row, r->forms[form].teachers);
      cx_report_row_add_number (row, r->forms[form].pupils);
    }
  cx_report_row_add_number (row, r->lesson_plans);
  cx_report_row_add_number (row, r->hand_ins);
}

static GPtrArray *
layout (const CxHubCountyReport *report)
{
  static const char *const rate_headings[] = {
    "学校数", "已填报学校", "协议签订率", "技术环境达标率", "学校空间开通率", "新增过程资料数"
  };
  GPtrArray *sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) cx_report_sheet_free);
  CxReportSheet *sheet = cx_report_sheet_new ("汇总表", 1 + 5 + 3 * N_PAIRING_FORMS + 2);
  g_autoptr (CxReport) total = g_new0 (CxReport, 1);
  g_autofree char *title =
      g_strdup_printf ("“互联网+义务教育”结对帮扶工作月报汇总表（%s）", report->month);
  CxReportRow *row;

  g_ptr_array_add (sheets, sheet);
  cx_report_row_add_text (cx_report_sheet_add_row (sheet, CX_REPORT_ROW_TITLE), title);

  /* Two rows of headings: the groups, then what each column counts. */
  row = cx_report_sheet_add_row (sheet, CX_REPORT_ROW_HEADER);
  for (int i = 0; i < 6; i++)
    cx_report_row_add_text (row, i == 0 ? "学校" : "");
  for (int form = 0; form < N_PAIRING_FORMS; form++)
    for (int i = 0; i < 3; i++)
      cx_report_row_add_text (row, i == 0 ? form_names[form] : "");
  cx_report_row_add_text (row, "");
  cx_report_row_add_text (row, "");
  row = cx_report_sheet_add_row (sheet, CX_REPORT_ROW_HEADER);
  for (const char *const *h = (const char *const[]){ "学校", "设备数", "协议签订", "技术环境达标",
                                                     "学校空间开通", "新增过程资料", NULL };
       *h != NULL; h++)
    cx_report_row_add_text (row, *h);
  for (int form = 0; form < N_PAIRING_FORMS; form++)
    {
      cx_report_row_add_text (row, "活动次数");
      cx_report_row_add_text (row, "参与教师");
      cx_report_row_add_text (row, "参与学生");
    }
  cx_report_row_add_text (row, "备课数");
  cx_report_row_add_text (row, "作业数");

  for (guint i = 0; i < report->schools->len; i++)
    {
      const CxHubSchoolRow *school = g_ptr_array_index (report->schools, i);
      const CxReport *r = school->report;

      row = cx_report_sheet_add_row (sheet, CX_REPORT_ROW_BODY);
      cx_report_row_add_text (row, school->school);
      cx_report_row_add_number (row, school->devices);
      cx_report_row_add_text (row, answer (r->fields.agreement_signed));
      cx_report_row_add_text (row, answer (r->fields.equipment_ok));
      cx_report_row_add_text (row, answer (r->fields.space_opened));
      add_figures (row, r);

      total->process_materials += r->process_materials;
      total->lesson_plans += r->lesson_plans;
      total->hand_ins += r->hand_ins;
      for (int form = 0; form < N_PAIRING_FORMS; form++)
        {
          total->forms[form].activities += r->forms[form].activities;
          total->forms[form].teachers += r->forms[form].teachers;
          total->forms[form].pupils += r->forms[form].pupils;
        }
    }
  row = cx_report_sheet_add_row (sheet, CX_REPORT_ROW_TOTAL);
  cx_report_row_add_text (row, "合计");
  {
    gint64 devices = 0;

    for (guint i = 0; i < report->schools->len; i++)
      devices += ((CxHubSchoolRow *) g_ptr_array_index (report->schools, i))->devices;
    cx_report_row_add_number (row, devices);
  }
  cx_report_row_add_number (row, report->agreements_signed);
  cx_report_row_add_number (row, report->equipment_ok);
  cx_report_row_add_number (row, report->spaces_opened);
  add_figures (row, total);

  cx_report_sheet_add_row (sheet, CX_REPORT_ROW_BLANK);
  row = cx_report_sheet_add_row (sheet, CX_REPORT_ROW_HEADER);
  for (guint i = 0; i < G_N_ELEMENTS (rate_headings); i++)
    cx_report_row_add_text (row, rate_headings[i]);
  row = cx_report_sheet_add_row (sheet, CX_REPORT_ROW_BODY);
  cx_report_row_add_number (row, report->schools->len);
  cx_report_row_add_number (row, report->answered);
  {
    g_autofree char *signed_rate = percent (report, report->agreements_signed);
    g_autofree char *equipment_rate = percent (report, report->equipment_ok);
    g_autofree char *space_rate = percent (report, report->spaces_opened);

    cx_report_row_add_text (row, signed_rate);
    cx_report_row_add_text (row, equipment_rate);
    cx_report_row_add_text (row, space_rate);
  }
  cx_report_row_add_number (row, report->process_materials);
  return sheets;
}

static void
add_int (JsonBuilder *b, const char *member, gint64 value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_int_value (b, value);
}

static const char *
answer_id (CxReportAnswer value)
{
  return value == CX_REPORT_ANSWER_YES ? "yes" : value == CX_REPORT_ANSWER_NO ? "no" : "unknown";
}

static gboolean
write_json (const CxHubCountyReport *report, const char *path, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "cunxiao-county-report");
  add_int (b, "version", 1);
  json_builder_set_member_name (b, "month");
  json_builder_add_string_value (b, report->month);
  json_builder_set_member_name (b, "schools");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->schools->len; i++)
    {
      const CxHubSchoolRow *school = g_ptr_array_index (report->schools, i);
      const CxReport *r = school->report;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "school");
      json_builder_add_string_value (b, school->school);
      add_int (b, "devices", school->devices);
      json_builder_set_member_name (b, "answered");
      json_builder_add_boolean_value (b, school->answered);
      json_builder_set_member_name (b, "agreement_signed");
      json_builder_add_string_value (b, answer_id (r->fields.agreement_signed));
      json_builder_set_member_name (b, "equipment_ok");
      json_builder_add_string_value (b, answer_id (r->fields.equipment_ok));
      json_builder_set_member_name (b, "space_opened");
      json_builder_add_string_value (b, answer_id (r->fields.space_opened));
      add_int (b, "process_materials", r->process_materials);
      json_builder_set_member_name (b, "forms");
      json_builder_begin_array (b);
      for (int form = 0; form < CX_REPORT_N_FORMS; form++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "form");
          json_builder_add_string_value (b, cx_activity_form_to_string (form));
          add_int (b, "activities", r->forms[form].activities);
          add_int (b, "teachers", r->forms[form].teachers);
          add_int (b, "pupils", r->forms[form].pupils);
          json_builder_set_member_name (b, "subjects");
          json_builder_begin_array (b);
          for (guint s = 0; r->forms[form].subjects[s] != NULL; s++)
            json_builder_add_string_value (b, r->forms[form].subjects[s]);
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      add_int (b, "lesson_plans", r->lesson_plans);
      add_int (b, "hand_ins", r->hand_ins);
      add_int (b, "events", r->events);
      add_int (b, "skipped", r->skipped_invalid + r->skipped_unknown + r->skipped_missing);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rates");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "agreements_signed");
  json_builder_add_double_value (b, cx_hub_county_report_rate (report, report->agreements_signed));
  json_builder_set_member_name (b, "equipment_ok");
  json_builder_add_double_value (b, cx_hub_county_report_rate (report, report->equipment_ok));
  json_builder_set_member_name (b, "spaces_opened");
  json_builder_add_double_value (b, cx_hub_county_report_rate (report, report->spaces_opened));
  json_builder_end_object (b);
  add_int (b, "answered", report->answered);
  add_int (b, "process_materials", report->process_materials);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

static void
print_table (const CxHubCountyReport *report)
{
  g_print (_ ("%s: %u schools, %lld answered\n"), report->month, report->schools->len,
           (long long) report->answered);
  for (guint i = 0; i < report->schools->len; i++)
    {
      const CxHubSchoolRow *school = g_ptr_array_index (report->schools, i);
      const CxReport *r = school->report;

      g_print ("%s\t%lld\t%lld\t%lld\t%lld\n", school->school,
               (long long) r->forms[CX_ACTIVITY_SYNC_CLASSROOM].activities,
               (long long) r->forms[CX_ACTIVITY_REMOTE_DELIVERY].activities,
               (long long) r->forms[CX_ACTIVITY_MASTER_CLASSROOM].activities,
               (long long) r->forms[CX_ACTIVITY_ONLINE_RESEARCH].activities);
    }
}

int
cx_hub_command_report (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxHubDb) db = NULL;
  g_autoptr (CxHubCountyReport) report = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *month_text = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *output = NULL;
  CxExportFormat format = CX_EXPORT_FORMAT_XLSX;
  int year, month;
  gboolean written;
  const GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, N_ ("The hub’s data folder"), N_ ("DIR") },
    { "month", 'm', 0, G_OPTION_ARG_STRING, &month_text, N_ ("The month, like 2026-10"),
      N_ ("YYYY-MM") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text,
      N_ ("xlsx, csv or json (from the file’s name if not given)"), N_ ("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_ ("Write the table to FILE"),
      N_ ("FILE") },
    { NULL },
  };

  g_option_context_set_summary (
      context, _ ("The county’s monthly table of the enrolled schools, from the usage events "
                  "their computers sent, with the rates the form asks for."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cx_hub_usage (error->message);
  if (argc > 1)
    return cx_hub_usage (_ ("“report” takes no arguments"));
  if (data_dir == NULL)
    return cx_hub_usage (_ ("Give the hub’s data folder with --data DIR"));
  if (month_text == NULL)
    return cx_hub_usage (_ ("Give the month with --month YYYY-MM"));
  if (!cx_report_parse_month (month_text, &year, &month, &error) ||
      (format_text != NULL && !cx_export_format_from_string (format_text, &format, &error)))
    return cx_hub_usage (error->message);
  if (format_text != NULL && output == NULL)
    return cx_hub_usage (_ ("Give the file to write with -o FILE"));
  if (output != NULL && format_text == NULL && !cx_export_format_from_path (output, &format))
    return cx_hub_usage (_ ("Give the format with --format, or end the file’s name in "
                            ".xlsx, .csv or .json"));

  db = cx_hub_db_open (data_dir, &error);
  if (db == NULL)
    {
      g_printerr ("cunxiao-hub: %s\n", error->message);
      return CX_HUB_EXIT_FAILED;
    }
  report = cx_hub_db_county_report (db, year, month, &error);
  if (report == NULL)
    {
      g_printerr ("cunxiao-hub: %s\n", error->message);
      return CX_HUB_EXIT_FAILED;
    }
  if (output == NULL)
    {
      print_table (report);
      return CX_HUB_EXIT_OK;
    }
  if (format == CX_EXPORT_FORMAT_JSON)
    written = write_json (report, output, &error);
  else
    {
      g_autoptr (GPtrArray) sheets = layout (report);

      written = cx_report_sheets_write (sheets, format, report->month, output, &error);
    }
  if (!written)
    {
      g_printerr ("cunxiao-hub: %s\n", error->message);
      return CX_HUB_EXIT_FAILED;
    }
  if (report->schools->len == 0)
    g_printerr (_ ("No school is enrolled: the table is empty\n"));
  g_printerr (_ ("Wrote the table for %s to %s\n"), month_text, output);
  return CX_HUB_EXIT_OK;
}
