/* test-event-batch.c: usage-event batches round-trip, and strict reading
 *
 * The hub reads batches with a scanner of its own rather than a JSON tree;
 * these cases pin down that it is exactly as strict as the tree reader was.
 */
#include "config.h"

#include <string.h>

#include <zstd.h>

#include "cx-event-batch.h"
#include "cx-sync-error.h"

static GBytes *
pack (const char *json)
{
  gsize bound = ZSTD_compressBound (strlen (json));
  g_autofree guint8 *out = g_malloc (bound);
  size_t written = ZSTD_compress (out, bound, json, strlen (json), 3);

  g_assert_false (ZSTD_isError (written));
  return g_bytes_new (out, written);
}

static CxEventBatch *
decode_text (const char *json, GError **error)
{
  g_autoptr (GBytes) body = pack (json);

  return cx_event_batch_decode (body, error);
}

static void
test_round_trip (void)
{
  const CxEvent events[] = {
    { 41, 1793500000000000, "resource.opened", "{\"package\":\"yuwen-1a\",\"资源\":\"识字\"}" },
    { 42, 1793500000000001, "lesson.taught", "{\"minutes\":40,\"items\":[1,2.5e3,true,null]}" },
    { 43, 1793499999000000, "sync.finished", "{\"note\":\"\\u4e2d\\ud83d\\ude00 \\\"q\\\"\"}" },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = cx_event_batch_encode (events, G_N_ELEMENTS (events), &error);
  g_autoptr (CxEventBatch) batch = NULL;

  g_assert_no_error (error);
  batch = cx_event_batch_decode (body, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cx_event_batch_get_first_seq (batch), ==, 41);
  g_assert_cmpuint (cx_event_batch_get_n_events (batch), ==, G_N_ELEMENTS (events));
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      const CxEvent *got = cx_event_batch_get_event (batch, i);

      g_assert_cmpint (got->seq, ==, events[i].seq);
      g_assert_cmpint (got->time_us, ==, events[i].time_us);
      g_assert_cmpstr (got->kind, ==, events[i].kind);
      g_assert_cmpstr (got->payload, ==, events[i].payload);
    }
}

static void
test_space_and_member_order (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxEventBatch) batch =
      decode_text (" {\"events\" : [ [ 5 , \"a\" , { \"x\" : [ ] } ] , [2,\"b\",{}] ] ,\n"
                   "\"first\":7, \"v\":1 } \n",
                   &error);

  g_assert_no_error (error);
  g_assert_cmpint (cx_event_batch_get_first_seq (batch), ==, 7);
  g_assert_cmpuint (cx_event_batch_get_n_events (batch), ==, 2);
  g_assert_cmpstr (cx_event_batch_get_event (batch, 0)->payload, ==, "{ \"x\" : [ ] }");
  g_assert_cmpint (cx_event_batch_get_event (batch, 1)->seq, ==, 8);
  g_assert_cmpint (cx_event_batch_get_event (batch, 1)->time_us, ==, 7);
}

#define EVENT(payload) "{\"v\":1,\"first\":1,\"events\":[[1,\"a\"," payload "]]}"

