/* cx-report-payload.c: one pass over a payload's top-level members
 *
 * The object's own structure is checked strictly (braces, member names,
 * colons, commas, nothing after the end); values the report does not read
 * are skipped by their brackets and quotes.
 */
#include "config.h"

#include <string.h>

#include "cx-report-payload.h"

enum
{
  TYPE_NONE,
  TYPE_STRING,
  TYPE_INT,
  TYPE_OTHER,
};

/* Longest first where one name begins another. */
static const struct
{
  const char *name;
  CxPayloadMember member;
} names[] = {
  { "resource", CX_PAYLOAD_RESOURCE },   { "title", CX_PAYLOAD_TITLE },
  { "seconds", CX_PAYLOAD_SECONDS },     { "timetable_entry", CX_PAYLOAD_TIMETABLE },
  { "timetable", CX_PAYLOAD_TIMETABLE }, { "form", CX_PAYLOAD_FORM },
  { "subject", CX_PAYLOAD_SUBJECT },     { "class", CX_PAYLOAD_CLASS },
  { "teacher", CX_PAYLOAD_TEACHER },     { "pupils", CX_PAYLOAD_PUPILS },
  { "plan", CX_PAYLOAD_PLAN },
};

typedef struct
{
  const char *p;
  const char *end;
} Scan;

void
cx_payload_init (CxPayload *self)
{
  memset (self, 0, sizeof *self);
  self->scratch = g_string_sized_new (256);
}

void
cx_payload_clear (CxPayload *self)
{
  if (self->scratch != NULL)
    g_string_free (self->scratch, TRUE);
  self->scratch = NULL;
}

static void
skip_space (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Scan *s, gunichar *out)
{
  gunichar value = 0;

  if (s->end - s->p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int digit = hex_value (s->p[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + digit;
    }
  s->p += 4;
  *out = value;
  return TRUE;
}

/* Reads a string at s->p (its opening quote) into @into, if not NULL. */
static gboolean
read_string (Scan *s, GString *into)
{
  if (s->p >= s->end || *s->p != '"')
    return FALSE;
  s->p++;
  while (s->p < s->end)
    {
      const char *run = s->p;

      while (s->p < s->end && *s->p != '"' && *s->p != '\\' && (guchar) *s->p >= 0x20)
        s->p++;
      if (into != NULL)
        g_string_append_len (into, run, s->p - run);
      if (s->p >= s->end || (guchar) *s->p < 0x20)
        return FALSE;
      if (*s->p == '"')
        {
          s->p++;
          return TRUE;
        }
      /* An escape. */
      s->p++;
      if (s->p >= s->end)
        return FALSE;
      {
        char c = *s->p++;
        gunichar u;

        switch (c)
          {
          case '"':
          case '\\':
          case '/':
            u = c;
            break;
          case 'b':
            u = '\b';
            break;
          case 'f':
            u = '\f';
            break;
          case 'n':
            u = '\n';
            break;
          case 'r':
            u = '\r';
            break;
          case 't':
            u = '\t';
            break;
          case 'u':
            if (!read_hex4 (s, &u))
              return FALSE;
            if (u >= 0xD800 && u < 0xDC00)
              {
                gunichar low;

                if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u')
                  return FALSE;
                s->p += 2;
                if (!read_hex4 (s, &low) || low < 0xDC00 || low > 0xDFFF)
                  return FALSE;
                u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
              }
            else if (u >= 0xDC00 && u < 0xE000)
              return FALSE;
            break;
          default:
            return FALSE;
          }
        if (into != NULL)
          g_string_append_unichar (into, u);
      }
    }
  return FALSE;
}

static gboolean
skip_literal (Scan *s, const char *word)
{
  gsize length = strlen (word);

  if ((gsize) (s->end - s->p) < length || memcmp (s->p, word, length) != 0)
    return FALSE;
  s->p += length;
  return TRUE;
}

static void
skip_digits (Scan *s)
{
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
}

/* A number by JSON's grammar; *out_is_int when it is a whole number that fits. */
static gboolean
read_number (Scan *s, gboolean *out_is_int, gint64 *out_int)
{
  const char *start = s->p;
  gboolean whole = TRUE;
  char buffer[24];

  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return FALSE;
  if (*s->p == '0')
    s->p++;
  else
    skip_digits (s);
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return FALSE;
      skip_digits (s);
      whole = FALSE;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return FALSE;
      skip_digits (s);
      whole = FALSE;
    }
  /* 18 digits always fit in a gint64. */
  *out_is_int = whole && s->p - start <= 18;
  if (*out_is_int)
    {
      memcpy (buffer, start, s->p - start);
      buffer[s->p - start] = '\0';
      *out_int = g_ascii_strtoll (buffer, NULL, 10);
    }
  return TRUE;
}

static gboolean skip_value (Scan *s, guint depth);

static gboolean
skip_container (Scan *s, char close, guint depth)
{
  gboolean first = TRUE;

  s->p++;
  for (;;)
    {
      skip_space (s);
      if (s->p < s->end && *s->p == close && first)
        {
          s->p++;
          return TRUE;
        }
      if (close == '}')
        {
          if (!read_string (s, NULL))
            return FALSE;
          skip_space (s);
          if (s->p >= s->end || *s->p++ != ':')
            return FALSE;
        }
      if (!skip_value (s, depth + 1))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end)
        return FALSE;
      if (*s->p == close)
        {
          s->p++;
          return TRUE;
        }
      if (*s->p++ != ',')
        return FALSE;
      first = FALSE;
    }
}

