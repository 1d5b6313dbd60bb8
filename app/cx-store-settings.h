/* cx-store-settings.h: the school's settings for this computer, kept in the store
 *
 * Settings that belong to the school and its records rather than to one
 * user's desktop (those are in GSettings): whoever opens the app, the
 * store says the same.
 */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

/* Usage events of student mode name the pupil (default: off, they name
 * only the class). */
#define CX_SETTING_RECORD_PUPIL_NAMES "record-pupil-names"

gboolean cx_store_get_setting_boolean (
    CxStore *self, const char *key, gboolean default_value, gboolean *out_value, GError **error);
gboolean
cx_store_set_setting_boolean (CxStore *self, const char *key, gboolean value, GError **error);

G_END_DECLS
