/* cx-sync-service.c: enrolment and pushing usage events to the hub */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include <glib/gi18n-lib.h>

#include "cx-api-client.h"
#include "cx-report.h"
#include "cx-store-catalog.h"
#include "cx-store-journal.h"
#include "cx-store-packages.h"
#include "cx-store-sync-state.h"
#include "cx-sync-events.h"
#include "cx-sync-hand-ins.h"
#include "cx-sync-packages.h"
#include "cx-sync-timetable.h"
#include "cx-sync-service.h"
#include "cx-sync-error.h"

/* sync_state keys. The token is a secret: it lives only in the store. */
#define KEY_HUB_URL    "enrolment-hub-url"
#define KEY_DEVICE_ID  "enrolment-device-id"
#define KEY_TOKEN      "enrolment-token"
#define KEY_SCHOOL     "enrolment-school"
#define KEY_REQUEST    "enrolment-request"
#define KEY_LAST_RUN   "sync-last-run"
#define KEY_LAST_ERROR "sync-last-error"
#define KEY_WINDOW     "sync-window"
#define KEY_METERED    "sync-on-metered"

struct _CxSyncService
{
  GObject parent_instance;

  CxStore *store;
  guint64 rate_limit;
  guint batch_size;

  CxSyncProgressFunc progress_func;
  gpointer progress_data;
  GDestroyNotify progress_destroy;
  /* What was last passed on, to throttle; touched only by the running thread. */
  gint64 progress_sent_at;
  CxSyncPhase progress_phase;
  CxInstallPhase progress_step;
  guint progress_index;
  gboolean progress_had_package;
  gboolean progress_finished;
  gboolean progress_sent;
};

G_DEFINE_FINAL_TYPE (CxSyncService, cx_sync_service, G_TYPE_OBJECT)

void
cx_sync_enrolment_free (CxSyncEnrolment *enrolment)
{
  if (enrolment == NULL)
    return;
  g_free (enrolment->hub_url);
  g_free (enrolment->school);
  g_free (enrolment);
}

static void
cx_sync_service_finalize (GObject *object)
{
  CxSyncService *self = CX_SYNC_SERVICE (object);

  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (cx_sync_service_parent_class)->finalize (object);
}

static void
cx_sync_service_class_init (CxSyncServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_sync_service_finalize;
}

static void
cx_sync_service_init (CxSyncService *self)
{
  self->batch_size = CX_SYNC_EVENTS_PER_BATCH;
}

CxSyncService *
cx_sync_service_new (CxStore *store)
{
  CxSyncService *self = g_object_new (CX_TYPE_SYNC_SERVICE, NULL);

  self->store = g_object_ref (store);
  return self;
}

void
cx_sync_service_set_rate_limit (CxSyncService *self, guint64 bytes_per_second)
{
  g_return_if_fail (CX_IS_SYNC_SERVICE (self));
  self->rate_limit = bytes_per_second;
}

/**
 * cx_sync_service_set_progress_func:
 * @func: (nullable): called as a run moves on, in the run's thread
 *
 * Replaces the previous func; @destroy frees @user_data when it is replaced
 * or the service finalized. Set it before a run starts, not during one.
 */
void
cx_sync_service_set_progress_func (CxSyncService *self,
                                   CxSyncProgressFunc func,
                                   gpointer user_data,
                                   GDestroyNotify destroy)
{
  g_return_if_fail (CX_IS_SYNC_SERVICE (self));

  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  self->progress_func = func;
  self->progress_data = user_data;
  self->progress_destroy = destroy;
  self->progress_sent = FALSE;
}

/* Passes @progress on when something a person would notice changed, or
 * often enough for a rate and a bar to move; a chunk loop on a fast link
 * would otherwise flood the UI's main loop. */
static void
forward_progress (const CxSyncProgress *progress, gpointer user_data)
{
  CxSyncService *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gboolean has_package = progress->package_key != NULL;
  gboolean finished = progress->bytes_total > 0 && progress->bytes_done >= progress->bytes_total;
  gboolean changed;

  if (self->progress_func == NULL)
    return;
  changed = !self->progress_sent || progress->phase != self->progress_phase ||
            progress->install_step != self->progress_step ||
            progress->package_index != self->progress_index ||
            has_package != self->progress_had_package || finished != self->progress_finished;
  if (!changed && now - self->progress_sent_at < CX_SYNC_PROGRESS_INTERVAL_MS * 1000)
    return;

  self->progress_sent = TRUE;
  self->progress_sent_at = now;
  self->progress_phase = progress->phase;
  self->progress_step = progress->install_step;
  self->progress_index = progress->package_index;
  self->progress_had_package = has_package;
  self->progress_finished = finished;
  self->progress_func (progress, self->progress_data);
}

