/* cx-hub-devices.c: `cunxiao-hub enroll`, `devices` and `revoke` */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-hub-db.h"
#include "cx-hub.h"

#define DEFAULT_CODE_DAYS 7

/* Parses the options every device command shares; opens the database. */
static CxHubDb *
open_db (const char *data_dir, int *out_exit)
{
  g_autoptr (GError) error = NULL;
  CxHubDb *db;

  if (data_dir == NULL)
    {
      *out_exit = cx_hub_usage (_ ("Give the hub’s data folder with --data DIR"));
      return NULL;
    }
  db = cx_hub_db_open (data_dir, &error);
  if (db == NULL)
    {
      g_printerr ("cunxiao-hub: %s\n", error->message);
      *out_exit = CX_HUB_EXIT_FAILED;
    }
  return db;
}

static gboolean
parse (GOptionContext *context,
       const char *summary,
       const GOptionEntry *entries,
       int *argc,
       char ***argv,
       int *out_exit)
{
  g_autoptr (GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *out_exit = cx_hub_usage (error->message);
      return FALSE;
    }
  return TRUE;
}

int
cx_hub_command_enroll (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxHubDb) db = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *school = NULL;
  g_autofree char *code = NULL;
  int days = DEFAULT_CODE_DAYS;
  int status = CX_HUB_EXIT_OK;
  const GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, N_ ("The hub’s data folder"), N_ ("DIR") },
    { "school", 's', 0, G_OPTION_ARG_STRING, &school, N_ ("The school the device belongs to"),
      N_ ("NAME") },
    { "days", 0, 0, G_OPTION_ARG_INT, &days, N_ ("How many days the code stays valid (7)"),
      N_ ("DAYS") },
    { NULL },
  };

  if (!parse (context,
              _ ("Make a one-time code that enrols one computer of a school. Give it to the "
                 "school; it is entered with “cunxiao-cli enroll URL CODE”."),
              entries, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return cx_hub_usage (_ ("“enroll” takes no arguments"));
  if (school == NULL || *school == '\0')
    return cx_hub_usage (_ ("Give the school with --school NAME"));
  if (days < 1 || days > 365)
    return cx_hub_usage (_ ("--days must be between 1 and 365"));
  db = open_db (data_dir, &status);
  if (db == NULL)
    return status;

  code = cx_hub_db_create_enrolment_code (
      db, school, g_get_real_time () / G_USEC_PER_SEC + (gint64) days * 24 * 3600, &error);
  if (code == NULL)
    {
      g_printerr ("cunxiao-hub: %s\n", error->message);
      return CX_HUB_EXIT_FAILED;
    }
  g_print (_ ("Enrolment code for %s: %s (valid for %d days, for one computer)\n"), school, code,
           days);
  return CX_HUB_EXIT_OK;
}

static char *
format_time (gint64 seconds)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (seconds);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

int
cx_hub_command_devices (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxHubDb) db = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  g_autofree char *data_dir = NULL;
  int status = CX_HUB_EXIT_OK;
  const GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, N_ ("The hub’s data folder"), N_ ("DIR") },
    { NULL },
  };

  if (!parse (context, _ ("List the enrolled computers."), entries, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return cx_hub_usage (_ ("“devices” takes no arguments"));
  db = open_db (data_dir, &status);
  if (db == NULL)
    return status;

  devices = cx_hub_db_list_devices (db, &error);
  if (devices == NULL)
    {
      g_printerr ("cunxiao-hub: %s\n", error->message);
      return CX_HUB_EXIT_FAILED;
    }
  if (devices->len == 0)
    g_print (_ ("No computer is enrolled yet.\n"));
  for (guint i = 0; i < devices->len; i++)
    {
      const CxHubDevice *d = g_ptr_array_index (devices, i);
      g_autofree char *enrolled = format_time (d->enrolled_at);

      g_print (_ ("%lld\t%s\t%s\tenrolled %s\tevents up to %lld%s\n"), (long long) d->id, d->school,
               d->name, enrolled, (long long) d->acknowledged,
               d->revoked_at > 0 ? _ ("\trevoked") : "");
    }
  return CX_HUB_EXIT_OK;
}

int
cx_hub_command_revoke (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (_ ("DEVICE"));
  g_autoptr (GError) error = NULL;
  g_autoptr (CxHubDb) db = NULL;
  g_autofree char *data_dir = NULL;
  int status = CX_HUB_EXIT_OK;
  guint64 device_id = 0;
  const GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, N_ ("The hub’s data folder"), N_ ("DIR") },
    { NULL },
  };

  if (!parse (context,
              _ ("Revoke a computer’s token: the hub refuses it from then on. Its events "
                 "already received are kept."),
              entries, &argc, &argv, &status))
    return status;
  if (argc != 2 || !g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXINT64, &device_id, NULL))
    return cx_hub_usage (_ ("Give the number of one device, as “devices” lists it"));
  db = open_db (data_dir, &status);
  if (db == NULL)
    return status;

  if (!cx_hub_db_revoke (db, (gint64) device_id, &error))
    {
      g_printerr ("cunxiao-hub: %s\n", error->message);
      return CX_HUB_EXIT_FAILED;
    }
  g_print (_ ("Device %llu is revoked.\n"), (unsigned long long) device_id);
  return CX_HUB_EXIT_OK;
}