static void
test_refused (void)
{
  static const struct
  {
    const char *json;
    const char *why;
  } cases[] = {
    { EVENT ("{\"k\":1,\"k\":2}"), "duplicate member in a payload" },
    { EVENT ("{\"k\":1,\"\\u006b\":2}"), "duplicate member spelled with an escape" },
    { EVENT ("{\"a\":{\"b\":1,\"b\":1}}"), "duplicate member in a nested object" },
    { EVENT ("{\"k\":\"\\u0000\"}"), "NUL escape" },
    { EVENT ("{\"k\":\"\\ud800\"}"), "lone high surrogate" },
    { EVENT ("{\"k\":\"\\udc00x\"}"), "lone low surrogate" },
    { EVENT ("{\"k\":\"a\tb\"}"), "raw control character" },
    { EVENT ("{\"k\":\"\\x\"}"), "unknown escape" },
    { EVENT ("{\"k\":01}"), "leading zero" },
    { EVENT ("{\"k\":1.}"), "no digits after the point" },
    { EVENT ("{\"k\":+1}"), "plus sign" },
    { EVENT ("{\"k\":1e}"), "empty exponent" },
    { EVENT ("{\"k\":.5}"), "no integer part" },
    { EVENT ("{\"k\":tru}"), "truncated literal" },
    { EVENT ("{\"k\":NaN}"), "NaN" },
    { EVENT ("{\"k\":[1,]}"), "trailing comma in an array" },
    { EVENT ("{\"k\":1,}"), "trailing comma in an object" },
    { EVENT ("{k:1}"), "unquoted name" },
    { EVENT ("{\"k\" 1}"), "missing colon" },
    { EVENT ("{\"k\":1} /* c */"), "comment" },
    { EVENT ("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"),
      "payload not an object (and deep)" },
    { EVENT ("{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
             "]]]}"),
      "nested too deeply" },
    { "{\"v\":1,\"first\":1,\"events\":[[1.5,\"a\",{}]]}", "fractional time" },
    { "{\"v\":1,\"first\":1,\"events\":[[1e3,\"a\",{}]]}", "time with an exponent" },
    { "{\"v\":1,\"first\":1,\"events\":[[99999999999999999999,\"a\",{}]]}", "time overflows" },
    { "{\"v\":1,\"first\":1,\"events\":[[1152921504606846975,\"a\",{}],[9,\"a\",{}]]}",
      "time past the range" },
    { "{\"v\":1,\"first\":1,\"events\":[[1,\"\\u0061\",{}]]}", "kind spelled with an escape" },
    { "{\"v\":1,\"first\":1,\"events\":[[1,\"a\",{}]],\"extra\":1}", "unknown member" },
    { "{\"v\":1,\"v\":1,\"first\":1,\"events\":[[1,\"a\",{}]]}", "v twice" },
    { "{\"v\":1,\"first\":1,\"events\":[[1,\"a\",{}]],\"events\":[[1,\"a\",{}]]}", "events twice" },
    { "{\"v\":1,\"events\":[[1,\"a\",{}]]}", "no first" },
    { "{\"v\":1,\"first\":-1,\"events\":[[1,\"a\",{}]]}", "negative first" },
    { "{\"v\":1,\"first\":9007199254740992,\"events\":[[1,\"a\",{}]]}", "first past 2^53" },
    { "{\"v\":1,\"first\":1,\"events\":[[1,\"a\",{}]]} x", "data after the object" },
    { "{\"v\":1,\"first\":1,\"events\":[[1,\"a\",{},2]]}", "four fields" },
    { "{\"v\":1,\"first\":1,\"events\":[[1,\"a\",{}]", "truncated" },
    { "{\"v\":1,\"first\":1,\"events\":[[1,\"a\",{\"k\":\"\xff\"}]]}", "invalid UTF-8" },
    { "[1]", "top level not an object" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CxEventBatch) batch = decode_text (cases[i].json, &error);

      g_test_message ("%s", cases[i].why);
      g_assert_null (batch);
      g_assert_nonnull (error);
      g_assert_true (error->domain == CX_SYNC_ERROR);
    }
}

static void
test_event_limit (void)
{
  g_autoptr (GString) json = g_string_new ("{\"v\":1,\"first\":1,\"events\":[");
  g_autoptr (GError) error = NULL;
  g_autoptr (CxEventBatch) batch = NULL;

  for (guint i = 0; i <= CX_EVENT_BATCH_MAX_EVENTS; i++)
    g_string_append (json, i > 0 ? ",[1,\"a\",{}]" : "[1,\"a\",{}]");
  g_string_append (json, "]}");
  batch = decode_text (json->str, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED);
  g_assert_null (batch);
}

static void
test_payload_is_valid (void)
{
  g_autofree char *many = NULL;
  g_autoptr (GString) members = g_string_new ("{");

  g_assert_true (cx_event_payload_is_valid ("{}"));
  g_assert_true (cx_event_payload_is_valid ("{\"班级\":\"一年级\",\"n\":-0.5E+2}"));
  g_assert_false (cx_event_payload_is_valid ("{}{}"));
  g_assert_false (cx_event_payload_is_valid ("[]"));
  g_assert_false (cx_event_payload_is_valid ("{\"a\":1,\"a\":1}"));
  g_assert_false (cx_event_payload_is_valid (NULL));

  /* Many members go through the hash set, duplicates still caught. */
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (members, "%s\"m%u\":%u", i > 0 ? "," : "", i, i);
  many = g_strdup_printf ("%s}", members->str);
  g_assert_true (cx_event_payload_is_valid (many));
  g_string_append (members, ",\"m17\":0}");
  g_assert_false (cx_event_payload_is_valid (members->str));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/event-batch/round-trip", test_round_trip);
  g_test_add_func ("/event-batch/space-and-member-order", test_space_and_member_order);
  g_test_add_func ("/event-batch/refused", test_refused);
  g_test_add_func ("/event-batch/event-limit", test_event_limit);
  g_test_add_func ("/event-batch/payload-is-valid", test_payload_is_valid);
  return g_test_run ();
}
