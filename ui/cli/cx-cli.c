/* cx-cli.c: option parsing, locale set-up and command dispatch for cunxiao-cli */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cx-cli.h"
#include "cx-i18n.h"

static const struct
{
  const char *name;
  CxCliCommand run;
} commands[] = {
  { "init", cx_cli_command_init },         { "status", cx_cli_command_status },
  { "accounts", cx_cli_command_accounts }, { "search", cx_cli_command_search },
  { "hub", cx_cli_command_hub },           { "packages", cx_cli_command_packages },
  { "enroll", cx_cli_command_enroll },     { "sync", cx_cli_command_sync },
  { "hand-in", cx_cli_command_hand_in },   { "timetable", cx_cli_command_timetable },
  { "class", cx_cli_command_class },       { "setting", cx_cli_command_setting },
  { "lesson", cx_cli_command_lesson },     { "assignment", cx_cli_command_assignment },
  { "report", cx_cli_command_report },     { "usage", cx_cli_command_usage },
};

/**
 * cx_cli_parse:
 *
 * Parses options; on failure prints the reason and sets @out_exit.
 */
gboolean
cx_cli_parse (CxCli *cli, GOptionContext *context, int *argc, char ***argv, int *out_exit)
{
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *out_exit = cx_cli_usage (context, error->message);
      return FALSE;
    }

  if (cli->data_dir_option != NULL)
    {
      g_free (cli->data_dir);
      cli->data_dir = g_canonicalize_filename (cli->data_dir_option, NULL);
      g_clear_pointer (&cli->data_dir_option, g_free);
    }

  return TRUE;
}

/**
 * cx_cli_context_new:
 * @parameters: what follows the options in the usage line, translated
 *
 * Returns: (transfer full): an option context that also knows --data-dir, so
 *   it may be given before or after the command
 */
GOptionContext *
cx_cli_context_new (CxCli *cli, const char *parameters)
{
  GOptionContext *context = g_option_context_new (parameters);
  const GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &cli->data_dir_option,
      N_ ("Folder holding the store"), N_ ("DIR") },
    { NULL },
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

int
cx_cli_usage (GOptionContext *context, const char *message)
{
  g_printerr ("%s: %s\n", g_get_prgname (), message);
  g_printerr (_ ("Try “%s --help” for more information.\n"), g_get_prgname ());
  return CX_CLI_EXIT_USAGE;
}

int
cx_cli_fail (const GError *error)
{
  g_printerr ("cunxiao-cli: %s\n", error->message);
  return CX_CLI_EXIT_FAILED;
}

CxStore *
cx_cli_open_store (CxCli *cli, int *out_exit)
{
  g_autoptr (GError) error = NULL;
  CxStore *store = cx_store_open (cli->data_dir, &error);

  if (store == NULL)
    *out_exit = cx_cli_fail (error);

  /* Only a missing store is "no store"; any other NOT_FOUND is a failure. */
  if (store == NULL && g_error_matches (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND))
    {
      g_printerr (_ ("Create a store first with “cunxiao-cli init”.\n"));
      *out_exit = CX_CLI_EXIT_NO_STORE;
    }

  return store;
}

/* Pads by display width, so Chinese labels (two columns a character) line up. */
void
cx_cli_print_padded (const char *label, int width)
{
  int used = 0;

  for (const char *p = label; *p; p = g_utf8_next_char (p))
    used += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;

  g_print ("%s%*s", label, MAX (width - used, 1), "");
}

