/* cx-sync-controller.c: the app's one sync, by hand or by itself
 *
 * A run goes on in a worker thread over a CxStore of its own: the app's
 * store belongs to the main thread, where the pages keep reading it.
 * Progress comes back through the main loop, and is dropped once the run it
 * belongs to was stopped.
 *
 * Pause and Cancel both stop the run at its next step and keep what
 * arrived, so the next run picks up from there. They differ in what
 * follows: a pause holds automatic syncs until Resume, even across a
 * restart; after a cancel they go on at their next chance.
 */
#include "config.h"

#include <string.h>

#include "cx-application.h"
#include "cx-sync-controller.h"
#include "cx-sync-error.h"

#define AUTO_INTERVAL_SECONDS (30 * 60) /* after a run that went through */
#define RETRY_FIRST_SECONDS   60        /* after a failure, doubling each time… */
#define RETRY_LAST_SECONDS    (30 * 60) /* …up to this */
#define FIRST_CHECK_SECONDS   3         /* after the start: the window comes first */
#define TICK_SECONDS          60        /* the sync hours open and close as time passes */
#define SHUTDOWN_WAIT_SECONDS 5

struct _CxSyncController
{
  GObject parent_instance;

  CxApplication *app; /* not owned: it owns this; NULL once shut down */
  CxSyncControllerState state;
  GCancellable *cancellable; /* of the run in its thread; NULL when none is */
  gboolean restart;          /* start again once the run stopped has wound down */
  CxSyncProgress progress;   /* the latest of the run under way; its strings owned */
  gboolean has_progress;

  /* Automatic syncs */
  gint64 due;       /* monotonic µs from when one may start */
  guint n_failures; /* in a row, for the back-off */
  gboolean allowed; /* whether the conditions allowed one at the last look */
  gboolean network_up;
  gboolean refused; /* the hub no longer accepts this computer */
  guint due_source;
  guint tick_source;
};

