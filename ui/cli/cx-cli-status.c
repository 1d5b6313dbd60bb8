/* cx-cli-status.c: `cunxiao-cli status` shows the store and what it holds */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-cli.h"

#define LABEL_WIDTH 22

static void
print_row (const char *label, const char *value)
{
  cx_cli_print_padded (label, LABEL_WIDTH);
  g_print ("%s\n", value);
}

static void
print_count (const char *label, gint64 count)
{
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, count);

  print_row (label, value);
}

int
cx_cli_command_status (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *packages = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *hand_ins = NULL;
  CxStoreCounts counts = { 0 };
  int exit_code;

  g_option_context_set_summary (context, _ ("Show where the store is and what it holds."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return cx_cli_usage (context, _ ("“status” takes no arguments"));

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;

  if (!cx_store_get_counts (store, &counts, &error))
    return cx_cli_fail (error);

  schema = g_strdup_printf (_ ("%d (this version reads up to %d)"),
                            cx_store_get_schema_version (store), cx_store_get_supported_schema ());
  packages = g_strdup_printf (_ ("%lld (%lld installed)"), (long long) counts.packages,
                              (long long) counts.installed_packages);
  journal = g_strdup_printf (_ ("%lld (%lld not yet acknowledged by a hub)"),
                             (long long) counts.journal_entries,
                             (long long) counts.journal_unacknowledged);
  hand_ins = g_strdup_printf (_ ("%lld (%lld waiting for upload)"), (long long) counts.hand_ins,
                              (long long) counts.hand_ins_pending);

  print_row (_ ("Store:"), cx_store_get_database_path (store));
  print_row (_ ("Schema version:"), schema);
  print_row (_ ("Device:"), cx_store_get_device_id (store));
  print_count (_ ("Hubs:"), counts.hubs);
  print_row (_ ("Packages:"), packages);
  print_count (_ ("Resources:"), counts.resources);
  print_count (_ ("Accounts:"), counts.accounts);
  print_count (_ ("Lesson plans:"), counts.lesson_plans);
  print_count (_ ("Timetable entries:"), counts.timetable_entries);
  print_row (_ ("Usage events:"), journal);
  print_row (_ ("Hand-ins:"), hand_ins);

  return CX_CLI_EXIT_OK;
}
