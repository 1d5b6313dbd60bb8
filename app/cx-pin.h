/* cx-pin.h: hashing and checking account PINs and passwords */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CX_PIN_MIN_LENGTH 4
#define CX_PIN_MAX_LENGTH 128

gboolean cx_pin_validate (const char *pin, GError **error);
char *cx_pin_hash (const char *pin, GError **error);
gboolean cx_pin_verify (const char *hash, const char *pin);

G_END_DECLS