G_DEFINE_FINAL_TYPE (CxSyncController, cx_sync_controller, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (CxSyncControllerState,
                    cx_sync_controller_state,
                    G_DEFINE_ENUM_VALUE (CX_SYNC_CONTROLLER_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (CX_SYNC_CONTROLLER_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (CX_SYNC_CONTROLLER_PAUSED, "paused"))

enum
{
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  PROGRESS_CHANGED,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Shared by the controller and the run's thread: progress finds the
 * controller through it, if the controller still waits for that run. */
typedef struct
{
  GWeakRef controller;
  GCancellable *cancellable;
} ProgressSink;

typedef struct
{
  ProgressSink *sink;
  CxSyncProgress progress; /* its strings owned */
} ProgressUpdate;

static void consider_automatic_sync (CxSyncController *self);
static void launch (CxSyncController *self);

static void
progress_sink_clear (gpointer data)
{
  ProgressSink *sink = data;

  g_weak_ref_clear (&sink->controller);
  g_clear_object (&sink->cancellable);
}

static ProgressSink *
progress_sink_new (CxSyncController *controller, GCancellable *cancellable)
{
  ProgressSink *sink = g_atomic_rc_box_new0 (ProgressSink);

  g_weak_ref_init (&sink->controller, controller);
  sink->cancellable = g_object_ref (cancellable);
  return sink;
}

static void
progress_sink_unref (gpointer sink)
{
  g_atomic_rc_box_release_full (sink, progress_sink_clear);
}

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *update = data;

  progress_sink_unref (update->sink);
  g_free ((char *) update->progress.package_key);
  g_free ((char *) update->progress.package_title);
  g_free (update);
}

static void
clear_progress (CxSyncController *self)
{
  g_free ((char *) self->progress.package_key);
  g_free ((char *) self->progress.package_title);
  memset (&self->progress, 0, sizeof self->progress);
  self->has_progress = FALSE;
}

static void
set_state (CxSyncController *self, CxSyncControllerState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
save_paused (CxSyncController *self, gboolean paused)
{
  GSettings *settings = cx_application_get_settings (self->app);

  if (g_settings_get_boolean (settings, "sync-paused") != paused)
    g_settings_set_boolean (settings, "sync-paused", paused);
}

/* 1, 2, 4 … 30 minutes, and a little more at random: laptops that lost
 * the hub together should not all come back to it in the same second. */
static gint64
retry_delay (guint n_failures)
{
  gint64 seconds = MIN ((gint64) RETRY_FIRST_SECONDS << MIN (n_failures, 8), RETRY_LAST_SECONDS);

  seconds += g_random_int_range (0, (gint32) (seconds / 10) + 1);
  return seconds * G_USEC_PER_SEC;
}

/* --- a run --------------------------------------------------------------- */

static void
finish_run (CxSyncController *self, const CxSyncReport *report, const GError *error)
{
  gint64 now = g_get_monotonic_time ();

  g_clear_object (&self->cancellable);
  if (self->app == NULL)
    return;
  if (error == NULL)
    {
      self->n_failures = 0;
      self->due = now + AUTO_INTERVAL_SECONDS * G_USEC_PER_SEC;
    }
  else if (g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNAUTHORIZED))
    /* Asking again only fills the hub's log: wait for a new enrolment. */
    self->refused = TRUE;
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->due = now + retry_delay (self->n_failures++);

  /* Even a run cut short may have brought packages or timetable changes. */
  cx_application_library_changed (self->app);
  cx_application_lessons_changed (self->app);
  cx_application_timetable_changed (self->app);

  /* Started again while this one wound down: its outcome is old news. */
  if (self->restart)
    {
      self->restart = FALSE;
      launch (self);
      return;
    }
  if (self->state == CX_SYNC_CONTROLLER_RUNNING)
    set_state (self, CX_SYNC_CONTROLLER_IDLE);
  g_signal_emit (self, signals[FINISHED], 0, report, error);
  consider_automatic_sync (self);
}

static void
on_run_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ProgressSink *sink = user_data;
  g_autoptr (CxSyncController) self = g_weak_ref_get (&sink->controller);
  g_autoptr (GError) error = NULL;
  CxSyncReport report = { 0 };
  gboolean ok = cx_sync_service_run_finish (CX_SYNC_SERVICE (source), result, &report, &error);

  if (self != NULL && self->cancellable == sink->cancellable)
    finish_run (self, &report, ok ? NULL : error);
  else if (!ok)
    g_debug ("A sync nobody waits for any more ended: %s", error->message);
  progress_sink_unref (sink);
}

static gboolean
progress_cb (gpointer data)
{
  ProgressUpdate *update = data;
  g_autoptr (CxSyncController) self = g_weak_ref_get (&update->sink->controller);

  /* A late word from a run that was stopped. */
  if (self == NULL || self->app == NULL || self->cancellable != update->sink->cancellable ||
      g_cancellable_is_cancelled (update->sink->cancellable))
    return G_SOURCE_REMOVE;
  clear_progress (self);
  self->progress = update->progress;
  update->progress.package_key = NULL;
  update->progress.package_title = NULL;
  self->has_progress = TRUE;
  g_signal_emit (self, signals[PROGRESS_CHANGED], 0, &self->progress);
  return G_SOURCE_REMOVE;
}

/* In the run's thread. */
static void
on_run_progress (const CxSyncProgress *progress, gpointer user_data)
{
  ProgressSink *sink = user_data;
  ProgressUpdate *update;

  if (g_cancellable_is_cancelled (sink->cancellable))
    return;
  update = g_new0 (ProgressUpdate, 1);
  update->sink = g_atomic_rc_box_acquire (sink);
  update->progress = *progress;
  update->progress.package_key = g_strdup (progress->package_key);
  update->progress.package_title = g_strdup (progress->package_title);
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, progress_cb, update, progress_update_free);
}

/* The run gets a store of its own, opened here, off the main thread. */
static void
open_store_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  CxStore *store = cx_store_open (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void
on_store_opened_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CxSyncController *self = CX_SYNC_CONTROLLER (source);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr (CxSyncService) service = NULL;
  GSettings *settings;
  ProgressSink *sink;

  g_assert (self->cancellable == cancellable);
  if (store == NULL || self->app == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Shutting down");
      finish_run (self, NULL, error);
      return;
    }
  settings = cx_application_get_settings (self->app);
  service = cx_sync_service_new (store);
  /* kbit/s as people give it, bytes/s as the transfer counts. */
  cx_sync_service_set_rate_limit (
      service, (guint64) g_settings_get_uint (settings, "rate-limit-kbit") * 1000 / 8);
  sink = progress_sink_new (self, cancellable);
  cx_sync_service_set_progress_func (service, on_run_progress, g_atomic_rc_box_acquire (sink),
                                     progress_sink_unref);
  /* From here the store belongs to the run's thread. */
  cx_sync_service_run_async (service, cancellable, on_run_done_cb, sink);
}

static void
launch (CxSyncController *self)
{
  g_autoptr (GTask) task = NULL;

  g_assert (self->cancellable == NULL);
  g_clear_handle_id (&self->due_source, g_source_remove);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_store_opened_cb, NULL);
  g_task_set_source_tag (task, launch);
  g_task_set_task_data (
      task, g_strdup (cx_store_get_data_dir (cx_application_get_store (self->app))), g_free);
  g_task_run_in_thread (task, open_store_thread);
}

