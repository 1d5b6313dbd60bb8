/* cx-sync-service.h: one sync run against the enrolled hub
 *
 * Push: usage events from the journal, exactly once, in batches the hub
 * acknowledges by high-water mark. Pull: the hubs' indexes and updates of
 * installed packages. Every step keeps its progress in the store, so a run
 * that is killed or cut off resumes where it stopped.
 */
#pragma once

#include <gio/gio.h>

#include "cx-installer.h"
#include "cx-store.h"
#include "cx-sync-window.h"

G_BEGIN_DECLS

#define CX_TYPE_SYNC_SERVICE (cx_sync_service_get_type ())
G_DECLARE_FINAL_TYPE (CxSyncService, cx_sync_service, CX, SYNC_SERVICE, GObject)

/* Largest number of events in one request. */
#define CX_SYNC_EVENTS_PER_BATCH 20000

typedef struct
{
  char *hub_url;
  gint64 device_id;
  char *school;
} CxSyncEnrolment;

void cx_sync_enrolment_free (CxSyncEnrolment *enrolment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxSyncEnrolment, cx_sync_enrolment_free)

typedef struct
{
  guint64 events_sent;
  gint64 events_acknowledged; /* the hub's mark at the end */
  gint64 events_pending;      /* recorded here, not yet acknowledged */
  guint64 bytes_sent;
  guint requests;
  guint hand_ins_sent;
  guint timetable_received;
  guint timetable_sent;
  guint timetable_conflicts; /* changes kept beside the hub's, to resolve */
  guint packages_updated;    /* installed or updated */
  guint packages_prefetched; /* of those, named by the timetable */
  guint64 bytes_received;    /* packages */
} CxSyncReport;

/* The parts of a run, in the order they happen. */
typedef enum
{
  CX_SYNC_PHASE_EVENTS,
  CX_SYNC_PHASE_HAND_INS,
  CX_SYNC_PHASE_TIMETABLE,
  CX_SYNC_PHASE_PACKAGES,
} CxSyncPhase;

/* Where a run is. Strings are only valid during the call; unknown numbers
 * are 0 (-1 for seconds_left), which a UI shows as a pulse. */
typedef struct
{
  CxSyncPhase phase;
  const char *package_key;     /* packages: the one under way; NULL while asking the hubs */
  const char *package_title;   /* its title, when the catalogue knows it */
  CxInstallPhase install_step; /* packages: what is being done to it */
  guint package_index;         /* packages: 0 for the first of this run */
  guint n_packages;            /* packages: how many this run fetches, 0 until known */
  guint64 bytes_done;
  guint64 bytes_total;
  guint64 bytes_per_second;
  gint64 seconds_left;
} CxSyncProgress;

/* Called in the thread the run is in, at most every
 * CX_SYNC_PROGRESS_INTERVAL_MS except when the phase or package changes. */
typedef void (*CxSyncProgressFunc) (const CxSyncProgress *progress, gpointer user_data);

#define CX_SYNC_PROGRESS_INTERVAL_MS 300

CxSyncService *cx_sync_service_new (CxStore *store);
void cx_sync_service_set_rate_limit (CxSyncService *self, guint64 bytes_per_second);
void cx_sync_service_set_batch_size (CxSyncService *self, guint events);
void cx_sync_service_set_progress_func (CxSyncService *self,
                                        CxSyncProgressFunc func,
                                        gpointer user_data,
                                        GDestroyNotify destroy);

gboolean cx_sync_service_enroll (CxSyncService *self,
                                 const char *hub_url,
                                 const char *code,
                                 const char *device_name,
                                 GCancellable *cancellable,
                                 GError **error);
CxSyncEnrolment *cx_sync_service_get_enrolment (CxSyncService *self, GError **error);

gboolean cx_sync_service_push_events (CxSyncService *self,
                                      CxSyncReport *report,
                                      GCancellable *cancellable,
                                      GError **error);
gboolean cx_sync_service_pull (CxSyncService *self,
                               CxSyncReport *report,
                               GCancellable *cancellable,
                               GError **error);
gboolean cx_sync_service_run (CxSyncService *self,
                              CxSyncReport *report,
                              GCancellable *cancellable,
                              GError **error);
void cx_sync_service_run_async (CxSyncService *self,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean cx_sync_service_run_finish (CxSyncService *self,
                                     GAsyncResult *result,
                                     CxSyncReport *out_report,
                                     GError **error);
gint64 cx_sync_service_get_last_run (CxSyncService *self, char **out_error);

gboolean cx_sync_service_get_window (CxSyncService *self, CxSyncWindow *out_window);
gboolean
cx_sync_service_set_window (CxSyncService *self, const CxSyncWindow *window, GError **error);
gboolean cx_sync_service_get_avoid_metered (CxSyncService *self);
gboolean cx_sync_service_set_avoid_metered (CxSyncService *self, gboolean avoid, GError **error);
gboolean cx_sync_service_resolve_timetable_conflict (CxSyncService *self,
                                                     const char *uuid,
                                                     gboolean keep_local,
                                                     GError **error);
char *cx_sync_service_check_conditions (CxSyncService *self,
                                        GNetworkMonitor *monitor,
                                        guint *out_wait_seconds);

G_END_DECLS
