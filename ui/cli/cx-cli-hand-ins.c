/* cx-cli-hand-ins.c: `cunxiao-cli hand-in add|list` */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-cli.h"
#include "cx-hand-in-files.h"

static int
hand_in_add (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("FILE…"));
  g_autoptr (CxStore) store = NULL;
  g_autofree char *class_name = NULL;
  g_autofree char *assignment = NULL;
  g_autofree char *pupil = NULL;
  gint64 assignment_id = 0;
  int exit_code = CX_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { "class", 'c', 0, G_OPTION_ARG_STRING, &class_name, N_ ("The class, like 一年级"),
      N_ ("CLASS") },
    { "assignment", 'a', 0, G_OPTION_ARG_STRING, &assignment, N_ ("What the work is for"),
      N_ ("NAME") },
    { "assignment-id", 0, 0, G_OPTION_ARG_INT64, &assignment_id,
      N_ ("The assignment of a lesson plan it answers, instead of --assignment"), N_ ("ID") },
    { "pupil", 'p', 0, G_OPTION_ARG_STRING, &pupil, N_ ("Whose work it is (optional)"),
      N_ ("NAME") },
    { NULL },
  };

  g_option_context_set_summary (
      context, _ ("Hand in work: each file is copied into the store at once, so nothing is "
                  "lost when the USB stick is gone, and sent to the hub at the next sync."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2)
    return cx_cli_usage (context, _ ("Give the files to hand in"));
  if (class_name == NULL || (assignment == NULL && assignment_id <= 0))
    return cx_cli_usage (context, _ ("Give the class with --class and the assignment with "
                                     "--assignment"));

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) error = NULL;
      CxHandIn details = { .assignment = assignment,
                           .assignment_id = assignment_id,
                           .class_name = class_name,
                           .pupil = pupil };

      if (cx_hand_in_files_add (store, argv[i], &details, NULL, &error) == 0)
        {
          g_printerr ("cunxiao-cli: %s\n", error->message);
          exit_code = CX_CLI_EXIT_FAILED;
          continue;
        }
      g_print (_ ("Handed in %s; it goes to the hub at the next sync\n"), argv[i]);
    }
  return exit_code;
}

static int
hand_in_list (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  g_option_context_set_summary (context, _ ("List hand-ins, and whether each reached the hub."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  list = cx_store_list_hand_ins (store, FALSE, &error);
  if (list == NULL)
    return cx_cli_fail (error);
  if (list->len == 0)
    g_print (_ ("Nothing has been handed in.\n"));
  for (guint i = 0; i < list->len; i++)
    {
      const CxHandIn *h = g_ptr_array_index (list, i);
      g_autofree char *size = g_format_size ((guint64) h->size);

      g_print ("%s\t%s\t%s\t%s\t%s\t%s\n", h->class_name, h->assignment,
               h->pupil != NULL ? h->pupil : "", h->file_name, size,
               h->uploaded ? _ ("at the hub") : _ ("waiting to be sent"));
    }
  return CX_CLI_EXIT_OK;
}

int
cx_cli_command_hand_in (CxCli *cli, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return hand_in_add (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return hand_in_list (cli, argc - 1, argv + 1);
  g_printerr (_ ("cunxiao-cli: use “hand-in add FILE… --class C --assignment A” or "
                 "“hand-in list”\n"));
  return CX_CLI_EXIT_USAGE;
}
