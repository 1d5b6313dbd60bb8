/* cx-resource-viewer.c: shows one file of a package, whatever its kind */
#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cx-html-text.h"
#include "cx-pdf-view.h"
#include "cx-resource-viewer.h"
#ifdef CX_HAVE_WEBKIT
#include "cx-html-web-view.h"
#endif

struct _CxResourceViewer
{
  GtkWidget parent_instance;

  char *path;
  char *kind;
  char *error;
  gboolean presenting;
  gboolean external_blocked; /* student mode: nothing opens outside the app */

  /* What is shown now; the rest point into it, or are NULL. */
  GtkWidget *child;
  GtkWidget *toolbar;
  CxPdfView *pdf;
  GtkWidget *page_label;
  GtkWidget *previous_button;
  GtkWidget *next_button;
  GtkWidget *browser_status;
  GtkMediaStream *media;
};

G_DEFINE_FINAL_TYPE (CxResourceViewer, cx_resource_viewer, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_PATH,
  PROP_KIND,
  PROP_ERROR,
  PROP_PRESENTING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* Text and HTML are read whole into memory; lesson texts are tiny, so
 * anything this big is not one. */
#define MAX_TEXT_SIZE (16 * 1024 * 1024)

static void
clear (CxResourceViewer *self)
{
  if (self->media != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->media, self);
      gtk_media_stream_pause (self->media);
      g_clear_object (&self->media);
    }
  if (self->pdf != NULL)
    g_signal_handlers_disconnect_by_data (self->pdf, self);

  g_clear_pointer (&self->child, gtk_widget_unparent);
  self->toolbar = NULL;
  self->pdf = NULL;
  self->page_label = NULL;
  self->previous_button = NULL;
  self->next_button = NULL;
  self->browser_status = NULL;
}

static void
set_child (CxResourceViewer *self, GtkWidget *child)
{
  self->child = child;
  gtk_widget_set_hexpand (child, TRUE);
  gtk_widget_set_vexpand (child, TRUE);
  gtk_widget_set_parent (child, GTK_WIDGET (self));
  if (self->toolbar != NULL)
    gtk_widget_set_visible (self->toolbar, !self->presenting);
}

/* Replaces whatever is shown by the reason it cannot be; also used when a
 * video fails after it was put up. */
static void
show_error (CxResourceViewer *self, const char *reason)
{
  GtkWidget *page = adw_status_page_new ();
  g_autofree char *markup = g_markup_escape_text (reason, -1);

  clear (self);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "dialog-warning-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _ ("This resource cannot be shown here"));
  adw_status_page_set_description (ADW_STATUS_PAGE (page), markup);
  set_child (self, page);

  g_free (self->error);
  self->error = g_strdup (reason);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR]);
}

static GtkWidget *
icon_button (const char *icon_name, const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return button;
}

static GtkWidget *
toolbar_new (void)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_add_css_class (toolbar, "toolbar");
  return toolbar;
}

/* A bar above the content; bar and separator hide together when presenting. */
static GtkWidget *
with_toolbar (CxResourceViewer *self, GtkWidget *toolbar, GtkWidget *content)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (top), toolbar);
  gtk_box_append (GTK_BOX (top), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), top);
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (box), content);
  self->toolbar = top;
  return box;
}

static void
show_image (CxResourceViewer *self, GFile *file, const char *name)
{
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *reason = NULL;
  GtkWidget *picture;

  texture = gdk_texture_new_from_file (file, &error);
  if (texture == NULL)
    {
      if (error->domain == G_IO_ERROR)
        reason = g_strdup_printf (_ ("“%s” could not be read: %s"), name, error->message);
      else
        reason = g_strdup_printf (_ ("“%s” is damaged or is not a picture."), name);
      show_error (self, reason);
      return;
    }

  picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_alternative_text (GTK_PICTURE (picture), name);
  gtk_widget_set_margin_start (picture, 12);
  gtk_widget_set_margin_end (picture, 12);
  gtk_widget_set_margin_top (picture, 12);
  gtk_widget_set_margin_bottom (picture, 12);
  set_child (self, picture);
}

