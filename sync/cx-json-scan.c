/* cx-json-scan.c: a strict JSON reader that builds no tree
 *
 * RFC 8259 exactly: no comments, no trailing commas, no leading zeros or
 * plus signs, no raw control characters in strings. On top of it the rules
 * every signed or stored document here follows: valid UTF-8, no \u0000, no
 * lone surrogate, no member name twice in one object.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-json-scan-private.h"
#include "cx-sync-error.h"

/* Objects this small are checked for duplicates pair by pair; larger ones
 * through a hash set, so a crafted object cannot cost quadratic time. */
#define SMALL_OBJECT 16

typedef struct
{
  const char *name;
  gsize length;
} Name;

void
_cx_json_scan_init (CxJsonScan *scan, const char *data, gsize length)
{
  scan->start = data;
  scan->p = data;
  scan->end = data + length;
  scan->depth = 0;
}

gboolean
_cx_json_scan_fail (CxJsonScan *scan, GError **error, const char *what)
{
  g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED, _ ("Malformed JSON at byte %u: %s"),
               (guint) (scan->p - scan->start), what);
  return FALSE;
}

void
_cx_json_scan_skip_space (CxJsonScan *scan)
{
  while (scan->p < scan->end &&
         (*scan->p == ' ' || *scan->p == '\n' || *scan->p == '\r' || *scan->p == '\t'))
    scan->p++;
}

gboolean
_cx_json_scan_at_end (CxJsonScan *scan)
{
  _cx_json_scan_skip_space (scan);
  return scan->p == scan->end;
}

/* Skips space, then takes @c if it is next. */
gboolean
_cx_json_scan_take (CxJsonScan *scan, char c)
{
  _cx_json_scan_skip_space (scan);
  if (scan->p < scan->end && *scan->p == c)
    {
      scan->p++;
      return TRUE;
    }
  return FALSE;
}

static int
hex_value (char c)
{
  return g_ascii_xdigit_value (c);
}

