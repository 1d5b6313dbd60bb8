/* cx-report-payload.h: the members a report reads from an event's payload
 *
 * Payloads are small flat JSON objects. Reading the dozen members the
 * report needs with one pass of a scanner in C costs a tenth of what
 * SQLite's json_extract() costs once per member, which is most of the
 * time of a month of a million events.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CX_PAYLOAD_RESOURCE,
  CX_PAYLOAD_TITLE,
  CX_PAYLOAD_SECONDS,
  CX_PAYLOAD_TIMETABLE, /* "timetable" or "timetable_entry" */
  CX_PAYLOAD_FORM,
  CX_PAYLOAD_SUBJECT,
  CX_PAYLOAD_CLASS,
  CX_PAYLOAD_TEACHER,
  CX_PAYLOAD_PUPILS,
  CX_PAYLOAD_PLAN,
  CX_PAYLOAD_N_MEMBERS,
} CxPayloadMember;

typedef struct
{
  GString *scratch; /* the strings read, unescaped, one after another */
  guint8 type[CX_PAYLOAD_N_MEMBERS];
  gsize offset[CX_PAYLOAD_N_MEMBERS];
  gint64 number[CX_PAYLOAD_N_MEMBERS];
} CxPayload;

void cx_payload_init (CxPayload *self);
void cx_payload_clear (CxPayload *self);
gboolean cx_payload_parse (CxPayload *self, const char *text, gsize length);
const char *cx_payload_get_string (CxPayload *self, CxPayloadMember member);
gboolean cx_payload_get_int (CxPayload *self, CxPayloadMember member, gint64 *out_value);
gboolean cx_payload_is_json (const char *text, gsize length);

G_END_DECLS
