/* cx-html-text.c: the text of a simple HTML lesson, for showing without a browser engine */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cx-html-text.h"

/* HTML to plain text, good enough for the simple lessons of a package:
 * no styles, scripts or head, whitespace collapsed as a browser would,
 * block elements as line or paragraph breaks, common entities decoded. */
typedef struct
{
  GString *out;
  glong n_chars;
  int breaks;          /* newlines the output should end with before more text */
  gboolean space;      /* a space is owed before more text */
  int pre;             /* inside <pre>: whitespace is kept */
  gboolean in_heading; /* inside <h1>…<h6> */
  glong heading_start; /* where its text starts, or -1 before any */
  GArray *headings;    /* pairs of character offsets */
} HtmlText;

static void
put_char (HtmlText *t, gunichar c)
{
  if (t->out->len > 0)
    {
      int trailing = 0;

      for (gsize i = t->out->len; i > 0 && trailing < 2 && t->out->str[i - 1] == '\n'; i--)
        trailing++;
      if (t->breaks > trailing)
        {
          for (int i = trailing; i < t->breaks; i++)
            g_string_append_c (t->out, '\n');
          t->n_chars += t->breaks - trailing;
        }
      else if (t->space && trailing == 0)
        {
          g_string_append_c (t->out, ' ');
          t->n_chars++;
        }
    }
  t->breaks = 0;
  t->space = FALSE;

  if (t->in_heading && t->heading_start < 0)
    t->heading_start = t->n_chars;
  g_string_append_unichar (t->out, c);
  t->n_chars++;
}

static void
put_text_char (HtmlText *t, gunichar c)
{
  gboolean blank = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';

  if (t->pre > 0 && c != '\r')
    put_char (t, c);
  else if (blank)
    t->space = TRUE;
  else
    put_char (t, c);
}

static void
want_breaks (HtmlText *t, int breaks)
{
  t->breaks = MAX (t->breaks, breaks);
}

static const struct
{
  const char *name;
  const char *text;
} entities[] = {
  { "amp", "&" },         { "lt", "<" },         { "gt", ">" },          { "quot", "\"" },
  { "apos", "'" },        { "nbsp", "\u00a0" },  { "ensp", "\u2002" },   { "emsp", "\u2003" },
  { "mdash", "\u2014" },  { "ndash", "\u2013" }, { "hellip", "\u2026" }, { "ldquo", "\u201c" },
  { "rdquo", "\u201d" },  { "lsquo", "\u2018" }, { "rsquo", "\u2019" },  { "middot", "\u00b7" },
  { "bull", "\u2022" },   { "copy", "\u00a9" },  { "reg", "\u00ae" },    { "times", "\u00d7" },
  { "divide", "\u00f7" }, { "deg", "\u00b0" },   { "yen", "\u00a5" },    { "laquo", "\u00ab" },
  { "raquo", "\u00bb" },  { "larr", "\u2190" },  { "rarr", "\u2192" },   { "plusmn", "\u00b1" },
};

/* Decodes the entity at @p (on its '&'); returns where it ends, or NULL
 * when it is not one, and the '&' is then just text. */