static void
update_page_controls (CxResourceViewer *self)
{
  int n_pages = cx_pdf_view_get_n_pages (self->pdf);
  int page = cx_pdf_view_get_page (self->pdf);
  g_autofree char *text = g_strdup_printf (_ ("Page %d of %d"), page + 1, n_pages);

  gtk_label_set_text (GTK_LABEL (self->page_label), text);
  gtk_widget_set_sensitive (self->previous_button, page > 0);
  gtk_widget_set_sensitive (self->next_button, page + 1 < n_pages);
}

static void
pdf_page_changed_cb (CxPdfView *pdf, GParamSpec *pspec, CxResourceViewer *self)
{
  update_page_controls (self);
}

static void
previous_clicked_cb (GtkButton *button, CxResourceViewer *self)
{
  cx_pdf_view_previous_page (self->pdf);
}

static void
next_clicked_cb (GtkButton *button, CxResourceViewer *self)
{
  cx_pdf_view_next_page (self->pdf);
}

static void
zoom_out_clicked_cb (GtkButton *button, CxResourceViewer *self)
{
  cx_pdf_view_zoom_out (self->pdf);
}

static void
zoom_fit_clicked_cb (GtkButton *button, CxResourceViewer *self)
{
  cx_pdf_view_zoom_fit_width (self->pdf);
}

static void
zoom_in_clicked_cb (GtkButton *button, CxResourceViewer *self)
{
  cx_pdf_view_zoom_in (self->pdf);
}

static void
show_pdf (CxResourceViewer *self, GFile *file)
{
  g_autoptr (GError) error = NULL;
  GtkWidget *pdf = cx_pdf_view_new ();
  GtkWidget *toolbar, *button, *spacer;

  g_object_ref_sink (pdf);
  if (!cx_pdf_view_load (CX_PDF_VIEW (pdf), file, &error))
    {
      g_object_unref (pdf);
      show_error (self, error->message);
      return;
    }

  toolbar = toolbar_new ();
  self->previous_button = icon_button ("go-previous-symbolic", _ ("Previous Page"));
  g_signal_connect (self->previous_button, "clicked", G_CALLBACK (previous_clicked_cb), self);
  gtk_box_append (GTK_BOX (toolbar), self->previous_button);

  self->page_label = gtk_label_new (NULL);
  gtk_label_set_width_chars (GTK_LABEL (self->page_label), 12);
  gtk_box_append (GTK_BOX (toolbar), self->page_label);

  self->next_button = icon_button ("go-next-symbolic", _ ("Next Page"));
  g_signal_connect (self->next_button, "clicked", G_CALLBACK (next_clicked_cb), self);
  gtk_box_append (GTK_BOX (toolbar), self->next_button);

  spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_hexpand (spacer, TRUE);
  gtk_box_append (GTK_BOX (toolbar), spacer);

  button = icon_button ("zoom-out-symbolic", _ ("Zoom Out"));
  g_signal_connect (button, "clicked", G_CALLBACK (zoom_out_clicked_cb), self);
  gtk_box_append (GTK_BOX (toolbar), button);
  button = icon_button ("zoom-fit-best-symbolic", _ ("Fit Width"));
  g_signal_connect (button, "clicked", G_CALLBACK (zoom_fit_clicked_cb), self);
  gtk_box_append (GTK_BOX (toolbar), button);
  button = icon_button ("zoom-in-symbolic", _ ("Zoom In"));
  g_signal_connect (button, "clicked", G_CALLBACK (zoom_in_clicked_cb), self);
  gtk_box_append (GTK_BOX (toolbar), button);

  self->pdf = CX_PDF_VIEW (pdf);
  cx_pdf_view_set_presenting (self->pdf, self->presenting);
  g_signal_connect (pdf, "notify::page", G_CALLBACK (pdf_page_changed_cb), self);
  g_signal_connect (pdf, "notify::n-pages", G_CALLBACK (pdf_page_changed_cb), self);
  update_page_controls (self);

  set_child (self, with_toolbar (self, toolbar, pdf));
  g_object_unref (pdf);
}

