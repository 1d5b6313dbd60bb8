/* cx-installer.h: install, update and remove packages from the hubs
 *
 * The installer drives sync/ for one device store: it refreshes what each
 * hub offers, and installs a package version (or some of its units) so
 * that the version becomes visible only once every file of it is on disk
 * and verified.  An interrupted install (cancelled, network gone, power
 * cut, process killed) resumes where it stopped: chunks that arrived stay
 * staged in the content store, files already built stay built.
 *
 * Calls block; run them in a worker thread (the async variants do) with a
 * CxStore of that thread's own.
 */
#pragma once

#include <gio/gio.h>

#include "cx-store.h"

G_BEGIN_DECLS

typedef enum
{
  CX_INSTALL_PHASE_PLANNING,
  CX_INSTALL_PHASE_DOWNLOADING,
  CX_INSTALL_PHASE_BUILDING,
  CX_INSTALL_PHASE_DONE,
} CxInstallPhase;

typedef struct
{
  const char *package_key;
  CxInstallPhase phase;
  guint64 bytes_done; /* downloading: chunk bytes arrived; building: bytes written */
  guint64 bytes_total;
  guint64 rate;       /* bytes per second on the wire, 0 if unknown */
  gint64 eta_seconds; /* -1 if unknown */
} CxInstallProgress;

typedef void (*CxInstallProgressFunc) (const CxInstallProgress *progress, gpointer user_data);

typedef struct
{
  gint64 version;
  gboolean already_installed;
  guint files;
  guint files_linked;      /* reused from the installed version by hard link */
  guint chunks_local;      /* found on this computer */
  guint files_from_deltas; /* rebuilt from the installed version and a delta */
  guint chunks_fetched;
  guint64 bytes_received; /* on the wire */
  guint requests;
} CxInstallResult;

#define CX_TYPE_INSTALLER (cx_installer_get_type ())
G_DECLARE_FINAL_TYPE (CxInstaller, cx_installer, CX, INSTALLER, GObject)

CxInstaller *cx_installer_new (CxStore *store, GError **error);

void cx_installer_set_rate_limit (CxInstaller *self, guint64 bytes_per_second);
void cx_installer_set_retry_policy (CxInstaller *self,
                                    guint max_attempts,
                                    guint base_delay_ms,
                                    guint max_delay_ms);
void cx_installer_set_low_speed (CxInstaller *self, guint bytes_per_second, guint seconds);
void cx_installer_set_progress_func (CxInstaller *self,
                                     CxInstallProgressFunc func,
                                     gpointer user_data,
                                     GDestroyNotify destroy);

gint64 cx_installer_add_hub (CxInstaller *self,
                             const char *url,
                             const char *public_key,
                             GCancellable *cancellable,
                             GError **error);
gboolean cx_installer_refresh (CxInstaller *self, GCancellable *cancellable, GError **error);
gboolean cx_installer_install (CxInstaller *self,
                               const char *package_key,
                               const char *const *units,
                               CxInstallResult *out_result,
                               GCancellable *cancellable,
                               GError **error);
gboolean cx_installer_remove (CxInstaller *self, const char *package_key, GError **error);

/* The same in a worker thread.  While one runs, the installer and its store
 * belong to that thread; the progress func is called there too. */
void cx_installer_refresh_async (CxInstaller *self,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
gboolean cx_installer_refresh_finish (CxInstaller *self, GAsyncResult *result, GError **error);
void cx_installer_install_async (CxInstaller *self,
                                 const char *package_key,
                                 const char *const *units,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
gboolean cx_installer_install_finish (CxInstaller *self,
                                      GAsyncResult *result,
                                      CxInstallResult *out_result,
                                      GError **error);

G_END_DECLS