/* The four hex digits at @p, or -1. */
static int
read_hex4 (const char *p, const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = hex_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* At the backslash of a \u escape: checks the escape (and its pair, for
 * a surrogate) and stores the code point. */
static gboolean
read_unicode_escape (CxJsonScan *scan, gunichar *out, GError **error)
{
  int high = read_hex4 (scan->p + 2, scan->end);

  if (high < 0)
    return _cx_json_scan_fail (scan, error, _ ("a \\u escape needs four hex digits"));
  scan->p += 6;
  if (high == 0)
    return _cx_json_scan_fail (scan, error, _ ("a string contains a NUL character"));
  if (high >= 0xdc00 && high <= 0xdfff)
    return _cx_json_scan_fail (scan, error, _ ("a string holds half a surrogate pair"));
  if (high >= 0xd800 && high <= 0xdbff)
    {
      int low = scan->end - scan->p >= 6 && scan->p[0] == '\\' && scan->p[1] == 'u'
                    ? read_hex4 (scan->p + 2, scan->end)
                    : -1;

      if (low < 0xdc00 || low > 0xdfff)
        return _cx_json_scan_fail (scan, error, _ ("a string holds half a surrogate pair"));
      scan->p += 6;
      *out = 0x10000 + (((gunichar) high - 0xd800) << 10) + ((gunichar) low - 0xdc00);
      return TRUE;
    }
  *out = (gunichar) high;
  return TRUE;
}

/* Reads one string; with @decoded, also its value. The text must already be
 * known to be valid UTF-8. */
static gboolean
read_string (CxJsonScan *scan,
             const char **out_start,
             gsize *out_length,
             gboolean *out_escaped,
             GString *decoded,
             GError **error)
{
  const char *start;
  gboolean escaped = FALSE;

  if (!_cx_json_scan_take (scan, '"'))
    return _cx_json_scan_fail (scan, error, _ ("a string was expected"));
  start = scan->p;
  while (scan->p < scan->end)
    {
      guchar c = (guchar) *scan->p;

      if (c == '"')
        {
          *out_start = start;
          *out_length = (gsize) (scan->p - start);
          *out_escaped = escaped;
          scan->p++;
          return TRUE;
        }
      if (c < 0x20)
        return _cx_json_scan_fail (scan, error, _ ("a string holds a raw control character"));
      if (c != '\\')
        {
          if (decoded != NULL)
            g_string_append_c (decoded, (char) c);
          scan->p++;
          continue;
        }

      escaped = TRUE;
      if (scan->end - scan->p < 2)
        break;
      switch (scan->p[1])
        {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          if (decoded != NULL)
            g_string_append_c (decoded, scan->p[1]);
          scan->p += 2;
          break;
        case 'u':
          {
            gunichar ch = 0;

            if (!read_unicode_escape (scan, &ch, error))
              return FALSE;
            if (decoded != NULL)
              g_string_append_unichar (decoded, ch);
            break;
          }
        default:
          return _cx_json_scan_fail (scan, error, _ ("a string holds an unknown escape"));
        }
    }
  return _cx_json_scan_fail (scan, error, _ ("a string is not closed"));
}

gboolean
_cx_json_scan_string (CxJsonScan *scan,
                      const char **out_start,
                      gsize *out_length,
                      gboolean *out_escaped,
                      GError **error)
{
  return read_string (scan, out_start, out_length, out_escaped, NULL, error);
}

static gboolean
is_digit (CxJsonScan *scan)
{
  return scan->p < scan->end && g_ascii_isdigit (*scan->p);
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
read_number (CxJsonScan *scan, gboolean *out_integer, GError **error)
{
  *out_integer = TRUE;
  _cx_json_scan_take (scan, '-');
  if (!is_digit (scan))
    return _cx_json_scan_fail (scan, error, _ ("a number was expected"));
  if (*scan->p == '0')
    {
      scan->p++;
      if (is_digit (scan))
        return _cx_json_scan_fail (scan, error, _ ("a number has a leading zero"));
    }
  while (is_digit (scan))
    scan->p++;
  if (scan->p < scan->end && *scan->p == '.')
    {
      *out_integer = FALSE;
      scan->p++;
      if (!is_digit (scan))
        return _cx_json_scan_fail (scan, error, _ ("a number has no digits after its point"));
      while (is_digit (scan))
        scan->p++;
    }
  if (scan->p < scan->end && (*scan->p == 'e' || *scan->p == 'E'))
    {
      *out_integer = FALSE;
      scan->p++;
      if (scan->p < scan->end && (*scan->p == '+' || *scan->p == '-'))
        scan->p++;
      if (!is_digit (scan))
        return _cx_json_scan_fail (scan, error, _ ("a number has no digits in its exponent"));
      while (is_digit (scan))
        scan->p++;
    }
  return TRUE;
}

gboolean
_cx_json_scan_int (CxJsonScan *scan, gint64 *out, GError **error)
{
  const char *start;
  gboolean integer = FALSE;
  g_autofree char *text = NULL;

  _cx_json_scan_skip_space (scan);
  start = scan->p;
  if (!read_number (scan, &integer, error))
    return FALSE;
  if (!integer)
    return _cx_json_scan_fail (scan, error, _ ("an integer was expected"));
  text = g_strndup (start, (gsize) (scan->p - start));
  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, out, NULL))
    return _cx_json_scan_fail (scan, error, _ ("an integer is out of range"));
  return TRUE;
}

static gboolean
take_word (CxJsonScan *scan, const char *word)
{
  gsize length = strlen (word);

  if ((gsize) (scan->end - scan->p) < length || memcmp (scan->p, word, length) != 0)
    return FALSE;
  scan->p += length;
  return TRUE;
}

static guint
name_hash (gconstpointer key)
{
  const Name *name = key;
  guint hash = 5381;

  for (gsize i = 0; i < name->length; i++)
    hash = hash * 33 + (guchar) name->name[i];
  return hash;
}

static gboolean
name_equal (gconstpointer a, gconstpointer b)
{
  const Name *x = a, *y = b;

  return x->length == y->length && memcmp (x->name, y->name, x->length) == 0;
}

typedef struct
{
  Name small[SMALL_OBJECT];
  guint n_names;
  GHashTable *large;   /* Name → itself, once past SMALL_OBJECT */
  GStringChunk *texts; /* names with escapes, decoded */
} Names;

static void
names_clear (Names *names)
{
  g_clear_pointer (&names->large, g_hash_table_unref);
  g_clear_pointer (&names->texts, g_string_chunk_free);
}

