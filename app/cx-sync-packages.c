/* cx-sync-packages.c: refresh the hubs, then fetch in the order the school needs
 *
 * First the packages (or just the units) that timetable entries of the next
 * days name, installed if they are not yet; then updates of everything else
 * installed. A link that drops mid-way has then spent itself on tomorrow's
 * lessons, not on next term's.
 */
#include "config.h"

#include "cx-installer.h"
#include "cx-store-catalog.h"
#include "cx-store-packages.h"
#include "cx-store-timetable.h"
#include "cx-sync-packages.h"

typedef struct
{
  char *package_key;
  char *title;         /* NULL when the catalogue does not know the package yet */
  GStrvBuilder *units; /* NULL: the whole package, or what is installed */
  gboolean needed;     /* named by the timetable */
} Job;

/* Turns the installer's progress into the run's, for the job under way. */
typedef struct
{
  CxSyncProgressFunc func;
  gpointer data;
  const Job *job;
  guint index;
  guint n_jobs;
} Progress;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->package_key);
  g_free (job->title);
  if (job->units != NULL)
    g_strv_builder_unref (job->units);
  g_free (job);
}

static Job *
find_job (GPtrArray *jobs, const char *key)
{
  for (guint i = 0; i < jobs->len; i++)
    if (g_str_equal (((Job *) jobs->pdata[i])->package_key, key))
      return jobs->pdata[i];
  return NULL;
}

static const char *
find_title (GPtrArray *packages, const char *key)
{
  for (guint i = 0; i < packages->len; i++)
    {
      const CxPackageStatus *status = g_ptr_array_index (packages, i);

      if (g_str_equal (status->package_key, key))
        return status->title;
    }
  return NULL;
}

static GPtrArray *
plan (CxStore *store, GError **error)
{
  g_autoptr (GPtrArray) jobs = g_ptr_array_new_with_free_func (job_free);
  g_autoptr (GPtrArray) packages = cx_store_list_package_status (store, error);
  g_autoptr (GPtrArray) soon = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (packages == NULL)
    return NULL;
  soon = cx_store_list_timetable (store, now, now + CX_SYNC_PREFETCH_DAYS * 24 * 3600, error);
  if (soon == NULL)
    return NULL;

  for (guint i = 0; i < soon->len; i++)
    {
      const CxTimetableEntry *e = g_ptr_array_index (soon, i);
      Job *job;

      if (e->package_key == NULL || *e->package_key == '\0')
        continue;
      job = find_job (jobs, e->package_key);
      if (job == NULL)
        {
          job = g_new0 (Job, 1);
          job->package_key = g_strdup (e->package_key);
          job->title = g_strdup (find_title (packages, e->package_key));
          job->units = g_strv_builder_new ();
          job->needed = TRUE;
          g_ptr_array_add (jobs, job);
        }
      /* An entry without a unit needs the whole package. */
      if (e->unit == NULL || *e->unit == '\0')
        g_clear_pointer (&job->units, g_strv_builder_unref);
      else if (job->units != NULL)
        g_strv_builder_add (job->units, e->unit);
    }

  for (guint i = 0; i < packages->len; i++)
    {
      const CxPackageStatus *status = g_ptr_array_index (packages, i);

      if (cx_package_status_has_update (status) && find_job (jobs, status->package_key) == NULL)
        {
          Job *job = g_new0 (Job, 1);

          job->package_key = g_strdup (status->package_key);
          job->title = g_strdup (status->title);
          g_ptr_array_add (jobs, job);
        }
    }
  return g_steal_pointer (&jobs);
}

static void
report_progress (Progress *progress, const CxInstallProgress *install)
{
  CxSyncProgress out = {
    .phase = CX_SYNC_PHASE_PACKAGES,
    .install_step = CX_INSTALL_PHASE_PLANNING,
    .package_index = progress->index,
    .n_packages = progress->n_jobs,
    .seconds_left = -1,
  };

  if (progress->func == NULL)
    return;
  if (progress->job != NULL)
    {
      out.package_key = progress->job->package_key;
      out.package_title = progress->job->title;
    }
  if (install != NULL)
    {
      out.install_step = install->phase;
      out.bytes_done = install->bytes_done;
      out.bytes_total = install->bytes_total;
      out.bytes_per_second = install->rate;
      out.seconds_left = install->eta_seconds;
    }
  progress->func (&out, progress->data);
}

static void
on_install_progress (const CxInstallProgress *install, gpointer user_data)
{
  report_progress (user_data, install);
}

gboolean
_cx_sync_pull_packages (CxStore *store,
                        guint64 rate_limit,
                        CxSyncProgressFunc progress_func,
                        gpointer progress_data,
                        CxSyncReport *report,
                        GCancellable *cancellable,
                        GError **error)
{
  g_autoptr (CxInstaller) installer = cx_installer_new (store, error);
  g_autoptr (GPtrArray) hubs = NULL;
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GError) first_error = NULL;
  Progress progress = { progress_func, progress_data, NULL, 0, 0 };

  if (installer == NULL)
    return FALSE;
  hubs = cx_store_list_hubs (store, error);
  if (hubs == NULL)
    return FALSE;
  if (hubs->len == 0)
    return TRUE;

  cx_installer_set_rate_limit (installer, rate_limit);
  report_progress (&progress, NULL);
  if (!cx_installer_refresh (installer, cancellable, error))
    return FALSE;
  jobs = plan (store, error);
  if (jobs == NULL)
    return FALSE;
  progress.n_jobs = jobs->len;
  /* Set only now: refreshing reports no progress of a package. */
  cx_installer_set_progress_func (installer, on_install_progress, &progress, NULL);

  for (guint i = 0; i < jobs->len; i++)
    {
      Job *job = g_ptr_array_index (jobs, i);
      g_autoptr (GError) local_error = NULL;
      g_auto (GStrv) units = job->units != NULL ? g_strv_builder_end (job->units) : NULL;
      CxInstallResult result = { 0 };

      progress.job = job;
      progress.index = i;
      report_progress (&progress, NULL);
      if (!cx_installer_install (installer, job->package_key, (const char *const *) units, &result,
                                 cancellable, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          /* A timetable entry may name a package no hub offers: not fatal. */
          if (first_error == NULL)
            first_error = g_steal_pointer (&local_error);
          continue;
        }
      if (!result.already_installed)
        {
          report->packages_updated++;
          report->packages_prefetched += job->needed ? 1 : 0;
          report->bytes_received += result.bytes_received;
        }
    }

  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }
  return TRUE;
}
