/* cx-hub-db.h: the hub's own store — schools, devices, their events
 *
 * One SQLite file, hub.db, in the hub's data folder. Enrolment codes and
 * device tokens are kept only as SHA-256 hashes, so a copy of the file does
 * not let anyone act as a device.
 */
#pragma once

#include <gio/gio.h>

#include "cx-event-batch.h"
#include "cx-timetable-record.h"
#include "cx-upload.h"

G_BEGIN_DECLS

#define CX_HUB_DB_ERROR (cx_hub_db_error_quark ())

typedef enum
{
  CX_HUB_DB_ERROR_FAILED,
  CX_HUB_DB_ERROR_CODE_UNKNOWN,
  CX_HUB_DB_ERROR_CODE_USED,
  CX_HUB_DB_ERROR_CODE_EXPIRED,
  CX_HUB_DB_ERROR_UNAUTHORIZED,
  CX_HUB_DB_ERROR_REVOKED,
  CX_HUB_DB_ERROR_NOT_FOUND,
  CX_HUB_DB_ERROR_INVALID,
  CX_HUB_DB_ERROR_CONFLICT,
  CX_HUB_DB_ERROR_LIMIT,
  CX_HUB_DB_ERROR_FORBIDDEN,
} CxHubDbError;

GQuark cx_hub_db_error_quark (void);

#define CX_TYPE_HUB_DB (cx_hub_db_get_type ())
G_DECLARE_FINAL_TYPE (CxHubDb, cx_hub_db, CX, HUB_DB, GObject)

typedef struct
{
  gint64 id;
  char *school;
  char *name;
  gint64 enrolled_at;
  gint64 revoked_at; /* 0 while in use */
  gint64 acknowledged;
} CxHubDevice;

void cx_hub_device_free (CxHubDevice *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxHubDevice, cx_hub_device_free)

CxHubDb *cx_hub_db_open (const char *data_dir, GError **error);

char *cx_hub_db_create_enrolment_code (CxHubDb *self,
                                       const char *school,
                                       gint64 expires_at,
                                       GError **error);
gboolean cx_hub_db_enroll (CxHubDb *self,
                           const char *code,
                           const char *request_id,
                           const char *device_name,
                           gint64 *out_device_id,
                           char **out_token,
                           char **out_school,
                           GError **error);
gboolean
cx_hub_db_authenticate (CxHubDb *self, const char *token, gint64 *out_device_id, GError **error);
gboolean cx_hub_db_revoke (CxHubDb *self, gint64 device_id, GError **error);
GPtrArray *cx_hub_db_list_devices (CxHubDb *self, GError **error);

gboolean cx_hub_db_get_events_mark (CxHubDb *self,
                                    gint64 device_id,
                                    gint64 *out_acknowledged,
                                    GError **error);
gboolean cx_hub_db_store_events (CxHubDb *self,
                                 gint64 device_id,
                                 CxEventBatch *batch,
                                 gint64 *out_acknowledged,
                                 guint *out_stored,
                                 gboolean *out_gap,
                                 GError **error);

gboolean cx_hub_db_record_upload (
    CxHubDb *self, gint64 device_id, const CxUpload *upload, gboolean *out_new, GError **error);

gboolean
cx_hub_db_import_timetable (CxHubDb *self, GPtrArray *records, guint *out_changed, GError **error);
GPtrArray *cx_hub_db_list_timetable (
    CxHubDb *self, gint64 device_id, gint64 since, gint64 *out_change, GError **error);
gboolean cx_hub_db_put_timetable_entry (CxHubDb *self,
                                        gint64 device_id,
                                        const CxTimetableRecord *record,
                                        gint64 base_revision,
                                        gint64 *out_revision,
                                        CxTimetableRecord **out_current,
                                        GError **error);

G_END_DECLS