static void
report_phase (CxSyncService *self, CxSyncPhase phase)
{
  CxSyncProgress progress = { .phase = phase, .seconds_left = -1 };

  forward_progress (&progress, self);
}

/* The id of this enrolment attempt, kept before the hub is asked, so
 * that asking again after a lost answer gets the same device. One id per
 * hub and code. */
static char *
enrolment_request (CxSyncService *self, const char *hub_url, const char *code, GError **error)
{
  g_autofree char *scope = g_strdup_printf ("%s %s", hub_url, code);
  g_autofree char *kept = cx_store_get_sync_value (self->store, KEY_REQUEST, NULL);
  g_autofree char *fresh = NULL;
  guint8 bytes[16];
  char hex[sizeof bytes * 2 + 1];

  if (kept != NULL && g_str_has_suffix (kept, scope) && strlen (kept) > sizeof hex)
    return g_strndup (kept, sizeof hex - 1);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED,
                           _ ("The cryptography library could not be started"));
      return NULL;
    }
  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
  fresh = g_strdup_printf ("%s %s", hex, scope);
  if (!cx_store_set_sync_value (self->store, KEY_REQUEST, fresh, error))
    return NULL;
  return g_strdup (hex);
}

/* Smaller batches lose less when a link drops in the middle of one, and
 * cost a round trip more each. */
void
cx_sync_service_set_batch_size (CxSyncService *self, guint events)
{
  g_return_if_fail (CX_IS_SYNC_SERVICE (self));
  self->batch_size = CLAMP (events, 1, CX_SYNC_EVENTS_PER_BATCH);
}

/**
 * cx_sync_service_enroll:
 *
 * Enrols this computer with the hub at @hub_url using a one-time @code.
 * Replaces an earlier enrolment only once the hub has said yes.
 */
gboolean
cx_sync_service_enroll (CxSyncService *self,
                        const char *hub_url,
                        const char *code,
                        const char *device_name,
                        GCancellable *cancellable,
                        GError **error)
{
  g_autoptr (CxApiClient) client = NULL;
  g_auto (CxEnrolment) enrolment = { 0 };
  g_autofree char *device_id = NULL;
  g_autofree char *request = NULL;

  g_return_val_if_fail (CX_IS_SYNC_SERVICE (self), FALSE);

  request = enrolment_request (self, hub_url, code, error);
  if (request == NULL)
    return FALSE;
  client = cx_api_client_new (hub_url, NULL, error);
  if (client == NULL ||
      !cx_api_client_enroll (client, code, request, device_name, &enrolment, cancellable, error))
    return FALSE;

  device_id = g_strdup_printf ("%lld", (long long) enrolment.device_id);
  return cx_store_set_sync_value (self->store, KEY_HUB_URL, hub_url, error) &&
         cx_store_set_sync_value (self->store, KEY_DEVICE_ID, device_id, error) &&
         cx_store_set_sync_value (self->store, KEY_SCHOOL, enrolment.school, error) &&
         cx_store_set_sync_value (self->store, KEY_TOKEN, enrolment.token, error);
}

/**
 * cx_sync_service_get_enrolment:
 *
 * Returns: (transfer full) (nullable): the hub this computer is enrolled
 *   with; %NULL without @error when it is not enrolled
 */
CxSyncEnrolment *
cx_sync_service_get_enrolment (CxSyncService *self, GError **error)
{
  g_autoptr (CxSyncEnrolment) enrolment = g_new0 (CxSyncEnrolment, 1);
  g_autofree char *device_id = NULL;
  GError *local_error = NULL;

  enrolment->hub_url = cx_store_get_sync_value (self->store, KEY_HUB_URL, &local_error);
  if (enrolment->hub_url == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      return NULL;
    }
  device_id = cx_store_get_sync_value (self->store, KEY_DEVICE_ID, error);
  enrolment->school = cx_store_get_sync_value (self->store, KEY_SCHOOL, error);
  if (device_id == NULL || enrolment->school == NULL)
    return NULL;
  enrolment->device_id = g_ascii_strtoll (device_id, NULL, 10);
  return g_steal_pointer (&enrolment);
}

static CxApiClient *
open_client (CxSyncService *self, GError **error)
{
  g_autofree char *url = cx_store_get_sync_value (self->store, KEY_HUB_URL, NULL);
  g_autofree char *token = cx_store_get_sync_value (self->store, KEY_TOKEN, NULL);
  CxApiClient *client;

  if (url == NULL || token == NULL)
    {
      g_set_error_literal (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNAUTHORIZED,
                           _ ("This computer is not enrolled with a hub yet; enrol it with the "
                              "code the hub’s administrator gave"));
      return NULL;
    }
  client = cx_api_client_new (url, token, error);
  if (client != NULL)
    cx_api_client_set_rate_limit (client, self->rate_limit);
  return client;
}

