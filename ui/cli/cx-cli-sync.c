/* cx-cli-sync.c: `cunxiao-cli enroll` and `cunxiao-cli sync [--once|status]` */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "cx-cli.h"
#include "cx-store-journal.h"
#include "cx-sync-service.h"

#define DEFAULT_INTERVAL_MINUTES 15
#define FIRST_RETRY_SECONDS      30
#define LAST_RETRY_SECONDS       (30 * 60)
#define LABEL_WIDTH              22

int
cx_cli_command_enroll (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("URL CODE"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxSyncService) service = NULL;
  g_autoptr (CxSyncEnrolment) enrolment = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  int exit_code;
  const GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      N_ ("How the hub lists this computer (default: its host name)"), N_ ("NAME") },
    { NULL },
  };

  g_option_context_set_summary (
      context, _ ("Enrol this computer with a hub, using the one-time code the hub’s "
                  "administrator made with “cunxiao-hub enroll”. Its usage events, hand-ins "
                  "and lesson plans are then sent to that hub when it syncs."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 3)
    return cx_cli_usage (context, _ ("Give the hub’s address and the enrolment code"));

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  service = cx_sync_service_new (store);
  if (!cx_sync_service_enroll (service, argv[1], argv[2], name != NULL ? name : g_get_host_name (),
                               NULL, &error))
    return cx_cli_fail (error);

  enrolment = cx_sync_service_get_enrolment (service, &error);
  if (enrolment == NULL)
    return cx_cli_fail (error);
  g_print (_ ("Enrolled with %s as device %lld of %s\n"), enrolment->hub_url,
           (long long) enrolment->device_id, enrolment->school);
  return CX_CLI_EXIT_OK;
}

static void
on_run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static gboolean
on_interrupt (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_CONTINUE;
}

static void
print_report (const CxSyncReport *report)
{
  g_autofree char *sent = g_format_size (report->bytes_sent);
  g_autofree char *received = g_format_size (report->bytes_received);

  g_print (_ ("Sent %llu usage events and %u hand-ins in %u requests (%s); the hub holds every "
              "event up to %lld. %u packages updated (%s received).\n"),
           (unsigned long long) report->events_sent, report->hand_ins_sent, report->requests, sent,
           (long long) report->events_acknowledged, report->packages_updated, received);
  if (report->timetable_received > 0 || report->timetable_sent > 0)
    g_print (_ ("Timetable: %u entries received, %u sent.\n"), report->timetable_received,
             report->timetable_sent);
  if (report->timetable_conflicts > 0)
    g_print (_ ("Timetable: %u entries were changed both here and at the hub; both versions are "
                "kept until someone chooses (“cunxiao-cli timetable list”).\n"),
             report->timetable_conflicts);
}

/* One run in a worker thread, so that Ctrl-C or SIGTERM stops it cleanly. */
static gboolean
run_once (CxSyncService *service, GCancellable *cancellable, GError **error)
{
  g_autoptr (GAsyncResult) done = NULL;
  CxSyncReport report = { 0 };

  cx_sync_service_run_async (service, cancellable, on_run_done, &done);
  while (done == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!cx_sync_service_run_finish (service, done, &report, error))
    return FALSE;
  print_report (&report);
  return TRUE;
}