static void
media_error_cb (GtkMediaStream *media, GParamSpec *pspec, CxResourceViewer *self)
{
  /* Held while show_error() drops the video and its stream. */
  g_autoptr (GtkMediaStream) hold = g_object_ref (media);
  const GError *error = gtk_media_stream_get_error (media);
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;

  if (error == NULL)
    return;
  /* GStreamer's message names its elements; that is for the log only. */
  g_message ("Cannot play %s: %s", self->path, error->message);
  name = g_filename_display_basename (self->path);
  reason = g_strdup_printf (
      _ ("“%s” cannot be played: it is damaged, or in a format this computer cannot play."), name);
  show_error (self, reason);
}

/* A sound has no picture: name it above the play button, letting clicks
 * through to the video underneath. */
static GtkWidget *
sound_overlay (GtkWidget *video, const char *name)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("audio-x-generic-symbolic");
  GtkWidget *label = gtk_label_new (name);

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 96);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (label, "title-2");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (box, "osd");
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (box, GTK_ALIGN_START);
  gtk_widget_set_margin_top (box, 48);
  gtk_widget_set_can_target (box, FALSE);

  gtk_overlay_set_child (GTK_OVERLAY (overlay), video);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), box);
  return overlay;
}

static void
show_media (CxResourceViewer *self, const char *name, gboolean sound)
{
  GtkMediaStream *media = gtk_media_file_new_for_filename (self->path);
  GtkWidget *video;

  /* Without a media backend the stream fails at once. */
  if (gtk_media_stream_get_error (media) != NULL)
    {
      self->media = media;
      media_error_cb (media, NULL, self);
      return;
    }

  video = gtk_video_new ();
  gtk_video_set_autoplay (GTK_VIDEO (video), FALSE);
  gtk_video_set_loop (GTK_VIDEO (video), FALSE);
  gtk_video_set_media_stream (GTK_VIDEO (video), media);
  gtk_accessible_update_property (GTK_ACCESSIBLE (video), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  self->media = media;
  g_signal_connect (media, "notify::error", G_CALLBACK (media_error_cb), self);
  set_child (self, sound ? sound_overlay (video, name) : video);
}

/* Reads a whole text file that must be UTF-8; @reason gets why not. */
static char *
load_text (GFile *file, const char *name, char **reason)
{
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL,
                            &error);
  if (info != NULL && g_file_info_get_size (info) > MAX_TEXT_SIZE)
    {
      *reason = g_strdup_printf (_ ("“%s” is too large to show here."), name);
      return NULL;
    }

  if (info == NULL || !g_file_load_contents (file, NULL, &contents, &length, NULL, &error))
    {
      *reason = g_strdup_printf (_ ("“%s” could not be read: %s"), name, error->message);
      return NULL;
    }

  /* Also refuses NUL bytes, which only binary files have. */
  if (!g_utf8_validate (contents, length, NULL))
    {
      *reason = g_strdup_printf (_ ("“%s” is not UTF-8 text, so it cannot be shown here."), name);
      return NULL;
    }

  /* A byte order mark is not text to show. */
  if (g_str_has_prefix (contents, "\xef\xbb\xbf"))
    memmove (contents, contents + 3, length - 2);

  return g_steal_pointer (&contents);
}

static GtkWidget *
text_view_new (GtkTextBuffer *buffer, const char *name)
{
  GtkWidget *view = gtk_text_view_new_with_buffer (buffer);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 24);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 24);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 18);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 18);
  gtk_text_view_set_pixels_inside_wrap (GTK_TEXT_VIEW (view), 4);
  gtk_text_view_set_pixels_below_lines (GTK_TEXT_VIEW (view), 4);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  return scrolled;
}

static void
show_text (CxResourceViewer *self, GFile *file, const char *name)
{
  g_autoptr (GtkTextBuffer) buffer = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *text = load_text (file, name, &reason);

  if (text == NULL)
    {
      show_error (self, reason);
      return;
    }

  buffer = gtk_text_buffer_new (NULL);
  gtk_text_buffer_set_text (buffer, text, -1);
  set_child (self, text_view_new (buffer, name));
}

static void
show_uri_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtkWidget) status = user_data;
  g_autoptr (GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    {
      g_autofree char *text =
          g_strdup_printf (_ ("Could not open a web browser: %s"), error->message);

      gtk_label_set_text (GTK_LABEL (status), text);
      gtk_widget_set_visible (status, TRUE);
    }
}

