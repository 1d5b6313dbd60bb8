/* test-html-text.c: the text shown for an HTML lesson when no browser engine is built in */
#include "config.h"

#include <glib.h>

#include "cx-html-text.h"

static char *
text_of (const char *html, GArray **headings_out)
{
  g_autoptr (GArray) headings = g_array_new (FALSE, FALSE, sizeof (glong));
  char *text = cx_html_to_text (html, headings);

  if (headings_out != NULL)
    *headings_out = g_steal_pointer (&headings);
  return text;
}

static void
test_lesson_page (void)
{
  const char *html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                     "<title>静夜思</title><style>p { color: red }</style></head>\n"
                     "<body>\n  <h1>静夜思</h1>\n  <p>床前明月光，\n    疑是地上霜。</p>\n"
                     "<script>alert('x < y')</script>"
                     "<ul><li>举头望明月</li><li>低头思故乡</li></ul></body></html>\n";
  g_autoptr (GArray) headings = NULL;
  g_autofree char *text = text_of (html, &headings);

  /* No head, title, style or script; whitespace collapsed; blocks as breaks. */
  g_assert_cmpstr (text, ==, "静夜思\n\n床前明月光， 疑是地上霜。\n\n• 举头望明月\n• 低头思故乡");
  g_assert_cmpuint (headings->len, ==, 2);
  g_assert_cmpint (g_array_index (headings, glong, 0), ==, 0);
  g_assert_cmpint (g_array_index (headings, glong, 1), ==, 3);
}

static void
test_entities (void)
{
  g_autofree char *text = text_of ("<p>a &amp; b &lt;c&gt; &#20013;&#x6587; &hellip; &bogus; "
                                   "& &#xZZ; &#0;</p>",
                                   NULL);

  /* Known entities decoded, unknown ones left as text, U+0000 replaced. */
  g_assert_cmpstr (text, ==, "a & b <c> 中文 … &bogus; & &#xZZ; \ufffd");
}

static void
test_pre_and_breaks (void)
{
  g_autofree char *pre = text_of ("<p>x</p><pre>  a\n   b</pre><p>y<br>z<br><br><br>w</p>", NULL);
  g_autofree char *cells = text_of ("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr>"
                                    "</table>",
                                    NULL);

  /* <pre> keeps its whitespace; <br> breaks lines, at most one empty line. */
  g_assert_cmpstr (pre, ==, "x\n\n  a\n   b\n\ny\nz\n\nw");
  g_assert_cmpstr (cells, ==, "1 2\n3");
}

static void
test_broken_markup (void)
{
  /* Whatever a package holds, the result is valid UTF-8 and nothing is read past the end. */
  const char *cases[][2] = {
    { "a < b", "a < b" },
    { "<p title='>'>q</p>", "q" },
    { "<p><!-- hidden --> seen", "seen" },
    { "text <!-- never closed", "text" },
    { "<script>never closed", "" },
    { "<head><p>kept when head is left open", "kept when head is left open" },
    { "<a href=\"unterminated", "" },
    { "<averyveryverylongtagname>x", "x" },
    { "<h2></h2>after", "after" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GArray) headings = NULL;
      g_autofree char *text = text_of (cases[i][0], &headings);

      g_assert_true (g_utf8_validate (text, -1, NULL));
      g_assert_cmpstr (text, ==, cases[i][1]);
      if (i == 8)
        g_assert_cmpuint (headings->len, ==, 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cx/html-text/lesson-page", test_lesson_page);
  g_test_add_func ("/cx/html-text/entities", test_entities);
  g_test_add_func ("/cx/html-text/pre-and-breaks", test_pre_and_breaks);
  g_test_add_func ("/cx/html-text/broken-markup", test_broken_markup);
  return g_test_run ();
}