static const char *
put_entity (HtmlText *t, const char *p)
{
  const char *semicolon;
  char name[16];
  gsize len;

  for (semicolon = p + 1; g_ascii_isalnum (*semicolon) || *semicolon == '#'; semicolon++)
    ;
  len = semicolon - (p + 1);
  if (*semicolon != ';' || len == 0 || len >= sizeof name)
    return NULL;
  memcpy (name, p + 1, len);
  name[len] = '\0';

  if (name[0] == '#')
    {
      gboolean hex = name[1] == 'x' || name[1] == 'X';
      char *end = NULL;
      gulong c = strtoul (name + (hex ? 2 : 1), &end, hex ? 16 : 10);

      if (end == NULL || *end != '\0' || end == name + (hex ? 2 : 1))
        return NULL;
      put_text_char (t, c > 0 && g_unichar_validate ((gunichar) c) ? (gunichar) c : 0xfffd);
      return semicolon + 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (strcmp (name, entities[i].name) == 0)
      {
        for (const char *s = entities[i].text; *s != '\0'; s = g_utf8_next_char (s))
          put_text_char (t, g_utf8_get_char (s));
        return semicolon + 1;
      }

  return NULL;
}

static gboolean
name_is (const char *name, const char *const *names)
{
  return g_strv_contains (names, name);
}

/* Handles the tag (name already lower case) that ends at @end. */
static const char *
handle_tag (HtmlText *t, const char *name, gboolean closing, gboolean self_closing, const char *end)
{
  static const char *const skipped[] = { "head",     "script", "style", "title",  "template",
                                         "noscript", "svg",    "math",  "object", NULL };
  static const char *const paragraphs[] = { "p",  "ul",     "ol",   "table",   "blockquote", "hr",
                                            "dl", "figure", "form", "address", "h1",         "h2",
                                            "h3", "h4",     "h5",   "h6",      "pre",        NULL };
  static const char *const lines[] = { "div",        "li",      "tr",     "dt",  "dd",    "section",
                                       "article",    "header",  "footer", "nav", "aside", "main",
                                       "figcaption", "caption", "body",   NULL };

  if (name_is (name, skipped) && !closing && !self_closing)
    {
      gsize len = strlen (name);

      /* Everything up to the matching end tag, or the end if it has none
       * (a <head> may legally be left open; its text is then lost). */
      for (const char *p = end; (p = strstr (p, "</")) != NULL; p += 2)
        if (g_ascii_strncasecmp (p + 2, name, len) == 0 && !g_ascii_isalnum (p[2 + len]))
          {
            const char *close = strchr (p, '>');

            return close != NULL ? close + 1 : p + strlen (p);
          }
      return strcmp (name, "head") == 0 ? end : end + strlen (end);
    }

  if (strcmp (name, "br") == 0)
    t->breaks = MIN (t->breaks + 1, 2);
  else if (strcmp (name, "td") == 0 || strcmp (name, "th") == 0)
    t->space = TRUE;
  else if (name_is (name, paragraphs))
    want_breaks (t, 2);
  else if (name_is (name, lines))
    want_breaks (t, 1);

  if (strcmp (name, "li") == 0 && !closing)
    {
      put_char (t, 0x2022);
      t->space = TRUE;
    }
  else if (strcmp (name, "pre") == 0 && !self_closing)
    t->pre = MAX (t->pre + (closing ? -1 : 1), 0);
  else if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && name[2] == '\0')
    {
      if (!closing)
        {
          t->in_heading = TRUE;
          t->heading_start = -1;
        }
      else if (t->in_heading)
        {
          if (t->heading_start >= 0)
            {
              g_array_append_val (t->headings, t->heading_start);
              g_array_append_val (t->headings, t->n_chars);
            }
          t->in_heading = FALSE;
        }
    }

  return end;
}

/* @p is on a '<'; returns where the markup ends, or NULL if it is text. */
static const char *
put_markup (HtmlText *t, const char *p)
{
  const char *name, *q;
  char lower[16];
  gboolean closing, self_closing;
  char quote = '\0';
  gsize len;

  if (g_str_has_prefix (p, "<!--"))
    {
      const char *end = strstr (p + 4, "-->");

      return end != NULL ? end + 3 : p + strlen (p);
    }
  if (p[1] == '!' || p[1] == '?')
    {
      const char *end = strchr (p, '>');

      return end != NULL ? end + 1 : p + strlen (p);
    }

  closing = p[1] == '/';
  name = p + 1 + closing;
  if (!g_ascii_isalpha (*name))
    return NULL;
  for (q = name; g_ascii_isalnum (*q); q++)
    ;
  len = q - name;

  /* The tag ends at the first '>' outside a quoted attribute value. */
  for (; *q != '\0' && (quote != '\0' || *q != '>'); q++)
    if (quote != '\0' && *q == quote)
      quote = '\0';
    else if (quote == '\0' && (*q == '"' || *q == '\''))
      quote = *q;
  self_closing = q > name && q[-1] == '/';
  if (*q == '>')
    q++;

  if (len >= sizeof lower)
    return q;
  for (gsize i = 0; i < len; i++)
    lower[i] = g_ascii_tolower (name[i]);
  lower[len] = '\0';
  return handle_tag (t, lower, closing, self_closing, q);
}

/**
 * cx_html_to_text:
 * @headings: (element-type glong): gets a start and an end character offset
 *   for each heading's text
 *
 * Returns: (transfer full): the text of @html, which must be UTF-8
 */
char *
cx_html_to_text (const char *html, GArray *headings)
{
  HtmlText t = { g_string_new (NULL), 0, 0, FALSE, 0, FALSE, -1, headings };
  const char *p = html;

  while (*p != '\0')
    {
      const char *next = NULL;

      if (*p == '<')
        next = put_markup (&t, p);
      else if (*p == '&')
        next = put_entity (&t, p);

      if (next == NULL)
        {
          put_text_char (&t, g_utf8_get_char (p));
          next = g_utf8_next_char (p);
        }
      p = next;
    }

  return g_string_free (t.out, FALSE);
}