static void
open_in_browser_cb (GtkButton *button, CxResourceViewer *self)
{
  g_autoptr (GFile) file = g_file_new_for_path (self->path);
  g_autofree char *uri = g_file_get_uri (file);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  gtk_widget_set_visible (self->browser_status, FALSE);
  /* gtk_show_uri() with a way to tell the teacher when no browser opened. */
  gtk_show_uri_full (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME, NULL,
                     show_uri_done_cb, g_object_ref (self->browser_status));
}

#ifdef CX_HAVE_WEBKIT
static void
html_failed_cb (const char *reason, gpointer user_data)
{
  show_error (CX_RESOURCE_VIEWER (user_data), reason);
}
#endif

/* With WebKit, the page as its author made it; without, its text, and a
 * button for the system browser. */
static void
show_html (CxResourceViewer *self, GFile *file, const char *name)
{
  g_autoptr (GtkTextBuffer) buffer = NULL;
  g_autoptr (GArray) headings = g_array_new (FALSE, FALSE, sizeof (glong));
  g_autofree char *reason = NULL;
  g_autofree char *html = load_text (file, name, &reason);
  g_autofree char *text = NULL;
  GtkWidget *toolbar, *button;

  if (html == NULL)
    {
      show_error (self, reason);
      return;
    }

#ifdef CX_HAVE_WEBKIT
  {
    GtkWidget *web_view = cx_html_web_view_new (html, file, name, html_failed_cb, self);

    if (self->external_blocked)
      cx_html_web_view_block_external (web_view);
    set_child (self, web_view);
    return;
  }
#endif

  text = cx_html_to_text (html, headings);
  buffer = gtk_text_buffer_new (NULL);
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_text_buffer_create_tag (buffer, "heading", "weight", PANGO_WEIGHT_BOLD, "scale", 1.6,
                              "pixels-below-lines", 8, NULL);
  for (guint i = 0; i + 1 < headings->len; i += 2)
    {
      GtkTextIter start, end;

      gtk_text_buffer_get_iter_at_offset (buffer, &start, g_array_index (headings, glong, i));
      gtk_text_buffer_get_iter_at_offset (buffer, &end, g_array_index (headings, glong, i + 1));
      gtk_text_buffer_apply_tag_by_name (buffer, "heading", &start, &end);
    }

  if (self->external_blocked)
    {
      set_child (self, text_view_new (buffer, name));
      return;
    }
  toolbar = toolbar_new ();
  button = gtk_button_new_with_label (_ ("Open in Browser"));
  gtk_widget_set_tooltip_text (button, _ ("Show this page with its pictures and layout"));
  g_signal_connect (button, "clicked", G_CALLBACK (open_in_browser_cb), self);
  gtk_box_append (GTK_BOX (toolbar), button);

  self->browser_status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->browser_status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->browser_status), 0);
  gtk_widget_set_hexpand (self->browser_status, TRUE);
  gtk_widget_add_css_class (self->browser_status, "error");
  gtk_widget_set_visible (self->browser_status, FALSE);
  gtk_box_append (GTK_BOX (toolbar), self->browser_status);

  set_child (self, with_toolbar (self, toolbar, text_view_new (buffer, name)));
}

/* For callers that do not know the kind: by content type, as the
 * extension table of the library would have said. */
static const char *
guess_kind (const char *path)
{
  g_autofree char *type = g_content_type_guess (path, NULL, 0, NULL);
  g_autofree char *mime = g_content_type_get_mime_type (type);

  if (mime == NULL)
    return "file";
  if (strcmp (mime, "application/pdf") == 0)
    return "pdf";
  if (strcmp (mime, "text/html") == 0 || strcmp (mime, "application/xhtml+xml") == 0)
    return "html";
  if (strcmp (mime, "application/json") == 0)
    return "data";
  if (g_str_has_prefix (mime, "image/"))
    return "image";
  if (g_str_has_prefix (mime, "video/"))
    return "video";
  if (g_str_has_prefix (mime, "audio/"))
    return "audio";
  if (g_str_has_prefix (mime, "text/"))
    return "text";
  return "file";
}

