/* test-pin-guard.c: the PIN that leaves student mode, its guess limit and back-off */
#include "config.h"

#include "cx-test-util.h"

#include "cx-pin-guard.h"
#include "cx-store-accounts.h"

#define T0 ((gint64) 1795000000)

static void
add_staff (CxStore *store)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (cx_store_add_account (store, "王老师", CX_ROLE_TEACHER, "2468", &error), >, 0);
  g_assert_cmpint (cx_store_add_account (store, "李校长", CX_ROLE_ADMIN, "1357", &error), >, 0);
  g_assert_cmpint (cx_store_add_account (store, "小明", CX_ROLE_STUDENT, "0000", &error), >, 0);
  g_assert_cmpint (cx_store_add_account (store, "张老师", CX_ROLE_TEACHER, NULL, &error), >, 0);
  g_assert_no_error (error);
}

/* A wrong or refused PIN, with exactly @message. */
static void
assert_refused (CxStore *store, const char *pin, gint64 now, int code, const char *message)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (cx_pin_guard_verify (store, pin, now, &error));
  g_assert_error (error, CX_PIN_GUARD_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static CxPinGuardState
get_state (CxStore *store, gint64 now)
{
  g_autoptr (GError) error = NULL;
  CxPinGuardState state;

  g_assert_true (cx_pin_guard_get_state (store, now, &state, &error));
  g_assert_no_error (error);
  return state;
}

static void
test_no_pin (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (cx_pin_guard_has_pin (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cx_store_add_account (store, "小明", CX_ROLE_STUDENT, "0000", &error), >, 0);
  g_assert_false (cx_pin_guard_has_pin (store, &error));
  g_assert_no_error (error);
  g_assert_false (cx_pin_guard_verify (store, "0000", T0, &error));
  g_assert_error (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_NO_PIN);
  g_assert_cmpuint (get_state (store, T0).failures, ==, 0);
}

static void
test_right_and_wrong (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  CxPinGuardState state;

  add_staff (store);
  g_assert_true (cx_pin_guard_has_pin (store, &error));
  g_assert_true (cx_pin_guard_verify (store, "2468", T0, &error));
  g_assert_true (cx_pin_guard_verify (store, "1357", T0, &error));
  g_assert_no_error (error);

  /* A pupil's own PIN does not open the door. */
  assert_refused (store, "0000", T0, CX_PIN_GUARD_ERROR_WRONG_PIN, "Wrong PIN. 4 tries left");
  /* Nothing typed is no guess. */
  assert_refused (store, "", T0, CX_PIN_GUARD_ERROR_EMPTY,
                  "Type the PIN of a teacher or the admin");
  state = get_state (store, T0);
  g_assert_cmpuint (state.failures, ==, 1);
  g_assert_cmpuint (state.tries_left, ==, 4);
  g_assert_cmpint (state.wait_seconds, ==, 0);

  /* A right PIN forgives. */
  g_assert_true (cx_pin_guard_verify (store, "2468", T0, &error));
  state = get_state (store, T0);
  g_assert_cmpuint (state.failures, ==, 0);
  g_assert_cmpuint (state.tries_left, ==, CX_PIN_GUARD_FREE_TRIES);
}

static void
test_back_off (void)
{
  g_autofree char *dir = NULL;
  g_autoptr (CxStore) store = cx_test_new_store (&dir);
  g_autoptr (GError) error = NULL;
  static const struct
  {
    gint64 wait;
    const char *message;
  } waits[] = {
    { 60, "Too many wrong PINs. Try again in 1 minute" },
    { 120, "Too many wrong PINs. Try again in 2 minutes" },
    { 240, "Too many wrong PINs. Try again in 4 minutes" },
    { 480, "Too many wrong PINs. Try again in 8 minutes" },
    { 900, "Too many wrong PINs. Try again in 15 minutes" },
    { 900, "Too many wrong PINs. Try again in 15 minutes" },
  };
  CxPinGuardState state;
  gint64 now = T0;

  add_staff (store);
  assert_refused (store, "1111", now, CX_PIN_GUARD_ERROR_WRONG_PIN, "Wrong PIN. 4 tries left");
  assert_refused (store, "1111", now, CX_PIN_GUARD_ERROR_WRONG_PIN, "Wrong PIN. 3 tries left");
  assert_refused (store, "1111", now, CX_PIN_GUARD_ERROR_WRONG_PIN, "Wrong PIN. 2 tries left");
  assert_refused (store, "1111", now, CX_PIN_GUARD_ERROR_WRONG_PIN, "Wrong PIN. 1 try left");
  assert_refused (store, "1111", now, CX_PIN_GUARD_ERROR_LOCKED,
                  "Too many wrong PINs. Try again in 30 seconds");
  state = get_state (store, now);
  g_assert_cmpuint (state.failures, ==, 5);
  g_assert_cmpuint (state.tries_left, ==, 0);
  g_assert_cmpint (state.wait_seconds, ==, 30);

  /* While the wait runs even the right PIN is not looked at. */
  assert_refused (store, "2468", now + 10, CX_PIN_GUARD_ERROR_LOCKED,
                  "Too many wrong PINs. Try again in 20 seconds");

  /* A restart forgives nothing. */
  g_clear_object (&store);
  store = cx_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (get_state (store, now + 10).wait_seconds, ==, 20);
  g_assert_cmpint (get_state (store, now + 30).wait_seconds, ==, 0);

  /* Each further wrong PIN doubles the wait, up to 15 minutes. */
  now += 30;
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      assert_refused (store, "1111", now, CX_PIN_GUARD_ERROR_LOCKED, waits[i].message);
      g_assert_cmpint (get_state (store, now).wait_seconds, ==, waits[i].wait);
      g_assert_cmpint (get_state (store, now + waits[i].wait - 1).wait_seconds, ==, 1);
      now += waits[i].wait;
    }

  g_assert_true (cx_pin_guard_verify (store, "1357", now, &error));
  g_assert_no_error (error);
  state = get_state (store, now);
  g_assert_cmpuint (state.failures, ==, 0);
  g_assert_cmpint (state.wait_seconds, ==, 0);
}

/* The clock put back a year during a wait: it lasts no longer than the
 * longest wait, counted from the new time. */
static void
test_clock_put_back (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  gint64 year_ago = T0 - 365 * 24 * 3600;

  add_staff (store);
  for (guint i = 0; i < CX_PIN_GUARD_FREE_TRIES; i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (cx_pin_guard_verify (store, "9999", T0, &error));
    }
  g_assert_cmpint (get_state (store, year_ago).wait_seconds, ==, CX_PIN_GUARD_LONGEST_WAIT);
  g_assert_cmpint (get_state (store, year_ago + 60).wait_seconds, ==,
                   CX_PIN_GUARD_LONGEST_WAIT - 60);
  g_assert_cmpint (get_state (store, year_ago + CX_PIN_GUARD_LONGEST_WAIT).wait_seconds, ==, 0);
}

static void
verified_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static gboolean
verify_async (CxStore *store, const char *pin, gint64 now, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  cx_pin_guard_verify_async (store, pin, now, NULL, verified_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return cx_pin_guard_verify_finish (store, result, error);
}

static void
test_async (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;

  add_staff (store);
  g_assert_true (verify_async (store, "2468", T0, &error));
  g_assert_no_error (error);
  g_assert_false (verify_async (store, "8642", T0, &error));
  g_assert_error (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_WRONG_PIN);
  g_assert_cmpstr (error->message, ==, "Wrong PIN. 4 tries left");
  g_clear_error (&error);
  for (guint i = 1; i < CX_PIN_GUARD_FREE_TRIES; i++)
    {
      g_assert_false (verify_async (store, "8642", T0, &error));
      g_clear_error (&error);
    }
  g_assert_false (verify_async (store, "2468", T0 + 1, &error));
  g_assert_error (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (verify_async (store, "", T0 + 1, &error));
  g_assert_error (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_true (verify_async (store, "2468", T0 + 30, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (get_state (store, T0 + 30).failures, ==, 0);
}

static void
admin_verified_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static void
test_admin_only (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  /* Only a teacher has a PIN: nobody can open what is the admin's. */
  g_assert_cmpint (cx_store_add_account (store, "王老师", CX_ROLE_TEACHER, "2468", &error), >, 0);
  g_assert_false (cx_pin_guard_verify_admin (store, "王老师", "2468", T0, &error));
  g_assert_error (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_NO_PIN);
  g_clear_error (&error);

  g_assert_cmpint (cx_store_add_account (store, "李校长", CX_ROLE_ADMIN, "1357", &error), >, 0);
  g_assert_true (cx_pin_guard_verify_admin (store, "李校长", "1357", T0, &error));
  g_assert_no_error (error);

  /* A teacher's own name and PIN, the admin's PIN under the teacher's
   * name, and a name nobody has are all wrong guesses, counted. */
  g_assert_false (cx_pin_guard_verify_admin (store, "王老师", "2468", T0, &error));
  g_assert_error (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_WRONG_PIN);
  g_assert_cmpstr (error->message, ==, "Wrong PIN. 4 tries left");
  g_clear_error (&error);
  g_assert_false (cx_pin_guard_verify_admin (store, "王老师", "1357", T0, &error));
  g_assert_error (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_WRONG_PIN);
  g_clear_error (&error);
  g_assert_false (cx_pin_guard_verify_admin (store, "赵校长", "1357", T0, &error));
  g_assert_error (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_WRONG_PIN);
  g_clear_error (&error);
  g_assert_cmpuint (get_state (store, T0).failures, ==, 3);

  /* Nothing typed is no guess. */
  g_assert_false (cx_pin_guard_verify_admin (store, "", "1357", T0, &error));
  g_assert_error (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_cmpuint (get_state (store, T0).failures, ==, 3);

  /* The same guard: the wait of the teachers' door holds here too. */
  g_assert_false (cx_pin_guard_verify (store, "0000", T0, &error));
  g_clear_error (&error);
  g_assert_false (cx_pin_guard_verify (store, "0000", T0, &error));
  g_assert_error (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (cx_pin_guard_verify_admin (store, "李校长", "1357", T0 + 1, &error));
  g_assert_error (error, CX_PIN_GUARD_ERROR, CX_PIN_GUARD_ERROR_LOCKED);
  g_clear_error (&error);

  /* Asynchronously, after the wait; a right PIN forgives all. */
  cx_pin_guard_verify_admin_async (store, "李校长", "1357", T0 + 30, NULL, admin_verified_cb,
                                   &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cx_pin_guard_verify_admin_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (get_state (store, T0 + 30).failures, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cx/pin-guard/no-pin", test_no_pin);
  g_test_add_func ("/cx/pin-guard/right-and-wrong", test_right_and_wrong);
  g_test_add_func ("/cx/pin-guard/back-off", test_back_off);
  g_test_add_func ("/cx/pin-guard/clock-put-back", test_clock_put_back);
  g_test_add_func ("/cx/pin-guard/async", test_async);
  g_test_add_func ("/cx/pin-guard/admin-only", test_admin_only);

  return g_test_run ();
}
