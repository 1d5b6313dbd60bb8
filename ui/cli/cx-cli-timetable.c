/* cx-cli-timetable.c: `cunxiao-cli timetable list|add|edit|delete|conflicts|resolve` */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-cli.h"
#include "cx-store-timetable.h"
#include "cx-sync-service.h"

#define DAY (24 * 3600)

/* What `add` and `edit` take; NULL (or -1) is "not given". */
typedef struct
{
  char *form, *subject, *class_name, *teacher, *partner, *when, *package, *unit;
  char *live_url, *fallback;
  int minutes;
} EntryOptions;

static void
entry_options_clear (EntryOptions *o)
{
  g_free (o->form);
  g_free (o->subject);
  g_free (o->class_name);
  g_free (o->teacher);
  g_free (o->partner);
  g_free (o->when);
  g_free (o->package);
  g_free (o->unit);
  g_free (o->live_url);
  g_free (o->fallback);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EntryOptions, entry_options_clear)

static void
add_entry_options (GOptionContext *context, EntryOptions *o)
{
  const GOptionEntry entries[] = {
    { "form", 0, 0, G_OPTION_ARG_STRING, &o->form,
      N_ ("sync-classroom, remote-delivery, master-classroom, online-research or local"),
      N_ ("FORM") },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &o->subject, N_ ("The subject"), N_ ("SUBJECT") },
    { "class", 0, 0, G_OPTION_ARG_STRING, &o->class_name, N_ ("The class"), N_ ("CLASS") },
    { "teacher", 0, 0, G_OPTION_ARG_STRING, &o->teacher, N_ ("The teacher"), N_ ("NAME") },
    { "partner", 0, 0, G_OPTION_ARG_STRING, &o->partner, N_ ("The partner school"), N_ ("SCHOOL") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &o->when, N_ ("When it starts, like 2026-11-24T08:00"),
      N_ ("TIME") },
    { "minutes", 0, 0, G_OPTION_ARG_INT, &o->minutes, N_ ("How long it lasts (40)"),
      N_ ("MINUTES") },
    { "package", 0, 0, G_OPTION_ARG_STRING, &o->package, N_ ("The package the class uses"),
      N_ ("PACKAGE") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &o->unit, N_ ("The unit of that package"), N_ ("UNIT") },
    { "live-url", 0, 0, G_OPTION_ARG_STRING, &o->live_url,
      N_ ("The live stream or meeting of a synchronous class (http or https)"), N_ ("URL") },
    { "fallback", 0, 0, G_OPTION_ARG_STRING, &o->fallback,
      N_ ("A file of the package to show when the live stream cannot be reached"), N_ ("PATH") },
    { NULL },
  };

  o->minutes = -1;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* Fills @entry from what was given; returns a usage message or NULL. */
static const char *
apply_entry_options (const EntryOptions *o, CxTimetableEntry *entry)
{
  if (o->when != NULL)
    {
      g_autoptr (GTimeZone) local = g_time_zone_new_local ();
      g_autofree char *with_seconds = g_strconcat (o->when, ":00", NULL);
      g_autoptr (GDateTime) start = g_date_time_new_from_iso8601 (o->when, local);

      /* GLib wants seconds; people write 08:00. */
      if (start == NULL)
        start = g_date_time_new_from_iso8601 (with_seconds, local);
      if (start == NULL)
        return _ ("Give when it starts with --start, like 2026-11-24T08:00");
      entry->ends_at = g_date_time_to_unix (start) + (entry->ends_at - entry->starts_at);
      entry->starts_at = g_date_time_to_unix (start);
    }
  if (o->form != NULL && !cx_activity_form_from_string (o->form, &entry->form))
    return _ ("--form takes sync-classroom, remote-delivery, master-classroom, online-research "
              "or local");
  if (o->minutes != -1 && (o->minutes < 1 || o->minutes > 24 * 60))
    return _ ("--minutes must be between 1 and 1440");
  if (o->minutes != -1)
    entry->ends_at = entry->starts_at + (gint64) o->minutes * 60;

#define TAKE(field, option) \
  if (o->option != NULL)    \
    entry->field = o->option;
  TAKE (subject, subject)
  TAKE (class_name, class_name)
  TAKE (teacher, teacher)
  TAKE (partner_school, partner)
  TAKE (package_key, package)
  TAKE (unit, unit)
  TAKE (live_url, live_url)
  TAKE (fallback, fallback)
#undef TAKE
  return NULL;
}

static void
print_entry (const CxTimetableEntry *e)
{
  g_autoptr (GDateTime) start = g_date_time_new_from_unix_local (e->starts_at);
  g_autofree char *when = g_date_time_format (start, "%Y-%m-%d %H:%M");

  g_print ("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", when, cx_activity_form_get_label (e->form), e->subject,
           e->class_name, e->teacher,
           e->origin == CX_TIMETABLE_FROM_HUB ? _ ("district") : _ ("school"), e->uuid);
  if (e->live_url != NULL && *e->live_url != '\0')
    {
      g_print ("\t");
      g_print (_ ("live: %s\n"), e->live_url);
    }
  if (e->fallback != NULL && *e->fallback != '\0')
    {
      g_print ("\t");
      g_print (_ ("if the live class cannot be reached: %s %s\n"), e->package_key, e->fallback);
    }
  if (e->conflict != NULL)
    {
      g_print ("\t");
      g_print (_ ("CONFLICT: changed here and at the hub; see “timetable conflicts”\n"));
    }
  else if (e->dirty)
    {
      g_print ("\t");
      g_print (_ ("not yet sent\n"));
    }
}

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
    print_entry (g_ptr_array_index (list, i));
  return CX_CLI_EXIT_OK;
}