/**
 * cx_resource_viewer_show:
 * @path: (nullable): the file to show, or %NULL to show nothing
 * @kind: (nullable): what it is, as cx_resource_kind_for_path() says:
 *   "pdf", "image", "video", "audio", "html", "text", "data" or "file";
 *   %NULL to guess from the file name
 *
 * Shows @path, or says on the page why it cannot; then
 * cx_resource_viewer_get_error() has that reason.  A video that turns out
 * to be unplayable is only found out once the media backend has tried.
 */
void
cx_resource_viewer_show (CxResourceViewer *self, const char *path, const char *kind)
{
  g_autoptr (GFile) file = NULL;
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;
  gboolean had_error;
  GFileType type;

  g_return_if_fail (CX_IS_RESOURCE_VIEWER (self));

  g_object_freeze_notify (G_OBJECT (self));
  had_error = self->error != NULL;
  clear (self);
  g_clear_pointer (&self->error, g_free);
  if (had_error)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR]);

  g_free (self->path);
  self->path = g_strdup (path);
  g_free (self->kind);
  self->kind = path == NULL ? NULL : g_strdup (kind != NULL ? kind : guess_kind (path));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PATH]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_KIND]);

  if (path == NULL)
    goto out;

  file = g_file_new_for_path (path);
  name = g_filename_display_basename (path);
  type = g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL);

  if (type == G_FILE_TYPE_UNKNOWN)
    reason = g_strdup_printf (_ ("The file “%s” is missing."), name);
  else if (type != G_FILE_TYPE_REGULAR && type != G_FILE_TYPE_SYMBOLIC_LINK)
    reason = g_strdup_printf (_ ("“%s” is not a file."), name);
  else if (strcmp (self->kind, "pdf") == 0)
    show_pdf (self, file);
  else if (strcmp (self->kind, "image") == 0)
    show_image (self, file, name);
  else if (strcmp (self->kind, "video") == 0 || strcmp (self->kind, "audio") == 0)
    show_media (self, name, strcmp (self->kind, "audio") == 0);
  else if (strcmp (self->kind, "text") == 0)
    show_text (self, file, name);
  else if (strcmp (self->kind, "html") == 0)
    show_html (self, file, name);
  else
    reason = g_strdup_printf (_ ("Cunxiao cannot show files of this type (“%s”)."), name);

  if (reason != NULL)
    show_error (self, reason);

out:
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * cx_resource_viewer_get_path:
 *
 * Returns: (nullable): the file last given to cx_resource_viewer_show()
 */
const char *
cx_resource_viewer_get_path (CxResourceViewer *self)
{
  g_return_val_if_fail (CX_IS_RESOURCE_VIEWER (self), NULL);
  return self->path;
}

/**
 * cx_resource_viewer_get_kind:
 *
 * Returns: (nullable): the kind it is shown as (guessed if none was given)
 */
const char *
cx_resource_viewer_get_kind (CxResourceViewer *self)
{
  g_return_val_if_fail (CX_IS_RESOURCE_VIEWER (self), NULL);
  return self->kind;
}

/**
 * cx_resource_viewer_get_error:
 *
 * Returns: (nullable): why the file cannot be shown, as the page says it;
 *   %NULL while it is shown fine (or nothing is shown)
 */
const char *
cx_resource_viewer_get_error (CxResourceViewer *self)
{
  g_return_val_if_fail (CX_IS_RESOURCE_VIEWER (self), NULL);
  return self->error;
}

/**
 * cx_resource_viewer_next_page:
 *
 * Returns: %FALSE when there is no next page: at the end of a PDF, or for
 *   anything that is not a PDF
 */
gboolean
cx_resource_viewer_next_page (CxResourceViewer *self)
{
  g_return_val_if_fail (CX_IS_RESOURCE_VIEWER (self), FALSE);
  return self->pdf != NULL && cx_pdf_view_next_page (self->pdf);
}

/**
 * cx_resource_viewer_previous_page:
 *
 * Returns: %FALSE when there is no previous page
 */
gboolean
cx_resource_viewer_previous_page (CxResourceViewer *self)
{
  g_return_val_if_fail (CX_IS_RESOURCE_VIEWER (self), FALSE);
  return self->pdf != NULL && cx_pdf_view_previous_page (self->pdf);
}

