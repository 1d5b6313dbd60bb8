/* cx-cli-usage.c: `cunxiao-cli usage export`, the raw usage log of a date range */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cx-cli-bar.h"
#include "cx-cli.h"
#include "cx-usage-export.h"

static int export(CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CxCliBar) bar = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *output = NULL;
  CxExportFormat format = CX_EXPORT_FORMAT_CSV;
  gint64 from, to;
  guint64 rows = 0;
  gboolean written;
  int exit_code;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, N_ ("The first day, like 2026-10-01"),
      N_ ("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_ ("The last day, included"), N_ ("DATE") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text, N_ ("csv or json (csv)"),
      N_ ("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("Write to FILE instead of standard output"), N_ ("FILE") },
    { NULL },
  };

  g_option_context_set_summary (
      context, _ ("Export the usage events recorded on this computer between two days."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return cx_cli_usage (context, _ ("“usage export” takes no arguments"));
  if (from_text == NULL || to_text == NULL)
    return cx_cli_usage (context, _ ("Give the days with --from DATE --to DATE"));
  if (!cx_usage_parse_range (from_text, to_text, &from, &to, &error) ||
      (format_text != NULL && !cx_export_format_from_string (format_text, &format, &error)))
    return cx_cli_usage (context, error->message);
  if (format == CX_EXPORT_FORMAT_XLSX)
    return cx_cli_usage (context, _ ("The usage log is exported as CSV or JSON"));

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  bar = cx_cli_bar_new (_ ("Exporting the usage log"));
  if (output != NULL)
    written = cx_usage_export (store, from, to, format, output, NULL, cx_cli_bar_update, bar, &rows,
                               &error);
  else
    written = cx_usage_export_to_stream (store, from, to, format, stdout, NULL, NULL, NULL, &rows,
                                         &error);
  g_clear_pointer (&bar, cx_cli_bar_free);
  if (!written)
    return cx_cli_fail (error);
  if (output != NULL)
    g_printerr (
        ngettext ("Exported %llu usage event to %s\n", "Exported %llu usage events to %s\n", rows),
        (unsigned long long) rows, output);
  return CX_CLI_EXIT_OK;
}

int
cx_cli_command_usage (CxCli *cli, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "export"))
    return export(cli, argc - 1, argv + 1);
  g_printerr (_ ("cunxiao-cli: use “usage export --from DATE --to DATE”\n"));
  return CX_CLI_EXIT_USAGE;
}