/**
 * cx_sync_service_push_events:
 *
 * Sends every journal entry the hub does not hold yet, then every hand-in
 * still queued, then brings the timetable up to date both ways. The hub keeps each
 * once, whatever is sent twice; its acknowledged mark is recorded after
 * every batch, so a run that stops loses nothing and repeats little.
 */
gboolean
cx_sync_service_push_events (CxSyncService *self,
                             CxSyncReport *report,
                             GCancellable *cancellable,
                             GError **error)
{
  g_autoptr (CxApiClient) client = open_client (self, error);

  if (client == NULL)
    return FALSE;
  report_phase (self, CX_SYNC_PHASE_EVENTS);
  if (!_cx_sync_push_events (self->store, client, self->batch_size, report, cancellable, error))
    return FALSE;
  report_phase (self, CX_SYNC_PHASE_HAND_INS);
  if (!_cx_sync_push_hand_ins (self->store, client, report, cancellable, error))
    return FALSE;
  report_phase (self, CX_SYNC_PHASE_TIMETABLE);
  return _cx_sync_timetable (self->store, client, report, cancellable, error);
}

/**
 * cx_sync_service_pull:
 *
 * Refreshes every hub's index, then fetches what the timetable of the next
 * days names and updates each installed package that has an update. One
 * package failing does not stop the others; the first error is reported.
 */
gboolean
cx_sync_service_pull (CxSyncService *self,
                      CxSyncReport *report,
                      GCancellable *cancellable,
                      GError **error)
{
  g_return_val_if_fail (CX_IS_SYNC_SERVICE (self), FALSE);
  return _cx_sync_pull_packages (self->store, self->rate_limit, forward_progress, self, report,
                                 cancellable, error);
}

/* A sync in the usage journal (docs/report.md): how it ended and what it
 * moved. It goes to the hub with the next sync's events. */
static void
journal_run (CxSyncService *self, const CxSyncReport *report, const GError *error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *payload = NULL;
  g_autoptr (GError) journal_error = NULL;
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, error == NULL ? "ok"
                                          : cancelled   ? "cancelled"
                                                        : "failed");
  json_builder_set_member_name (builder, "events_sent");
  json_builder_add_int_value (builder, (gint64) report->events_sent);
  json_builder_set_member_name (builder, "hand_ins_sent");
  json_builder_add_int_value (builder, report->hand_ins_sent);
  json_builder_set_member_name (builder, "packages_updated");
  json_builder_add_int_value (builder, report->packages_updated);
  json_builder_set_member_name (builder, "bytes_received");
  json_builder_add_int_value (builder, (gint64) report->bytes_received);
  if (error != NULL && !cancelled)
    {
      /* Short: the hub takes events of at most 8 KiB. */
      g_autofree char *reason =
          g_utf8_substring (error->message, 0, MIN (g_utf8_strlen (error->message, -1), 200));

      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, reason);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  payload = json_to_string (root, FALSE);
  if (cx_store_journal_append (self->store, CX_EVENT_SYNC_FINISHED, payload, &journal_error) == 0)
    g_debug ("sync: not in the journal: %s", journal_error->message);
}

static void
record_run (CxSyncService *self, const GError *error)
{
  g_autofree char *now =
      g_strdup_printf ("%lld", (long long) (g_get_real_time () / G_USEC_PER_SEC));

  /* Only a note for people: failing to keep it must not fail the sync. */
  cx_store_set_sync_value (self->store, KEY_LAST_RUN, now, NULL);
  cx_store_set_sync_value (self->store, KEY_LAST_ERROR, error != NULL ? error->message : "", NULL);
}

/**
 * cx_sync_service_run:
 *
 * Pushes (when enrolled), then pulls. A failed push does not keep the pull
 * from running; the first error is reported.
 */