/* Sleeps up to @seconds; FALSE if cancelled meanwhile. */
static gboolean
wait_for (guint seconds, GCancellable *cancellable)
{
  gint64 until = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (!g_cancellable_is_cancelled (cancellable) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  return !g_cancellable_is_cancelled (cancellable);
}

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static int
sync_status (CxStore *store)
{
  g_autoptr (CxSyncService) service = cx_sync_service_new (store);
  g_autoptr (CxSyncEnrolment) enrolment = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *last_error = NULL;
  gint64 last_run, recorded, acknowledged;

  enrolment = cx_sync_service_get_enrolment (service, &error);
  if (error != NULL)
    return cx_cli_fail (error);
  recorded = cx_store_journal_get_last_seq (store, &error);
  acknowledged = recorded >= 0 ? cx_store_journal_get_acknowledged (store, &error) : -1;
  if (acknowledged < 0)
    return cx_cli_fail (error);
  last_run = cx_sync_service_get_last_run (service, &last_error);

  cx_cli_print_padded (_ ("Hub"), LABEL_WIDTH);
  if (enrolment != NULL)
    g_print (_ ("%s (device %lld of %s)\n"), enrolment->hub_url, (long long) enrolment->device_id,
             enrolment->school);
  else
    g_print (_ ("not enrolled; use “cunxiao-cli enroll URL CODE”\n"));
  cx_cli_print_padded (_ ("Usage events"), LABEL_WIDTH);
  g_print (_ ("%lld recorded, %lld held by the hub, %lld to send\n"), (long long) recorded,
           (long long) acknowledged, (long long) (recorded - acknowledged));
  cx_cli_print_padded (_ ("Last sync"), LABEL_WIDTH);
  if (last_run == 0)
    g_print (_ ("never\n"));
  else
    {
      g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (last_run);
      g_autofree char *text = g_date_time_format (when, "%Y-%m-%d %H:%M");

      if (last_error != NULL && *last_error != '\0')
        g_print (_ ("%s, failed: %s\n"), text, last_error);
      else
        g_print (_ ("%s, succeeded\n"), text);
    }
  return CX_CLI_EXIT_OK;
}

static int
sync_settings (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, NULL);
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxSyncService) service = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *window_text = NULL;
  g_autofree char *metered = NULL;
  g_autofree char *shown = NULL;
  CxSyncWindow window;
  int exit_code;
  const GOptionEntry entries[] = {
    { "window", 'w', 0, G_OPTION_ARG_STRING, &window_text,
      N_ ("The hours automatic syncs may use the link, like 18:00-07:00, or all-day"),
      N_ ("FROM-TO") },
    { "metered", 'm', 0, G_OPTION_ARG_STRING, &metered,
      N_ ("On a metered connection: “avoid” (wait for another) or “allow”"), N_ ("POLICY") },
    { NULL },
  };

  g_option_context_set_summary (context, _ ("Show or change when automatic syncs may run."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return cx_cli_usage (context, _ ("“sync settings” takes no arguments"));
  if (metered != NULL && !g_str_equal (metered, "avoid") && !g_str_equal (metered, "allow"))
    return cx_cli_usage (context, _ ("--metered takes “avoid” or “allow”"));
  if (window_text != NULL && !cx_sync_window_parse (window_text, &window, &error))
    return cx_cli_usage (context, error->message);

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  service = cx_sync_service_new (store);
  if ((window_text != NULL && !cx_sync_service_set_window (service, &window, &error)) ||
      (metered != NULL &&
       !cx_sync_service_set_avoid_metered (service, g_str_equal (metered, "avoid"), &error)))
    return cx_cli_fail (error);

  cx_sync_service_get_window (service, &window);
  shown = cx_sync_window_to_string (&window);
  cx_cli_print_padded (_ ("Sync window"), LABEL_WIDTH);
  g_print ("%s\n", shown);
  cx_cli_print_padded (_ ("Metered connections"), LABEL_WIDTH);
  g_print ("%s\n", cx_sync_service_get_avoid_metered (service) ? _ ("avoided") : _ ("allowed"));
  return CX_CLI_EXIT_OK;
}

/* Waits while the window is shut or the link metered; FALSE if stopped,
 * or, with @once, as soon as it would have to wait. */
static gboolean
wait_for_conditions (CxSyncService *service, gboolean once, GCancellable *cancellable)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  g_autofree char *told = NULL;

  for (;;)
    {
      guint pause = 0;
      g_autofree char *reason = cx_sync_service_check_conditions (service, monitor, &pause);

      if (reason == NULL)
        return TRUE;
      if (once)
        {
          g_print (_ ("%s: nothing was sent. Use --now to sync anyway.\n"), reason);
          return FALSE;
        }
      if (g_strcmp0 (reason, told) != 0)
        {
          g_print (_ ("%s: waiting.\n"), reason);
          g_free (told);
          told = g_steal_pointer (&reason);
        }
      if (!wait_for (MIN (pause, 60), cancellable))
        return FALSE;
    }
}

