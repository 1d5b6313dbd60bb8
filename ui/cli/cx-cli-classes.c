/* cx-cli-classes.c: `cunxiao-cli class list|grade|pupil` */
#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>

#include "cx-cli.h"
#include "cx-store-classes.h"

static int
class_list (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GPtrArray) classes = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  g_option_context_set_summary (
      context, _ ("List the classes this computer knows: their grade (set, or guessed from the "
                  "name) and how many pupils are on their roster."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return cx_cli_usage (context, _ ("“class list” takes no names"));
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  classes = cx_store_list_classes (store, &error);
  if (classes == NULL)
    return cx_cli_fail (error);
  if (classes->len == 0)
    g_print (_ ("No classes yet.\n"));
  for (guint i = 0; i < classes->len; i++)
    {
      const CxClass *klass = g_ptr_array_index (classes, i);
      g_autofree char *grade = NULL;

      if (klass->grade == 0)
        grade = g_strdup (_ ("grade unknown"));
      else if (klass->grade_set)
        grade = g_strdup_printf (_ ("grade %d"), klass->grade);
      else
        grade = g_strdup_printf (_ ("grade %d (from the name)"), klass->grade);
      g_print ("%s\t%s\t", klass->name, grade);
      g_print (ngettext ("%u pupil\n", "%u pupils\n", klass->n_pupils), klass->n_pupils);
    }
  return CX_CLI_EXIT_OK;
}

static int
class_grade (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("CLASS GRADE"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  char *end = NULL;
  long grade;
  int exit_code;

  g_option_context_set_summary (
      context, _ ("Set the grade of a class (1 to 12), which picks its courses in student mode; "
                  "0 guesses it from the name again."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 3)
    return cx_cli_usage (context,
                         _ ("Give the class and its grade, like “class grade 三年二班 3”"));
  grade = strtol (argv[2], &end, 10);
  if (*argv[2] == '\0' || *end != '\0' || grade < 0 || grade > CX_GRADE_MAX)
    return cx_cli_usage (context, _ ("A grade is a number from 1 to 12, or 0 to guess it"));
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  if (!cx_store_set_class_grade (store, argv[1], (int) grade, &error))
    return cx_cli_fail (error);
  if (grade == 0)
    g_print (_ ("The grade of %s is guessed from its name again\n"), argv[1]);
  else
    g_print (_ ("%s is now in grade %ld\n"), argv[1], grade);
  return CX_CLI_EXIT_OK;
}

static int
pupil_change (CxCli *cli, int argc, char **argv, gboolean add)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("CLASS NAME…"));
  g_autoptr (CxStore) store = NULL;
  int exit_code = CX_CLI_EXIT_OK;

  g_option_context_set_summary (context, add ? _ ("Put pupils on the roster of a class.")
                                             : _ ("Take pupils off the roster of a class."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 3)
    return cx_cli_usage (context, _ ("Give the class and at least one pupil’s name"));
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  for (int i = 2; i < argc; i++)
    {
      g_autoptr (GError) error = NULL;

      if (add ? !cx_store_add_pupil (store, argv[1], argv[i], &error)
              : !cx_store_remove_pupil (store, argv[1], argv[i], &error))
        {
          exit_code = cx_cli_fail (error);
          continue;
        }
      if (add)
        g_print (_ ("%s is on the roster of %s\n"), argv[i], argv[1]);
      else
        g_print (_ ("%s is no longer on the roster of %s\n"), argv[i], argv[1]);
    }
  return exit_code;
}

static int
pupil_list (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("CLASS"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) pupils = NULL;
  int exit_code;

  g_option_context_set_summary (context, _ ("List the pupils on the roster of a class."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return cx_cli_usage (context, _ ("Give the class"));
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  pupils = cx_store_list_pupils (store, argv[1], &error);
  if (pupils == NULL)
    return cx_cli_fail (error);
  if (pupils[0] == NULL)
    g_print (_ ("Nobody is on the roster of %s.\n"), argv[1]);
  for (guint i = 0; pupils[i] != NULL; i++)
    g_print ("%s\n", pupils[i]);
  return CX_CLI_EXIT_OK;
}

static int
class_pupil (CxCli *cli, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return pupil_change (cli, argc - 1, argv + 1, TRUE);
  if (argc >= 2 && g_str_equal (argv[1], "remove"))
    return pupil_change (cli, argc - 1, argv + 1, FALSE);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return pupil_list (cli, argc - 1, argv + 1);
  g_printerr (_ ("cunxiao-cli: use “class pupil add CLASS NAME…”, “class pupil remove CLASS "
                 "NAME…” or “class pupil list CLASS”\n"));
  return CX_CLI_EXIT_USAGE;
}

int
cx_cli_command_class (CxCli *cli, int argc, char **argv)
{
  static const struct
  {
    const char *name;
    CxCliCommand run;
  } commands[] = {
    { "list", class_list },
    { "grade", class_grade },
    { "pupil", class_pupil },
  };

  for (guint i = 0; argc >= 2 && i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (cli, argc - 1, argv + 1);
  g_printerr (_ ("cunxiao-cli: use “class list”, “class grade CLASS GRADE” or “class pupil "
                 "add|remove|list”\n"));
  return CX_CLI_EXIT_USAGE;
}