gboolean
cx_resource_viewer_get_presenting (CxResourceViewer *self)
{
  g_return_val_if_fail (CX_IS_RESOURCE_VIEWER (self), FALSE);
  return self->presenting;
}

/**
 * cx_resource_viewer_set_presenting:
 *
 * For teach mode: black around the material, no toolbars, a PDF page fitted
 * whole to the screen.
 */
void
cx_resource_viewer_set_presenting (CxResourceViewer *self, gboolean presenting)
{
  g_return_if_fail (CX_IS_RESOURCE_VIEWER (self));

  presenting = !!presenting;
  if (presenting == self->presenting)
    return;

  self->presenting = presenting;
  if (self->toolbar != NULL)
    gtk_widget_set_visible (self->toolbar, !presenting);
  if (self->pdf != NULL)
    cx_pdf_view_set_presenting (self->pdf, presenting);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PRESENTING]);
}

static void
cx_resource_viewer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  CxResourceViewer *self = CX_RESOURCE_VIEWER (widget);

  if (self->presenting)
    {
      GdkRGBA black = { 0, 0, 0, 1 };

      gtk_snapshot_append_color (snapshot, &black,
                                 &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                      gtk_widget_get_height (widget)));
    }
  GTK_WIDGET_CLASS (cx_resource_viewer_parent_class)->snapshot (widget, snapshot);
}

/* GtkWidget does not pass on its children's wish to expand; a viewer
 * wants the room its content does. */
static void
cx_resource_viewer_compute_expand (GtkWidget *widget, gboolean *hexpand, gboolean *vexpand)
{
  GtkWidget *child = CX_RESOURCE_VIEWER (widget)->child;

  *hexpand = child != NULL && gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL);
  *vexpand = child != NULL && gtk_widget_compute_expand (child, GTK_ORIENTATION_VERTICAL);
}

static void
cx_resource_viewer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CxResourceViewer *self = CX_RESOURCE_VIEWER (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_PRESENTING:
      g_value_set_boolean (value, self->presenting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cx_resource_viewer_set_property (GObject *object,
                                 guint prop_id,
                                 const GValue *value,
                                 GParamSpec *pspec)
{
  CxResourceViewer *self = CX_RESOURCE_VIEWER (object);

  switch (prop_id)
    {
    case PROP_PRESENTING:
      cx_resource_viewer_set_presenting (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cx_resource_viewer_dispose (GObject *object)
{
  clear (CX_RESOURCE_VIEWER (object));
  G_OBJECT_CLASS (cx_resource_viewer_parent_class)->dispose (object);
}

static void
cx_resource_viewer_finalize (GObject *object)
{
  CxResourceViewer *self = CX_RESOURCE_VIEWER (object);

  g_free (self->path);
  g_free (self->kind);
  g_free (self->error);
  G_OBJECT_CLASS (cx_resource_viewer_parent_class)->finalize (object);
}

static void
cx_resource_viewer_class_init (CxResourceViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cx_resource_viewer_get_property;
  object_class->set_property = cx_resource_viewer_set_property;
  object_class->dispose = cx_resource_viewer_dispose;
  object_class->finalize = cx_resource_viewer_finalize;
  widget_class->snapshot = cx_resource_viewer_snapshot;
  widget_class->compute_expand = cx_resource_viewer_compute_expand;

  props[PROP_PATH] =
      g_param_spec_string ("path", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_KIND] =
      g_param_spec_string ("kind", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_ERROR] =
      g_param_spec_string ("error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_PRESENTING] =
      g_param_spec_boolean ("presenting", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cxresourceviewer");
}

static void
cx_resource_viewer_init (CxResourceViewer *self)
{
}

GtkWidget *
cx_resource_viewer_new (void)
{
  return g_object_new (CX_TYPE_RESOURCE_VIEWER, NULL);
}

/**
 * cx_resource_viewer_block_external:
 *
 * Offers nothing that opens outside the app (no "Open in Browser", no
 * link to the system browser from an HTML lesson): in student mode a pupil
 * stays in the class's courses. For files shown from now on.
 */
void
cx_resource_viewer_block_external (CxResourceViewer *self)
{
  g_return_if_fail (CX_IS_RESOURCE_VIEWER (self));
  self->external_blocked = TRUE;
}
