/* cx-cli-report.c: `cunxiao-cli report`, the month's report shown, filled in or exported */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-cli-bar.h"
#include "cx-cli.h"
#include "cx-report-export.h"

static void
print_summary (const CxReport *report)
{
  g_autofree char *note = cx_report_note_skipped (report);

  g_print ("%s %s\n\n", report->month, report->school);
  cx_cli_print_padded (_ ("Activity form"), 28);
  g_print ("%8s %8s %8s  %s\n", _ ("Activities"), _ ("Teachers"), _ ("Pupils"), _ ("Subjects"));
  for (int form = 0; form < CX_REPORT_N_FORMS; form++)
    {
      const CxReportForm *f = &report->forms[form];
      g_autofree char *subjects = g_strjoinv ("、", f->subjects);

      cx_cli_print_padded (cx_activity_form_get_label (f->form), 28);
      g_print ("%8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT "  %s\n",
               f->activities, f->teachers, f->pupils, subjects);
    }
  g_print ("\n");
  g_print (_ ("Lesson plans prepared: %lld\n"), (long long) report->lesson_plans);
  g_print (_ ("Hand-ins: %lld\n"), (long long) report->hand_ins);
  g_print (_ ("Process materials uploaded: %lld\n"), (long long) report->process_materials);
  g_print (_ ("Resources opened: %lld, for %lld minutes\n"), (long long) report->resources_opened,
           (long long) ((report->seconds_spent + 30) / 60));
  if (note != NULL)
    g_printerr ("%s\n", note);
}

static gboolean
set_fields (CxStore *store, int year, int month, char **assignments, GError **error)
{
  CxReportFields fields = { 0 };
  gboolean saved = FALSE;

  if (!cx_store_get_report_fields (store, year, month, &fields, error))
    return FALSE;
  for (guint i = 0; assignments[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (assignments[i], "=", 2);

      if (g_strv_length (pair) != 2)
        {
          g_set_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID, _ ("“%s” is not NAME=VALUE"),
                       assignments[i]);
          goto out;
        }
      if (!cx_report_fields_set_by_name (&fields, pair[0], pair[1], error))
        goto out;
    }
  saved = cx_store_set_report_fields (store, year, month, &fields, error);

out:
  cx_report_fields_clear (&fields);
  return saved;
}

int
cx_cli_command_report (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxReport) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CxCliBar) bar = NULL;
  g_autofree char *month_text = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *output = NULL;
  g_auto (GStrv) assignments = NULL;
  CxExportFormat format = CX_EXPORT_FORMAT_XLSX;
  int year, month, exit_code;
  const GOptionEntry entries[] = {
    { "month", 'm', 0, G_OPTION_ARG_STRING, &month_text, N_ ("The month, like 2026-10"),
      N_ ("YYYY-MM") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text,
      N_ ("xlsx, csv or json (from the file’s name if not given)"), N_ ("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_ ("Write the report to FILE"),
      N_ ("FILE") },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &assignments,
      N_ ("Fill in a field the admin answers, like publicity=3 or highlights=TEXT"),
      N_ ("NAME=VALUE") },
    { NULL },
  };

  g_option_context_set_summary (
      context,
      _ ("Show the month’s report, fill in the fields only the admin knows, or export it.\n"
         "Fields for --set: partner-school, reporter, stage, agreement-signed,\n"
         "agreement-uploaded, equipment-ok, space-opened, small-school (yes or no),\n"
         "publicity (the school’s), publicity-county, publicity-city, publicity-province,\n"
         "highlights, next-plan."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return cx_cli_usage (context, _ ("“report” takes no arguments"));
  if (month_text == NULL)
    return cx_cli_usage (context, _ ("Give the month with --month YYYY-MM"));
  if (!cx_report_parse_month (month_text, &year, &month, &error))
    return cx_cli_usage (context, error->message);
  if (format_text != NULL && !cx_export_format_from_string (format_text, &format, &error))
    return cx_cli_usage (context, error->message);
  if (format_text != NULL && output == NULL)
    return cx_cli_usage (context, _ ("Give the file to write with -o FILE"));
  if (output != NULL && format_text == NULL && !cx_export_format_from_path (output, &format))
    return cx_cli_usage (context, _ ("Give the format with --format, or end the file’s name in "
                                     ".xlsx, .csv or .json"));

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  if (assignments != NULL)
    {
      if (!set_fields (store, year, month, assignments, &error))
        return cx_cli_fail (error);
      if (output == NULL)
        {
          g_print (_ ("Saved the report’s fields for %s\n"), month_text);
          return CX_CLI_EXIT_OK;
        }
    }

  bar = cx_cli_bar_new (_ ("Reading the usage journal"));
  report = cx_report_compute (store, year, month, NULL, cx_cli_bar_update, bar, &error);
  g_clear_pointer (&bar, cx_cli_bar_free);
  if (report == NULL)
    return cx_cli_fail (error);
  if (output == NULL)
    {
      print_summary (report);
      return CX_CLI_EXIT_OK;
    }
  if (!cx_report_export (report, format, output, &error))
    return cx_cli_fail (error);
  {
    g_autofree char *note = cx_report_note_skipped (report);

    if (note != NULL)
      g_printerr ("%s\n", note);
  }
  if (report->events == 0)
    g_printerr (_ ("No usage was recorded in %s: the report is empty\n"), month_text);
  g_printerr (_ ("Wrote the report for %s to %s\n"), month_text, output);
  return CX_CLI_EXIT_OK;
}
