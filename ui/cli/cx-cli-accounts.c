/* cx-cli-accounts.c: `cunxiao-cli accounts add|list|verify` */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "cx-cli.h"
#include "cx-pin.h"
#include "cx-store-accounts.h"

#define NAME_COLUMN_WIDTH 24
#define ROLE_COLUMN_WIDTH 16

/* Reads one line from standard input; with a terminal, prompts and hides the
 * typing. Returns NULL at end of input. */
static char *
read_secret (const char *prompt)
{
  struct termios saved, quiet;
  gboolean terminal = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  char buffer[CX_PIN_MAX_LENGTH * 4 + 2];
  char *line;

  if (terminal)
    {
      g_printerr ("%s", prompt);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }

  line = fgets (buffer, sizeof buffer, stdin);

  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  if (line == NULL)
    return NULL;

  buffer[strcspn (buffer, "\r\n")] = '\0';
  return g_strdup (buffer);
}

static int
accounts_add (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("NAME"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *role_text = NULL;
  g_autofree char *pin = NULL;
  gboolean pin_stdin = FALSE;
  CxRole role = CX_ROLE_TEACHER;
  int exit_code;
  const GOptionEntry entries[] = {
    { "role", 'r', 0, G_OPTION_ARG_STRING, &role_text,
      N_ ("teacher (the default), student or admin"), N_ ("ROLE") },
    { "pin-stdin", 0, 0, G_OPTION_ARG_NONE, &pin_stdin,
      N_ ("Protect the account with a PIN read from standard input"), NULL },
    { NULL },
  };

  g_option_context_set_summary (context, _ ("Add an account to this device."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return cx_cli_usage (context, _ ("Give exactly one account name"));
  if (role_text != NULL && !cx_role_from_string (role_text, &role))
    {
      g_autofree char *message =
          g_strdup_printf (_ ("Unknown role “%s”: use teacher, student or admin"), role_text);
      return cx_cli_usage (context, message);
    }

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;

  if (pin_stdin)
    {
      pin = read_secret (_ ("PIN: "));
      if (pin == NULL)
        return cx_cli_usage (context, _ ("No PIN on standard input"));
    }

  if (cx_store_add_account (store, argv[1], role, pin, &error) == 0)
    return cx_cli_fail (error);

  g_print (_ ("Added %s “%s”\n"), cx_role_get_label (role), argv[1]);
  return CX_CLI_EXIT_OK;
}

static int
accounts_list (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GPtrArray) accounts = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  g_option_context_set_summary (context, _ ("List the accounts on this device."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return cx_cli_usage (context, _ ("“accounts list” takes no arguments"));

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;

  accounts = cx_store_list_accounts (store, &error);
  if (accounts == NULL)
    return cx_cli_fail (error);

  if (accounts->len == 0)
    {
      g_print (_ ("No accounts yet. Add one with “cunxiao-cli accounts add NAME”.\n"));
      return CX_CLI_EXIT_OK;
    }

  cx_cli_print_padded (_ ("Name"), NAME_COLUMN_WIDTH);
  cx_cli_print_padded (_ ("Role"), ROLE_COLUMN_WIDTH);
  g_print ("%s\n", _ ("PIN"));
  for (guint i = 0; i < accounts->len; i++)
    {
      CxAccount *account = g_ptr_array_index (accounts, i);

      cx_cli_print_padded (account->name, NAME_COLUMN_WIDTH);
      cx_cli_print_padded (cx_role_get_label (account->role), ROLE_COLUMN_WIDTH);
      g_print ("%s\n", account->has_pin ? _ ("yes") : _ ("no"));
    }

  return CX_CLI_EXIT_OK;
}

static int
accounts_verify (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("NAME"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *pin = NULL;
  int exit_code;

  g_option_context_set_summary (context, _ ("Check an account’s PIN, read from standard input. "
                                            "Exits with 0 if it is right."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return cx_cli_usage (context, _ ("Give exactly one account name"));

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;

  pin = read_secret (_ ("PIN: "));
  if (pin == NULL)
    return cx_cli_usage (context, _ ("No PIN on standard input"));

  if (!cx_store_verify_account_pin (store, argv[1], pin, &error))
    return cx_cli_fail (error);

  g_print (_ ("The PIN is right\n"));
  return CX_CLI_EXIT_OK;
}

int
cx_cli_command_accounts (CxCli *cli, int argc, char **argv)
{
  static const struct
  {
    const char *name;
    CxCliCommand run;
  } actions[] = {
    { "add", accounts_add },
    { "list", accounts_list },
    { "verify", accounts_verify },
  };
  g_autofree char *message = NULL;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      g_printerr (_ ("Usage: cunxiao-cli accounts add|list|verify [OPTION…]\n"));
      return argc < 2 ? CX_CLI_EXIT_USAGE : CX_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (argv[1], actions[i].name))
      {
        g_autofree char *prgname = g_strdup_printf ("cunxiao-cli accounts %s", actions[i].name);

        g_set_prgname (prgname);
        return actions[i].run (cli, argc - 1, argv + 1);
      }

  message = g_strdup_printf (_ ("Unknown accounts command “%s”: use add, list or verify"), argv[1]);
  g_printerr ("cunxiao-cli: %s\n", message);
  return CX_CLI_EXIT_USAGE;
}