static int
timetable_add (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (EntryOptions) options = { NULL };
  CxTimetableEntry entry = { .form = CX_ACTIVITY_LOCAL, .ends_at = 40 * 60 };
  const char *problem;
  int exit_code;

  g_option_context_set_summary (context, _ ("Add an entry of the school’s own to the timetable; "
                                            "it goes to the hub at the next sync."));
  add_entry_options (context, &options);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (options.when == NULL)
    return cx_cli_usage (context, _ ("Give when it starts with --start, like 2026-11-24T08:00"));
  problem = apply_entry_options (&options, &entry);
  if (problem != NULL)
    return cx_cli_usage (context, problem);

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  entry.origin = CX_TIMETABLE_FROM_SCHOOL;
  entry.dirty = TRUE;
  if (cx_store_save_timetable_entry (store, &entry, &error) == 0)
    return cx_cli_fail (error);
  g_print (_ ("Added to the timetable; it goes to the hub at the next sync.\n"));
  return CX_CLI_EXIT_OK;
}

static int
timetable_edit (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("ID"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CxTimetableEntry) entry = NULL;
  g_auto (EntryOptions) options = { NULL };
  CxTimetableEntry changed;
  const char *problem;
  int exit_code;

  g_option_context_set_summary (context, _ ("Change an entry of the school’s own; what is not "
                                            "given stays. It goes to the hub at the next sync."));
  add_entry_options (context, &options);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return cx_cli_usage (context, _ ("Give the id of the entry, as “timetable list” shows it"));
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  entry = cx_store_get_timetable_entry (store, argv[1], &error);
  if (entry == NULL)
    return cx_cli_fail (error);
  /* A shallow copy: its strings are @entry's or @options', both alive. */
  changed = *entry;
  problem = apply_entry_options (&options, &changed);
  if (problem != NULL)
    return cx_cli_usage (context, problem);
  if (!cx_store_edit_timetable_entry (store, &changed, &error))
    return cx_cli_fail (error);
  g_print (_ ("Changed; the change goes to the hub at the next sync.\n"));
  return CX_CLI_EXIT_OK;
}

static int
timetable_delete (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("ID"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  g_option_context_set_summary (
      context, _ ("Remove an entry of the school’s own; the hub learns it at the next sync."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return cx_cli_usage (context, _ ("Give the id of the entry, as “timetable list” shows it"));
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  if (!cx_store_delete_timetable_entry (store, argv[1], &error))
    return cx_cli_fail (error);
  g_print (_ ("Removed from the timetable.\n"));
  return CX_CLI_EXIT_OK;
}

static int
timetable_conflicts (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  g_option_context_set_summary (context, _ ("List the entries changed both here and at the hub, "
                                            "each with the hub’s version beside it."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  list = cx_store_list_timetable_conflicts (store, &error);
  if (list == NULL)
    return cx_cli_fail (error);
  if (list->len == 0)
    g_print (_ ("No conflicts.\n"));
  for (guint i = 0; i < list->len; i++)
    {
      const CxTimetableEntry *e = g_ptr_array_index (list, i);
      g_autoptr (CxTimetableEntry) hub = cx_timetable_entry_get_hub_version (e);

      g_print (_ ("Here:\n"));
      if (e->deleted)
        {
          g_print ("\t");
          g_print (_ ("removed (%s)\n"), e->uuid);
        }
      else
        print_entry (e);
      g_print (_ ("At the hub:\n"));
      if (hub == NULL)
        {
          g_print ("\t");
          g_print (_ ("not there\n"));
        }
      else if (hub->deleted)
        {
          g_print ("\t");
          g_print (_ ("removed\n"));
        }
      else
        print_entry (hub);
    }
  if (list->len > 0)
    g_print (_ ("Settle each with “timetable resolve ID --keep-mine” or “--take-hub”.\n"));
  return CX_CLI_EXIT_OK;
}

static int
timetable_resolve (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("ID"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxSyncService) service = NULL;
  g_autoptr (GError) error = NULL;
  gboolean keep_mine = FALSE, take_hub = FALSE;
  int exit_code;
  const GOptionEntry entries[] = {
    { "keep-mine", 0, 0, G_OPTION_ARG_NONE, &keep_mine,
      N_ ("Keep this computer’s version; it goes to the hub at the next sync"), NULL },
    { "take-hub", 0, 0, G_OPTION_ARG_NONE, &take_hub, N_ ("Take the hub’s version"), NULL },
    { NULL },
  };

  g_option_context_set_summary (context, _ ("Settle an entry changed both here and at the hub."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2 || keep_mine == take_hub)
    return cx_cli_usage (context, _ ("Give the id of the entry and --keep-mine or --take-hub"));
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  service = cx_sync_service_new (store);
  if (!cx_sync_service_resolve_timetable_conflict (service, argv[1], keep_mine, &error))
    return cx_cli_fail (error);
  g_print (keep_mine ? _ ("Kept this computer’s version; it goes to the hub at the next sync.\n")
                     : _ ("Took the hub’s version.\n"));
  return CX_CLI_EXIT_OK;
}

int
cx_cli_command_timetable (CxCli *cli, int argc, char **argv)
{
  static const struct
  {
    const char *name;
    CxCliCommand run;
  } commands[] = {
    { "list", timetable_list },           { "add", timetable_add },
    { "edit", timetable_edit },           { "delete", timetable_delete },
    { "conflicts", timetable_conflicts }, { "resolve", timetable_resolve },
  };

  for (guint i = 0; argc >= 2 && i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (cli, argc - 1, argv + 1);
  g_printerr (_ ("cunxiao-cli: use “timetable list”, “add”, “edit ID”, “delete ID”, "
                 "“conflicts” or “resolve ID”\n"));
  return CX_CLI_EXIT_USAGE;
}