int
cx_cli_command_sync (CxCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = cx_cli_context_new (cli, _ ("[status]"));
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxSyncService) service = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *rate_limit = NULL;
  gboolean once = FALSE;
  gboolean now = FALSE;
  int interval = DEFAULT_INTERVAL_MINUTES;
  int batch = CX_SYNC_EVENTS_PER_BATCH;
  guint64 rate = 0;
  guint retry = FIRST_RETRY_SECONDS;
  guint sigint, sigterm, tick;
  int exit_code;
  const GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, N_ ("Sync once and stop"), NULL },
    { "now", 0, 0, G_OPTION_ARG_NONE, &now,
      N_ ("Sync even outside the sync window or on a metered connection"), NULL },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval,
      N_ ("Minutes between syncs when running on (default 15)"), N_ ("MINUTES") },
    { "batch-events", 0, 0, G_OPTION_ARG_INT, &batch,
      N_ ("Usage events per request (default 20000); fewer lose less when the link drops"),
      N_ ("N") },
    { "rate-limit", 0, 0, G_OPTION_ARG_STRING, &rate_limit,
      N_ ("Use at most this much of the link, like 256kbit or 30kB (per second)"), N_ ("RATE") },
    { NULL },
  };

  g_option_context_set_summary (
      context, _ ("Send usage events to the enrolled hub and bring installed packages up to "
                  "date. Runs on, syncing every few minutes and waiting longer while the hub "
                  "cannot be reached, until stopped; with --once, syncs once. Every step is "
                  "kept, so a sync that is stopped or cut off goes on where it was.\n"
                  "\n"
                  "“sync status” shows the hub, what is left to send and the last sync; "
                  "“sync settings” the hours syncs may use the link and what to do on a metered "
                  "connection."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* "settings" has options of its own. */
  if (argc >= 2 && g_str_equal (argv[1], "settings"))
    return sync_settings (cli, argc - 1, argv + 1);
  if (!cx_cli_parse (cli, context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 2 || (argc == 2 && !g_str_equal (argv[1], "status")))
    return cx_cli_usage (context, _ ("“sync” takes no arguments but “status” or “settings”"));
  if (interval < 1 || interval > 24 * 60)
    return cx_cli_usage (context, _ ("--interval must be between 1 and 1440 minutes"));
  if (batch < 1 || batch > CX_SYNC_EVENTS_PER_BATCH)
    return cx_cli_usage (context, _ ("--batch-events must be between 1 and 20000"));
  if (rate_limit != NULL && !cx_cli_parse_rate (rate_limit, &rate))
    return cx_cli_usage (context, _ ("--rate-limit takes a rate like 30kB, 2MB, 256kbit or "
                                     "1Mbit (per second)"));

  store = cx_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  if (argc == 2)
    return sync_status (store);

  service = cx_sync_service_new (store);
  cx_sync_service_set_rate_limit (service, rate);
  cx_sync_service_set_batch_size (service, (guint) batch);
  sigint = g_unix_signal_add (SIGINT, on_interrupt, cancellable);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, cancellable);
  /* Wakes the waits below to look at the clock. */
  tick = g_timeout_add_seconds (1, on_tick, NULL);
  exit_code = CX_CLI_EXIT_OK;

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      guint pause;

      if (!now && !wait_for_conditions (service, once, cancellable))
        break;
      if (run_once (service, cancellable, &error))
        {
          exit_code = CX_CLI_EXIT_OK;
          retry = FIRST_RETRY_SECONDS;
          pause = (guint) interval * 60;
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_printerr (_ ("cunxiao-cli: sync stopped; what was sent is kept.\n"));
          exit_code = CX_CLI_EXIT_FAILED;
          break;
        }
      else
        {
          g_printerr ("cunxiao-cli: %s\n", error->message);
          exit_code = CX_CLI_EXIT_FAILED;
          /* The hub is away or refusing: wait longer each time, with jitter
           * so that schools do not all come back at once. */
          pause = retry / 2 + g_random_int_range (0, (gint32) (retry / 2 + 1));
          retry = MIN (retry * 2, LAST_RETRY_SECONDS);
        }
      if (once || !wait_for (pause, cancellable))
        break;
    }

  g_source_remove (tick);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  return exit_code;
}