gboolean
cx_sync_service_run (CxSyncService *self,
                     CxSyncReport *report,
                     GCancellable *cancellable,
                     GError **error)
{
  g_autoptr (GError) push_error = NULL;
  g_autoptr (GError) pull_error = NULL;
  g_autofree char *url = cx_store_get_sync_value (self->store, KEY_HUB_URL, NULL);

  g_return_val_if_fail (CX_IS_SYNC_SERVICE (self), FALSE);

  memset (report, 0, sizeof *report);
  self->progress_sent = FALSE;
  if (url != NULL && !cx_sync_service_push_events (self, report, cancellable, &push_error) &&
      g_error_matches (push_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      journal_run (self, report, push_error);
      g_propagate_error (error, g_steal_pointer (&push_error));
      return FALSE;
    }
  cx_sync_service_pull (self, report, cancellable, &pull_error);

  if (push_error != NULL || pull_error != NULL)
    {
      GError *first = push_error != NULL ? push_error : pull_error;

      if (!g_error_matches (first, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        record_run (self, first);
      journal_run (self, report, first);
      g_propagate_error (error, g_error_copy (first));
      return FALSE;
    }
  record_run (self, NULL);
  journal_run (self, report, NULL);
  return TRUE;
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CxSyncReport *report = g_new0 (CxSyncReport, 1);
  GError *error = NULL;

  if (cx_sync_service_run (source, report, cancellable, &error))
    g_task_return_pointer (task, report, g_free);
  else
    {
      g_free (report);
      g_task_return_error (task, error);
    }
}

/* Runs cx_sync_service_run() in a worker thread; the store must not be
 * used from elsewhere until it finishes. */
void
cx_sync_service_run_async (CxSyncService *self,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, cx_sync_service_run_async);
  g_task_run_in_thread (task, run_thread);
}

gboolean
cx_sync_service_run_finish (CxSyncService *self,
                            GAsyncResult *result,
                            CxSyncReport *out_report,
                            GError **error)
{
  g_autofree CxSyncReport *report = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  report = g_task_propagate_pointer (G_TASK (result), error);
  if (report == NULL)
    return FALSE;
  if (out_report != NULL)
    *out_report = *report;
  return TRUE;
}

/**
 * cx_sync_service_get_last_run:
 * @out_error: (out) (optional): the last run's error, or "" if it went well
 *
 * Returns: when the last run ended (Unix time), 0 if never
 */
gint64
cx_sync_service_get_last_run (CxSyncService *self, char **out_error)
{
  g_autofree char *when = cx_store_get_sync_value (self->store, KEY_LAST_RUN, NULL);

  if (out_error != NULL)
    *out_error = cx_store_get_sync_value (self->store, KEY_LAST_ERROR, NULL);
  return when != NULL ? g_ascii_strtoll (when, NULL, 10) : 0;
}

/* All day when none was set, or what was stored cannot be read. */
gboolean
cx_sync_service_get_window (CxSyncService *self, CxSyncWindow *out_window)
{
  g_autofree char *text = cx_store_get_sync_value (self->store, KEY_WINDOW, NULL);

  *out_window = CX_SYNC_WINDOW_ALL_DAY;
  return text == NULL || cx_sync_window_parse (text, out_window, NULL);
}

gboolean
cx_sync_service_set_window (CxSyncService *self, const CxSyncWindow *window, GError **error)
{
  g_autofree char *text = cx_sync_window_to_string (window);

  return cx_store_set_sync_value (self->store, KEY_WINDOW, text, error);
}

/* A metered link (a mobile data dongle) costs the school money per byte:
 * automatic syncs wait for another unless told otherwise. */
gboolean
cx_sync_service_get_avoid_metered (CxSyncService *self)
{
  g_autofree char *text = cx_store_get_sync_value (self->store, KEY_METERED, NULL);

  return g_strcmp0 (text, "allow") != 0;
}

gboolean
cx_sync_service_set_avoid_metered (CxSyncService *self, gboolean avoid, GError **error)
{
  return cx_store_set_sync_value (self->store, KEY_METERED, avoid ? "avoid" : "allow", error);
}

/**
 * cx_sync_service_check_conditions:
 * @monitor: (nullable): to learn whether the link is metered
 * @out_wait_seconds: how long to wait before asking again
 *
 * Returns: (transfer full) (nullable): why an automatic sync should not run
 *   now, for people; %NULL when it may
 */
char *
cx_sync_service_check_conditions (CxSyncService *self,
                                  GNetworkMonitor *monitor,
                                  guint *out_wait_seconds)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  guint minute = (guint) (g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now));
  CxSyncWindow window;
  guint until;

  *out_wait_seconds = 0;
  cx_sync_service_get_window (self, &window);
  until = cx_sync_window_minutes_until_open (&window, minute);
  if (until > 0)
    {
      g_autofree char *text = cx_sync_window_to_string (&window);

      *out_wait_seconds = until * 60 - (guint) g_date_time_get_second (now);
      return g_strdup_printf (_ ("Outside the sync window (%s)"), text);
    }
  if (monitor != NULL && cx_sync_service_get_avoid_metered (self) &&
      g_network_monitor_get_network_metered (monitor))
    {
      *out_wait_seconds = 5 * 60;
      return g_strdup (_ ("The connection is metered"));
    }
  return NULL;
}

/* For the parts of a sync in their own files. */
CxStore *
_cx_sync_service_get_store (CxSyncService *self)
{
  return self->store;
}
