/* cx-pin-guard.h: the teacher's or admin's PIN that leaves student mode, guarded against guessing
 *
 * Five wrong PINs are free; then each wrong one makes everybody wait, 30 s
 * at first, twice as long each time, at most 15 minutes; a right PIN
 * forgives all. The count and the wait live in the store, so restarting
 * the app or the computer does not reset them. Every call takes @now (Unix
 * seconds) so tests can move the clock; the app passes
 * cx_pin_guard_now().
 *
 * Checking a PIN is slow on purpose (Argon2id, about a tenth of a second
 * and 64 MiB per account): the UI uses cx_pin_guard_verify_async().
 */
#pragma once

#include <gio/gio.h>

#include "cx-store.h"

G_BEGIN_DECLS

#define CX_PIN_GUARD_FREE_TRIES   5
#define CX_PIN_GUARD_FIRST_WAIT   30        /* seconds */
#define CX_PIN_GUARD_LONGEST_WAIT (15 * 60) /* seconds */

#define CX_PIN_GUARD_ERROR (cx_pin_guard_error_quark ())

typedef enum
{
  CX_PIN_GUARD_ERROR_WRONG_PIN, /* “Wrong PIN. N tries left” */
  CX_PIN_GUARD_ERROR_LOCKED,    /* “Too many wrong PINs. Try again in M minutes” */
  CX_PIN_GUARD_ERROR_EMPTY,     /* nothing typed; not counted */
  CX_PIN_GUARD_ERROR_NO_PIN,    /* no teacher or admin has a PIN */
} CxPinGuardError;

typedef struct
{
  guint failures;      /* wrong PINs since the last right one */
  guint tries_left;    /* before wrong PINs start to cost a wait; 0 after that */
  gint64 wait_seconds; /* until a PIN is taken again; 0 if it is now */
} CxPinGuardState;

GQuark cx_pin_guard_error_quark (void);
gint64 cx_pin_guard_now (void);

gboolean cx_pin_guard_has_pin (CxStore *store, GError **error);
gboolean
cx_pin_guard_get_state (CxStore *store, gint64 now, CxPinGuardState *out_state, GError **error);
gboolean cx_pin_guard_verify (CxStore *store, const char *pin, gint64 now, GError **error);
void cx_pin_guard_verify_async (CxStore *store,
                                const char *pin,
                                gint64 now,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean cx_pin_guard_verify_finish (CxStore *store, GAsyncResult *result, GError **error);

/* Only the named admin's PIN, with the same count and wait. */
gboolean cx_pin_guard_verify_admin (
    CxStore *store, const char *name, const char *pin, gint64 now, GError **error);
void cx_pin_guard_verify_admin_async (CxStore *store,
                                      const char *name,
                                      const char *pin,
                                      gint64 now,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data);
gboolean cx_pin_guard_verify_admin_finish (CxStore *store, GAsyncResult *result, GError **error);

G_END_DECLS