static gboolean
skip_value (Scan *s, guint depth)
{
  gboolean is_int;
  gint64 number;

  skip_space (s);
  if (s->p >= s->end || depth > 32)
    return FALSE;
  switch (*s->p)
    {
    case '"':
      return read_string (s, NULL);
    case '{':
      return skip_container (s, '}', depth);
    case '[':
      return skip_container (s, ']', depth);
    case 't':
      return skip_literal (s, "true");
    case 'f':
      return skip_literal (s, "false");
    case 'n':
      return skip_literal (s, "null");
    default:
      return read_number (s, &is_int, &number);
    }
}

static int
find_member (const char *name, gsize length)
{
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strlen (names[i].name) == length && memcmp (names[i].name, name, length) == 0)
      return names[i].member;
  return -1;
}

/* Reads the value of a member the report wants. */
static gboolean
read_member (CxPayload *self, Scan *s, CxPayloadMember member)
{
  gboolean is_int;

  skip_space (s);
  if (s->p < s->end && *s->p == '"')
    {
      gsize offset = self->scratch->len;

      if (!read_string (s, self->scratch))
        return FALSE;
      g_string_append_c (self->scratch, '\0');
      self->offset[member] = offset;
      self->type[member] =
          g_utf8_validate (self->scratch->str + offset, -1, NULL) ? TYPE_STRING : TYPE_OTHER;
      return TRUE;
    }
  if (s->p < s->end && (*s->p == '-' || g_ascii_isdigit (*s->p)))
    {
      if (!read_number (s, &is_int, &self->number[member]))
        return FALSE;
      self->type[member] = is_int ? TYPE_INT : TYPE_OTHER;
      return TRUE;
    }
  self->type[member] = TYPE_OTHER;
  return skip_value (s, 1);
}

/**
 * cx_payload_parse:
 *
 * Returns: %FALSE when @text is not a JSON object
 */
gboolean
cx_payload_parse (CxPayload *self, const char *text, gsize length)
{
  Scan s = { text, text + length };
  gboolean first = TRUE;

  memset (self->type, TYPE_NONE, sizeof self->type);
  g_string_truncate (self->scratch, 0);
  if (text == NULL)
    return FALSE;

  skip_space (&s);
  if (s.p >= s.end || *s.p++ != '{')
    return FALSE;
  for (;;)
    {
      gsize name_at = self->scratch->len;
      int member;

      skip_space (&s);
      if (first && s.p < s.end && *s.p == '}')
        {
          s.p++;
          break;
        }
      if (!read_string (&s, self->scratch))
        return FALSE;
      member = find_member (self->scratch->str + name_at, self->scratch->len - name_at);
      g_string_truncate (self->scratch, name_at);
      skip_space (&s);
      if (s.p >= s.end || *s.p++ != ':')
        return FALSE;
      if (member >= 0 ? !read_member (self, &s, member) : !skip_value (&s, 1))
        return FALSE;
      skip_space (&s);
      if (s.p >= s.end)
        return FALSE;
      if (*s.p == '}')
        {
          s.p++;
          break;
        }
      if (*s.p++ != ',')
        return FALSE;
      first = FALSE;
    }
  skip_space (&s);
  return s.p == s.end;
}

/**
 * cx_payload_is_json:
 *
 * Returns: whether @text is one JSON value (of any type), by JSON's grammar
 */
gboolean
cx_payload_is_json (const char *text, gsize length)
{
  Scan s = { text, text + length };

  if (text == NULL || !skip_value (&s, 0))
    return FALSE;
  skip_space (&s);
  return s.p == s.end;
}

/* Returns: (nullable): the member's text, if it is a string */
const char *
cx_payload_get_string (CxPayload *self, CxPayloadMember member)
{
  return self->type[member] == TYPE_STRING ? self->scratch->str + self->offset[member] : NULL;
}

/* Returns: %TRUE when the member is a whole number */
gboolean
cx_payload_get_int (CxPayload *self, CxPayloadMember member, gint64 *out_value)
{
  if (self->type[member] != TYPE_INT)
    return FALSE;
  *out_value = self->number[member];
  return TRUE;
}
