/* cx-installer-async.c: CxInstaller's calls run in a worker thread through GTask */
#include "config.h"

#include "cx-installer.h"

typedef struct
{
  char *package_key;
  char **units;
  CxInstallResult result;
} InstallTaskData;

static void
install_task_data_free (InstallTaskData *data)
{
  g_free (data->package_key);
  g_strfreev (data->units);
  g_free (data);
}

static void
refresh_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (cx_installer_refresh (source, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
cx_installer_refresh_async (CxInstaller *self,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (CX_IS_INSTALLER (self));

  g_task_set_source_tag (task, cx_installer_refresh_async);
  g_task_run_in_thread (task, refresh_thread);
}

gboolean
cx_installer_refresh_finish (CxInstaller *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
install_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  InstallTaskData *data = task_data;
  GError *error = NULL;

  if (cx_installer_install (source, data->package_key, (const char *const *) data->units,
                            &data->result, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
cx_installer_install_async (CxInstaller *self,
                            const char *package_key,
                            const char *const *units,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  InstallTaskData *data = g_new0 (InstallTaskData, 1);

  g_return_if_fail (CX_IS_INSTALLER (self));
  g_return_if_fail (package_key != NULL);

  data->package_key = g_strdup (package_key);
  data->units = units != NULL ? g_strdupv ((char **) units) : NULL;
  g_task_set_source_tag (task, cx_installer_install_async);
  g_task_set_task_data (task, data, (GDestroyNotify) install_task_data_free);
  g_task_run_in_thread (task, install_thread);
}

gboolean
cx_installer_install_finish (CxInstaller *self,
                             GAsyncResult *result,
                             CxInstallResult *out_result,
                             GError **error)
{
  InstallTaskData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (out_result != NULL)
    *out_result = data->result;
  return g_task_propagate_boolean (G_TASK (result), error);
}
