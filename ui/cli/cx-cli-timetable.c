/* cx-cli-timetable.c: `cunxiao-cli timetable list|add` */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-cli.h"
#include "cx-store-timetable.h"

#define DAY (24 * 3600)

static int
timetable_list (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  int days = 7;
  int exit_code;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days, N_ ("How many days ahead (7)"), N_ ("DAYS") },
    { NULL },
  };

  g_option_context_set_summary (context, _ ("List the timetable from today: the district’s "
                                            "entries and the school’s own."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (days < 1 || days > 366)
    return cx_cli_usage (context, _ ("--days must be between 1 and 366"));
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  list = cx_store_list_timetable (store, now - now % DAY, now + (gint64) days * DAY, &error);
  if (list == NULL)
    return cx_cli_fail (error);
  if (list->len == 0)
    g_print (_ ("Nothing is on the timetable.\n"));
  for (guint i = 0; i < list->len; i++)
    {
      const CxTimetableEntry *e = g_ptr_array_index (list, i);
      g_autoptr (GDateTime) start = g_date_time_new_from_unix_local (e->starts_at);
      g_autofree char *when = g_date_time_format (start, "%Y-%m-%d %H:%M");

      g_print ("%s\t%s\t%s\t%s\t%s\t%s%s\n", when, cx_activity_form_get_label (e->form), e->subject,
               e->class_name, e->teacher,
               e->origin == CX_TIMETABLE_FROM_HUB ? _ ("district") : _ ("school"),
               e->conflict != NULL ? _ ("\tCONFLICT: changed here and at the hub")
               : e->dirty          ? _ ("\tnot yet sent")
                                   : "");
    }
  return CX_CLI_EXIT_OK;
}

static int
timetable_add (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) start = NULL;
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *form = NULL, *subject = NULL, *class_name = NULL, *teacher = NULL;
  g_autofree char *partner = NULL, *when = NULL;
  int minutes = 40;
  int exit_code;
  CxTimetableEntry entry = { 0 };
  const GOptionEntry entries[] = {
    { "form", 0, 0, G_OPTION_ARG_STRING, &form,
      N_ ("sync-classroom, remote-delivery, master-classroom, online-research or local"),
      N_ ("FORM") },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject, N_ ("The subject"), N_ ("SUBJECT") },
    { "class", 0, 0, G_OPTION_ARG_STRING, &class_name, N_ ("The class"), N_ ("CLASS") },
    { "teacher", 0, 0, G_OPTION_ARG_STRING, &teacher, N_ ("The teacher"), N_ ("NAME") },
    { "partner", 0, 0, G_OPTION_ARG_STRING, &partner, N_ ("The partner school"), N_ ("SCHOOL") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &when, N_ ("When it starts, like 2026-11-24T08:00"),
      N_ ("TIME") },
    { "minutes", 0, 0, G_OPTION_ARG_INT, &minutes, N_ ("How long it lasts (40)"), N_ ("MINUTES") },
    { NULL },
  };

  g_option_context_set_summary (context, _ ("Add an entry of the school’s own to the timetable; "
                                            "it goes to the hub at the next sync."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (when != NULL)
    {
      g_autofree char *with_seconds = g_strconcat (when, ":00", NULL);

      /* GLib wants seconds; people write 08:00. */
      start = g_date_time_new_from_iso8601 (when, local);
      if (start == NULL)
        start = g_date_time_new_from_iso8601 (with_seconds, local);
    }
  if (start == NULL)
    return cx_cli_usage (context, _ ("Give when it starts with --start, like 2026-11-24T08:00"));
  if (!cx_activity_form_from_string (form != NULL ? form : "local", &entry.form))
    return cx_cli_usage (context, _ ("--form takes sync-classroom, remote-delivery, "
                                     "master-classroom, online-research or local"));
  if (minutes < 1 || minutes > 24 * 60)
    return cx_cli_usage (context, _ ("--minutes must be between 1 and 1440"));

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  entry.subject = subject;
  entry.class_name = class_name;
  entry.teacher = teacher;
  entry.partner_school = partner;
  entry.starts_at = g_date_time_to_unix (start);
  entry.ends_at = entry.starts_at + (gint64) minutes * 60;
  entry.origin = CX_TIMETABLE_FROM_SCHOOL;
  entry.dirty = TRUE;
  if (cx_store_save_timetable_entry (store, &entry, &error) == 0)
    return cx_cli_fail (error);
  g_print (_ ("Added to the timetable; it goes to the hub at the next sync.\n"));
  return CX_CLI_EXIT_OK;
}

int
cx_cli_command_timetable (CxCli *cli, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return timetable_list (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return timetable_add (cli, argc - 1, argv + 1);
  g_printerr (_ ("cunxiao-cli: use “timetable list” or “timetable add”\n"));
  return CX_CLI_EXIT_USAGE;
}
