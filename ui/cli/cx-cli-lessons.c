/* cx-cli-lessons.c: `cunxiao-cli lesson add|list` and `assignment add|list|remove|hand-ins` */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-cli.h"
#include "cx-store-assignments.h"
#include "cx-store-hand-ins.h"
#include "cx-store-lessons.h"

/* A positive id, or 0. */
static gint64
parse_id (const char *text)
{
  char *end = NULL;
  gint64 id = g_ascii_strtoll (text, &end, 10);

  return (*text != '\0' && *end == '\0' && id > 0) ? id : 0;
}

static int
lesson_add (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("TITLE"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *class_name = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *date = NULL;
  int exit_code;
  gint64 id;
  const GOptionEntry entries[] = {
    { "class", 'c', 0, G_OPTION_ARG_STRING, &class_name, N_ ("The class, like 一年级"),
      N_ ("CLASS") },
    { "subject", 's', 0, G_OPTION_ARG_STRING, &subject, N_ ("The subject"), N_ ("SUBJECT") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_ ("The day of the lesson, like 2026-11-24"),
      N_ ("DATE") },
    { NULL },
  };

  g_option_context_set_summary (context, _ ("Start a lesson plan (备课) for a class."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return cx_cli_usage (context, _ ("Give the lesson’s title"));
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  {
    CxLessonPlan plan = {
      .title = argv[1], .class_name = class_name, .subject = subject, .lesson_date = date
    };

    id = cx_store_create_lesson_plan (store, &plan, &error);
  }
  if (id == 0)
    return cx_cli_fail (error);
  g_print (_ ("Lesson plan %lld: %s\n"), (long long) id, argv[1]);
  return CX_CLI_EXIT_OK;
}

static int
lesson_list (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GPtrArray) plans = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  g_option_context_set_summary (context, _ ("List the lesson plans, the newest lesson first."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  plans = cx_store_list_lesson_plans (store, &error);
  if (plans == NULL)
    return cx_cli_fail (error);
  if (plans->len == 0)
    g_print (_ ("No lesson plans yet.\n"));
  for (guint i = 0; i < plans->len; i++)
    {
      const CxLessonPlan *plan = g_ptr_array_index (plans, i);

      g_print ("%lld\t%s\t%s\t%s\t%s\n", (long long) plan->id, plan->lesson_date, plan->class_name,
               plan->subject, plan->title);
    }
  return CX_CLI_EXIT_OK;
}

int
cx_cli_command_lesson (CxCli *cli, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return lesson_add (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return lesson_list (cli, argc - 1, argv + 1);
  g_printerr (_ ("cunxiao-cli: use “lesson add TITLE --class CLASS” or “lesson list”\n"));
  return CX_CLI_EXIT_USAGE;
}

static int
assignment_add (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("PLAN TITLE"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *instructions = NULL;
  int exit_code;
  gint64 id;
  const GOptionEntry entries[] = {
    { "instructions", 'i', 0, G_OPTION_ARG_STRING, &instructions,
      N_ ("What to do, and how to hand it in"), N_ ("TEXT") },
    { NULL },
  };

  g_option_context_set_summary (context,
                                _ ("Set an assignment in a lesson plan; its class sees it in "
                                   "student mode and hands work in to it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 3 || parse_id (argv[1]) == 0)
    return cx_cli_usage (context, _ ("Give the lesson plan’s number and the assignment’s title"));
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  id = cx_store_add_assignment (store, parse_id (argv[1]), argv[2], instructions, &error);
  if (id == 0)
    return cx_cli_fail (error);
  g_print (_ ("Assignment %lld: %s\n"), (long long) id, argv[2]);
  return CX_CLI_EXIT_OK;
}

static int
assignment_list (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *class_name = NULL;
  gint64 plan_id = 0;
  int exit_code;
  const GOptionEntry entries[] = {
    { "plan", 0, 0, G_OPTION_ARG_INT64, &plan_id, N_ ("The assignments of this lesson plan"),
      N_ ("PLAN") },
    { "class", 'c', 0, G_OPTION_ARG_STRING, &class_name,
      N_ ("The assignments open for this class, the most recent lesson first"), N_ ("CLASS") },
    { NULL },
  };

  g_option_context_set_summary (context, _ ("List assignments, with how much was handed in."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if ((plan_id > 0) == (class_name != NULL) || argc > 1)
    return cx_cli_usage (context, _ ("Give either --plan or --class"));
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  list = class_name != NULL ? cx_store_list_class_assignments (store, class_name, &error)
                            : cx_store_list_assignments (store, plan_id, &error);
  if (list == NULL)
    return cx_cli_fail (error);
  if (list->len == 0)
    g_print (_ ("No assignments.\n"));
  for (guint i = 0; i < list->len; i++)
    {
      const CxAssignment *a = g_ptr_array_index (list, i);

      g_print ("%lld\t%s\t%s\t%s\t%s\t", (long long) a->id, a->lesson_date, a->class_name,
               a->plan_title, a->title);
      g_print (ngettext ("%u hand-in\n", "%u hand-ins\n", a->n_hand_ins), a->n_hand_ins);
    }
  return CX_CLI_EXIT_OK;
}

static int
assignment_remove (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("ID"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  g_option_context_set_summary (
      context, _ ("Remove an assignment; work handed in to it is kept, under its title."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2 || parse_id (argv[1]) == 0)
    return cx_cli_usage (context, _ ("Give the assignment’s number"));
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  if (!cx_store_remove_assignment (store, parse_id (argv[1]), &error))
    return cx_cli_fail (error);
  g_print (_ ("Assignment %s removed\n"), argv[1]);
  return CX_CLI_EXIT_OK;
}

static int
assignment_hand_ins (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("ID"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxAssignment) assignment = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  g_option_context_set_summary (
      context, _ ("List the work handed in to an assignment, and whether each reached the hub."));
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2 || parse_id (argv[1]) == 0)
    return cx_cli_usage (context, _ ("Give the assignment’s number"));
  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  assignment = cx_store_get_assignment (store, parse_id (argv[1]), &error);
  if (assignment == NULL)
    return cx_cli_fail (error);
  list = cx_store_list_assignment_hand_ins (store, assignment->id, &error);
  if (list == NULL)
    return cx_cli_fail (error);
  if (list->len == 0)
    g_print (_ ("Nothing has been handed in to “%s”.\n"), assignment->title);
  for (guint i = 0; i < list->len; i++)
    {
      const CxHandIn *h = g_ptr_array_index (list, i);
      g_autofree char *size = g_format_size ((guint64) h->size);

      g_print ("%s\t%s\t%s\t%s\n", h->pupil, h->file_name, size,
               h->uploaded ? _ ("at the hub") : _ ("waiting to be sent"));
    }
  return CX_CLI_EXIT_OK;
}

int
cx_cli_command_assignment (CxCli *cli, int argc, char **argv)
{
  static const struct
  {
    const char *name;
    CxCliCommand run;
  } commands[] = {
    { "add", assignment_add },
    { "list", assignment_list },
    { "remove", assignment_remove },
    { "hand-ins", assignment_hand_ins },
  };

  for (guint i = 0; argc >= 2 && i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (cli, argc - 1, argv + 1);
  g_printerr (_ ("cunxiao-cli: use “assignment add PLAN TITLE”, “assignment list --plan PLAN” "
                 "or “--class CLASS”, “assignment remove ID” or “assignment hand-ins ID”\n"));
  return CX_CLI_EXIT_USAGE;
}