static void
begin_run (CxSyncController *self)
{
  clear_progress (self);
  set_state (self, CX_SYNC_CONTROLLER_RUNNING);
  /* Never two at once: the run stopped a moment ago may still be winding
   * down, and this one starts when it has. */
  if (self->cancellable != NULL)
    self->restart = TRUE;
  else
    launch (self);
}

/* --- automatic syncs ----------------------------------------------------- */

/* Held back by the people at this computer, or by the hub. */
static gboolean
is_held (CxSyncController *self)
{
  return self->app == NULL || self->refused || self->state == CX_SYNC_CONTROLLER_PAUSED ||
         !g_settings_get_boolean (cx_application_get_settings (self->app), "auto-sync");
}

/* Whether the link, the enrolment, the sync hours and the metered rule let
 * an automatic sync run now. The hours and the rule are read from the store
 * each time: Preferences and `cunxiao-cli` change them there. */
static gboolean
conditions_allow (CxSyncController *self)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  CxSyncService *service = cx_application_get_sync_service (self->app);
  g_autoptr (CxSyncEnrolment) enrolment = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *reason = NULL;
  guint wait_seconds = 0;

  if (!g_network_monitor_get_network_available (monitor))
    return FALSE;
  enrolment = cx_sync_service_get_enrolment (service, &error);
  if (enrolment == NULL)
    {
      if (error != NULL)
        g_debug ("No automatic sync: the enrolment could not be read: %s", error->message);
      return FALSE;
    }
  reason = cx_sync_service_check_conditions (service, monitor, &wait_seconds);
  return reason == NULL;
}

static gboolean
due_cb (gpointer user_data)
{
  CxSyncController *self = user_data;

  self->due_source = 0;
  consider_automatic_sync (self);
  return G_SOURCE_REMOVE;
}