static char *
describe_commands (void)
{
  GString *text = g_string_new (NULL);

  g_string_append (text, _ ("Commands:\n"));
  g_string_append (
      text, _ ("  init                   Create the store, or bring an old one up to date\n"));
  g_string_append (text,
                   _ ("  status                 Show where the store is and what it holds\n"));
  g_string_append (
      text, _ ("  accounts add NAME      Add an account (--role teacher, student or admin)\n"));
  g_string_append (text, _ ("  accounts list          List the accounts\n"));
  g_string_append (
      text, _ ("  accounts verify NAME   Check an account’s PIN, read from standard input\n"));
  g_string_append (text, _ ("  search TEXT            Search the installed resources\n"));
  g_string_append (text, _ ("  hub add URL --key KEY  Add a hub to fetch packages from\n"));
  g_string_append (text, _ ("  hub list               List the hubs\n"));
  g_string_append (text, _ ("  packages available     Check the hubs and list what they offer\n"));
  g_string_append (text, _ ("  packages list          List the installed packages\n"));
  g_string_append (text,
                   _ ("  packages install NAME  Install a package (--units to pick units)\n"));
  g_string_append (text,
                   _ ("  packages update [NAME] Update packages; with no name, all of them\n"));
  g_string_append (text, _ ("  packages remove NAME   Remove a package and free its space\n"));
  g_string_append (text, _ ("  hand-in add FILE…      Hand in work (--class, --assignment)\n"));
  g_string_append (text,
                   _ ("  hand-in list           Hand-ins, and whether each reached the hub\n"));
  g_string_append (text,
                   _ ("  timetable list         The timetable, the district’s and the school’s\n"));
  g_string_append (text, _ ("  timetable add          Add an entry of the school’s own\n"));
  g_string_append (text, _ ("  timetable edit ID      Change an entry of the school’s own\n"));
  g_string_append (text, _ ("  timetable delete ID    Remove an entry of the school’s own\n"));
  g_string_append (text, _ ("  timetable conflicts    Entries changed both here and at the hub\n"));
  g_string_append (text, _ ("  timetable resolve ID   Settle one (--keep-mine or --take-hub)\n"));
  g_string_append (
      text, _ ("  lesson add TITLE       Start a lesson plan (--class, --subject, --date)\n"));
  g_string_append (text,
                   _ ("  lesson list            The lesson plans, the newest lesson first\n"));
  g_string_append (text, _ ("  assignment add PLAN TITLE\n"
                            "                         Set an assignment in a lesson plan\n"));
  g_string_append (text, _ ("  assignment list        A plan’s (--plan) or a class’s (--class)\n"));
  g_string_append (text, _ ("  assignment remove ID   Remove one; what was handed in stays\n"));
  g_string_append (text, _ ("  assignment hand-ins ID What was handed in to it\n"));
  g_string_append (text, _ ("  class list             The classes, their grade and roster size\n"));
  g_string_append (text,
                   _ ("  class grade CLASS N    Set a class’s grade (0: guess from the name)\n"));
  g_string_append (text, _ ("  class pupil add|remove|list CLASS [NAME…]\n"
                            "                         Change or show a class’s roster\n"));
  g_string_append (text, _ ("  setting NAME [on|off]  Show or change a school setting\n"));
  g_string_append (text, _ ("  report --month YYYY-MM The month’s report (-o FILE to export it,\n"
                            "                         --set NAME=VALUE to fill in a field)\n"));
  g_string_append (text, _ ("  usage export --from DATE --to DATE\n"
                            "                         The usage log as CSV or JSON (-o FILE)\n"));
  g_string_append (text, _ ("  enroll URL CODE        Enrol this computer with a hub\n"));
  g_string_append (text, _ ("  sync [--once]          Send usage events, update packages\n"));
  g_string_append (text, _ ("  sync status            What is left to send, and the last sync\n"));
  g_string_append (text, "\n");
  g_string_append (text, _ ("The store lives in $XDG_DATA_HOME/cunxiao unless --data-dir or\n"
                            "$CUNXIAO_DATA_DIR names another folder.\n"));
  g_string_append (text, "\n");
  g_string_append (text, _ ("Exit status: 0 success, 1 failure, 2 wrong usage, 3 no store yet.\n"));

  return g_string_free (text, FALSE);
}

static void
cli_clear (CxCli *cli)
{
  g_clear_pointer (&cli->data_dir, g_free);
  g_clear_pointer (&cli->data_dir_option, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CxCli, cli_clear)

int
cx_cli_main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autofree char *description = NULL;
  g_auto (CxCli) cli = { NULL };
  const char *env_dir;
  gboolean version = FALSE;
  int exit_code = CX_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_ ("Show the version and exit"), NULL },
    { NULL },
  };

  cx_i18n_init ();
  g_set_prgname ("cunxiao-cli");

  env_dir = g_getenv ("CUNXIAO_DATA_DIR");
  if (env_dir != NULL && *env_dir != '\0')
    cli.data_dir = g_canonicalize_filename (env_dir, NULL);
  else
    cli.data_dir = cx_store_default_data_dir ();

  context = cx_cli_context_new (&cli, _ ("COMMAND [ARGUMENT…]"));
  g_option_context_set_summary (context, _ ("Cunxiao: curriculum packages, lessons and usage "
                                            "records for village schools, offline first."));
  description = describe_commands ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Stop at the command name: what follows belongs to the command. */
  g_option_context_set_strict_posix (context, TRUE);

  if (!cx_cli_parse (&cli, context, &argc, &argv, &exit_code))
    return exit_code;

  if (version)
    {
      g_print ("cunxiao-cli %s\n", PACKAGE_VERSION);
      return CX_CLI_EXIT_OK;
    }

  if (argc < 2)
    return cx_cli_usage (context, _ ("No command given"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        g_autofree char *prgname = g_strdup_printf ("cunxiao-cli %s", commands[i].name);

        g_set_prgname (prgname);
        return commands[i].run (&cli, argc - 1, argv + 1);
      }

  {
    g_autofree char *message = g_strdup_printf (_ ("Unknown command “%s”"), argv[1]);

    return cx_cli_usage (context, message);
  }
}

/* "30kB", "2MB", "256kbit", "1Mbit" or plain bytes per second. */
gboolean
cx_cli_parse_rate (const char *text, guint64 *out_rate)
{
  static const struct
  {
    const char *suffix;
    guint64 factor;
  } units[] = {
    { "kbit", 125 }, { "Mbit", 125000 }, { "kB", 1000 }, { "MB", 1000000 },
    { "k", 1000 },   { "M", 1000000 },   { "B", 1 },     { "", 1 },
  };
  g_autofree char *number = NULL;
  guint64 value;

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      if (!g_str_has_suffix (text, units[i].suffix))
        continue;
      number = g_strndup (text, strlen (text) - strlen (units[i].suffix));
      if (!g_ascii_string_to_unsigned (number, 10, 1, G_MAXUINT32, &value, NULL))
        return FALSE;
      *out_rate = value * units[i].factor;
      return TRUE;
    }

  return FALSE;
}