/* FALSE when @name was seen before in this object. */
static gboolean
names_add (Names *names, Name name)
{
  Name *stored;

  if (names->large == NULL && names->n_names < SMALL_OBJECT)
    {
      for (guint i = 0; i < names->n_names; i++)
        if (name_equal (&names->small[i], &name))
          return FALSE;
      names->small[names->n_names++] = name;
      return TRUE;
    }
  if (names->large == NULL)
    {
      names->large = g_hash_table_new_full (name_hash, name_equal, g_free, NULL);
      for (guint i = 0; i < names->n_names; i++)
        {
          stored = g_memdup2 (&names->small[i], sizeof (Name));
          g_hash_table_add (names->large, stored);
        }
    }
  stored = g_memdup2 (&name, sizeof (Name));
  if (!g_hash_table_add (names->large, stored))
    return FALSE;
  return TRUE;
}

static gboolean read_value (CxJsonScan *scan, GError **error);

static gboolean
read_member_name (CxJsonScan *scan, Names *names, GError **error)
{
  Name name;
  gboolean escaped = FALSE;
  g_autoptr (GString) decoded = NULL;
  const char *before = scan->p;

  if (!read_string (scan, &name.name, &name.length, &escaped, NULL, error))
    return FALSE;
  if (escaped)
    {
      /* Compare names by value: "a" and "\u0061" are the same member. */
      scan->p = before;
      decoded = g_string_new (NULL);
      if (!read_string (scan, &name.name, &name.length, &escaped, decoded, error))
        return FALSE;
      if (names->texts == NULL)
        names->texts = g_string_chunk_new (256);
      name.name = g_string_chunk_insert_len (names->texts, decoded->str, (gssize) decoded->len);
      name.length = decoded->len;
    }
  if (!names_add (names, name))
    return _cx_json_scan_fail (scan, error, _ ("a member name appears twice in one object"));
  if (!_cx_json_scan_take (scan, ':'))
    return _cx_json_scan_fail (scan, error, _ ("“:” was expected after a member name"));
  return TRUE;
}

static gboolean
read_object (CxJsonScan *scan, GError **error)
{
  Names names = { 0 };
  gboolean ok = TRUE;

  if (_cx_json_scan_take (scan, '}'))
    return TRUE;
  do
    ok = read_member_name (scan, &names, error) && read_value (scan, error);
  while (ok && _cx_json_scan_take (scan, ','));
  names_clear (&names);
  if (ok && !_cx_json_scan_take (scan, '}'))
    ok = _cx_json_scan_fail (scan, error, _ ("“,” or “}” was expected"));
  return ok;
}

static gboolean
read_array (CxJsonScan *scan, GError **error)
{
  if (_cx_json_scan_take (scan, ']'))
    return TRUE;
  do
    if (!read_value (scan, error))
      return FALSE;
  while (_cx_json_scan_take (scan, ','));
  if (!_cx_json_scan_take (scan, ']'))
    return _cx_json_scan_fail (scan, error, _ ("“,” or “]” was expected"));
  return TRUE;
}

static gboolean
read_value (CxJsonScan *scan, GError **error)
{
  const char *start;
  gsize length;
  gboolean escaped, integer, ok;

  _cx_json_scan_skip_space (scan);
  if (scan->p == scan->end)
    return _cx_json_scan_fail (scan, error, _ ("the text ends where a value was expected"));
  switch (*scan->p)
    {
    case '{':
    case '[':
      if (scan->depth >= CX_JSON_SCAN_MAX_DEPTH)
        return _cx_json_scan_fail (scan, error, _ ("values are nested too deeply"));
      scan->depth++;
      ok = *scan->p++ == '{' ? read_object (scan, error) : read_array (scan, error);
      scan->depth--;
      return ok;
    case '"':
      return read_string (scan, &start, &length, &escaped, NULL, error);
    case 't':
    case 'f':
    case 'n':
      if (take_word (scan, "true") || take_word (scan, "false") || take_word (scan, "null"))
        return TRUE;
      return _cx_json_scan_fail (scan, error, _ ("a value was expected"));
    default:
      return read_number (scan, &integer, error);
    }
}

/**
 * _cx_json_scan_value:
 *
 * Checks one value of any kind, skipping the space before it; afterwards
 * @scan points just past it.
 */
gboolean
_cx_json_scan_value (CxJsonScan *scan, GError **error)
{
  return read_value (scan, error);
}