static void
consider_automatic_sync (CxSyncController *self)
{
  gint64 now = g_get_monotonic_time ();
  gboolean allowed;

  g_clear_handle_id (&self->due_source, g_source_remove);
  if (self->app == NULL)
    return;
  allowed = conditions_allow (self);
  /* Something opened (the link, the sync hours, an unmetered connection):
   * a wait meant for how things were before no longer applies. */
  if (allowed && !self->allowed)
    self->due = MIN (self->due, now);
  self->allowed = allowed;
  if (!allowed || is_held (self) || self->state != CX_SYNC_CONTROLLER_IDLE ||
      self->cancellable != NULL)
    return;
  if (self->due <= now)
    {
      g_debug ("Starting an automatic sync");
      begin_run (self);
      return;
    }
  self->due_source = g_timeout_add_seconds (
      (guint) ((self->due - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC), due_cb, self);
}

static gboolean
tick_cb (gpointer user_data)
{
  consider_automatic_sync (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_network_changed_cb (CxSyncController *self, gboolean available, GNetworkMonitor *monitor)
{
  /* A link that comes back starts the back-off afresh. */
  if (available && !self->network_up)
    self->n_failures = 0;
  self->network_up = available;
  consider_automatic_sync (self);
}

static void
on_auto_sync_changed_cb (CxSyncController *self, const char *key, GSettings *settings)
{
  consider_automatic_sync (self);
}

/* --- overrides ----------------------------------------------------------- */

static void
cx_sync_controller_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CxSyncController *self = CX_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cx_sync_controller_dispose (GObject *object)
{
  CxSyncController *self = CX_SYNC_CONTROLLER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->due_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  clear_progress (self);
  self->app = NULL;
  G_OBJECT_CLASS (cx_sync_controller_parent_class)->dispose (object);
}

static void
cx_sync_controller_class_init (CxSyncControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cx_sync_controller_get_property;
  object_class->dispose = cx_sync_controller_dispose;

  properties[PROP_STATE] = g_param_spec_enum (
      "state", NULL, NULL, CX_TYPE_SYNC_CONTROLLER_STATE, CX_SYNC_CONTROLLER_IDLE,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CxSyncController::progress-changed:
   * @progress: (type gpointer): the CxSyncProgress of the run, valid during
   *   the emission
   *
   * On the main thread, as the run reports it.
   */
  signals[PROGRESS_CHANGED] =
      g_signal_new ("progress-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /**
   * CxSyncController::finished:
   * @report: (type gpointer) (nullable): the CxSyncReport, when the run got
   *   that far
   * @error: (nullable): why it stopped early; %G_IO_ERROR_CANCELLED after
   *   Pause or Cancel
   *
   * After the state has gone back to idle, unless the run was paused.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_ERROR);
}

static void
cx_sync_controller_init (CxSyncController *self)
{
  self->state = CX_SYNC_CONTROLLER_IDLE;
}

/* --- public API ---------------------------------------------------------- */

/**
 * cx_sync_controller_new:
 * @app: the app, which must have a store and keeps this until it quits
 */
CxSyncController *
cx_sync_controller_new (CxApplication *app)
{
  CxSyncController *self;
  GSettings *settings;
  GNetworkMonitor *monitor = g_network_monitor_get_default ();

  g_return_val_if_fail (CX_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (cx_application_get_sync_service (app) != NULL, NULL);

  self = g_object_new (CX_TYPE_SYNC_CONTROLLER, NULL);
  self->app = app;
  settings = cx_application_get_settings (app);
  /* A pause holds until Resume, whatever happened in between. */
  if (g_settings_get_boolean (settings, "sync-paused"))
    self->state = CX_SYNC_CONTROLLER_PAUSED;
  g_signal_connect_object (settings, "changed::auto-sync", G_CALLBACK (on_auto_sync_changed_cb),
                           self, G_CONNECT_SWAPPED);
  self->network_up = g_network_monitor_get_network_available (monitor);
  g_signal_connect_object (monitor, "network-changed", G_CALLBACK (on_network_changed_cb), self,
                           G_CONNECT_SWAPPED);
  self->tick_source = g_timeout_add_seconds (TICK_SECONDS, tick_cb, self);
  self->due_source = g_timeout_add_seconds (FIRST_CHECK_SECONDS, due_cb, self);
  return self;
}

CxSyncControllerState
cx_sync_controller_get_state (CxSyncController *self)
{
  g_return_val_if_fail (CX_IS_SYNC_CONTROLLER (self), CX_SYNC_CONTROLLER_IDLE);
  return self->state;
}

/**
 * cx_sync_controller_get_progress:
 *
 * Returns: (nullable): where the run under way is, or was when it was
 *   paused; %NULL before it said
 */
const CxSyncProgress *
cx_sync_controller_get_progress (CxSyncController *self)
{
  g_return_val_if_fail (CX_IS_SYNC_CONTROLLER (self), NULL);
  return self->has_progress ? &self->progress : NULL;
}

/**
 * cx_sync_controller_get_next_auto_sync:
 *
 * Returns: when the next automatic sync is due (Unix time), or 0 when none
 *   is: they are off or paused, a sync runs, or the conditions keep them
 *   back
 */
gint64
cx_sync_controller_get_next_auto_sync (CxSyncController *self)
{
  gint64 wait;

  g_return_val_if_fail (CX_IS_SYNC_CONTROLLER (self), 0);

  if (self->state != CX_SYNC_CONTROLLER_IDLE || self->cancellable != NULL || is_held (self) ||
      !conditions_allow (self))
    return 0;
  wait = MAX (self->due - g_get_monotonic_time (), 0);
  return (g_get_real_time () + wait) / G_USEC_PER_SEC;
}

/* Sync Now: whatever the sync hours, and a paused sync goes on. */
void
cx_sync_controller_start (CxSyncController *self)
{
  g_return_if_fail (CX_IS_SYNC_CONTROLLER (self));

  if (self->app == NULL || self->state == CX_SYNC_CONTROLLER_RUNNING)
    return;
  save_paused (self, FALSE);
  begin_run (self);
}

/* Stops the run at its next step, keeps what arrived, and holds automatic
 * syncs until Resume. */
void
cx_sync_controller_pause (CxSyncController *self)
{
  g_return_if_fail (CX_IS_SYNC_CONTROLLER (self));

  if (self->app == NULL || self->state == CX_SYNC_CONTROLLER_PAUSED)
    return;
  save_paused (self, TRUE);
  self->restart = FALSE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  set_state (self, CX_SYNC_CONTROLLER_PAUSED);
  g_clear_handle_id (&self->due_source, g_source_remove);
}

/* Goes on from where the pause stopped. */
void
cx_sync_controller_resume (CxSyncController *self)
{
  g_return_if_fail (CX_IS_SYNC_CONTROLLER (self));

  if (self->state == CX_SYNC_CONTROLLER_PAUSED)
    cx_sync_controller_start (self);
}

/* Stops the run at its next step, or forgets a pause; automatic syncs go on
 * at their next chance, not at once. */
void
cx_sync_controller_cancel (CxSyncController *self)
{
  g_return_if_fail (CX_IS_SYNC_CONTROLLER (self));

  if (self->app == NULL || self->state == CX_SYNC_CONTROLLER_IDLE)
    return;
  save_paused (self, FALSE);
  self->restart = FALSE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  self->due = g_get_monotonic_time () + AUTO_INTERVAL_SECONDS * G_USEC_PER_SEC;
  set_state (self, CX_SYNC_CONTROLLER_IDLE);
  consider_automatic_sync (self);
}

/* After an enrolment: a hub that refused this computer may take it now,
 * and a newly enrolled one has things to send. */
void
cx_sync_controller_enrolment_changed (CxSyncController *self)
{
  g_return_if_fail (CX_IS_SYNC_CONTROLLER (self));

  self->refused = FALSE;
  self->n_failures = 0;
  self->due = g_get_monotonic_time ();
  consider_automatic_sync (self);
}

/* When the app quits: the run stops at its next step. What arrived is safe
 * either way; waiting a moment lets it close its store rather than be cut
 * off by the exit. */
void
cx_sync_controller_shutdown (CxSyncController *self)
{
  gint64 deadline = g_get_monotonic_time () + SHUTDOWN_WAIT_SECONDS * G_USEC_PER_SEC;

  g_return_if_fail (CX_IS_SYNC_CONTROLLER (self));

  self->app = NULL;
  self->restart = FALSE;
  g_clear_handle_id (&self->due_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  while (self->cancellable != NULL && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10 * 1000);
  if (self->cancellable != NULL)
    g_debug ("The sync had not stopped when the app quit");
}
