/* cx-hub.c: locale set-up and command dispatch for cunxiao-hub */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-hub.h"
#include "cx-i18n.h"

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
} commands[] = {
  { "serve", cx_hub_command_serve },     { "keygen", cx_hub_command_keygen },
  { "publish", cx_hub_command_publish }, { "resign", cx_hub_command_resign },
  { "enroll", cx_hub_command_enroll },   { "devices", cx_hub_command_devices },
  { "revoke", cx_hub_command_revoke },   { "timetable", cx_hub_command_timetable },
  { "report", cx_hub_command_report },
};

int
cx_hub_usage (const char *message)
{
  g_printerr ("%s: %s\n", g_get_prgname (), message);
  g_printerr (_ ("Try “%s --help” for more information.\n"), g_get_prgname ());
  return CX_HUB_EXIT_USAGE;
}

static void
print_help (void)
{
  g_print (_ ("Usage: cunxiao-hub COMMAND [OPTION…]\n"
              "\n"
              "The server end of Cunxiao’s sync protocol.\n"
              "\n"
              "Commands:\n"
              "  serve --repo DIR [--data DIR]\n"
              "                         Serve a package repository, and with --data the\n"
              "                         API that enrolled computers sync with\n"
              "  keygen --output FILE   Make a key for signing a repository\n"
              "  publish SRC_DIR --repo DIR --key FILE\n"
              "                         Publish a new version of a package\n"
              "  resign --repo DIR --key FILE\n"
              "                         Sign the index again with a fresh expiry\n"
              "  enroll --data DIR --school NAME\n"
              "                         Make a one-time code to enrol one computer\n"
              "  devices --data DIR     List the enrolled computers\n"
              "  revoke --data DIR DEVICE\n"
              "                         Refuse a computer from now on\n"
              "  timetable --data DIR --import FILE\n"
              "                         Publish the district’s shared timetable\n"
              "  report --data DIR --month YYYY-MM [-o FILE]\n"
              "                         The county’s monthly table of the schools\n"
              "\n"
              "Each command takes --help.\n"));
}

int
cx_hub_main (int argc, char **argv)
{
  cx_i18n_init ();
  g_set_prgname ("cunxiao-hub");

  if (argc < 2)
    return cx_hub_usage (_ ("No command given"));

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_help ();
      return CX_HUB_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("cunxiao-hub %s\n", PACKAGE_VERSION);
      return CX_HUB_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        g_autofree char *prgname = g_strdup_printf ("cunxiao-hub %s", commands[i].name);

        g_set_prgname (prgname);
        return commands[i].run (argc - 1, argv + 1);
      }

  {
    g_autofree char *message = g_strdup_printf (_ ("Unknown command “%s”"), argv[1]);

    return cx_hub_usage (message);
  }
}
