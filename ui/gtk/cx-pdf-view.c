/* cx-pdf-view.c: a scrollable, zoomable view of one PDF page at a time */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <poppler.h>

#include "cx-pdf-view.h"

struct _CxPdfView
{
  GtkWidget parent_instance;

  GtkWidget *scrolled;
  GtkWidget *canvas;

  PopplerDocument *document;
  PopplerPage *current;
  int n_pages;
  int page;

  double zoom;
  gboolean fit_width;
  gboolean presenting;
};

G_DEFINE_FINAL_TYPE (CxPdfView, cx_pdf_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_N_PAGES,
  PROP_PAGE,
  PROP_ZOOM,
  PROP_FIT_WIDTH,
  PROP_PRESENTING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

#define MARGIN      16.0
#define MIN_ZOOM    0.25
#define MAX_ZOOM    4.0
#define MIN_FIT     0.05
#define ZOOM_STEP   1.25
#define SCROLL_STEP 48.0

/* An A4 page stands in while nothing is loaded. */
#define DEFAULT_PAGE_WIDTH  595.0
#define DEFAULT_PAGE_HEIGHT 842.0

static void
page_size (CxPdfView *self, double *width, double *height)
{
  *width = DEFAULT_PAGE_WIDTH;
  *height = DEFAULT_PAGE_HEIGHT;
  if (self->current != NULL)
    poppler_page_get_size (self->current, width, height);
  /* A broken MediaBox must not divide by zero later. */
  if (*width < 1.0 || *height < 1.0)
    {
      *width = DEFAULT_PAGE_WIDTH;
      *height = DEFAULT_PAGE_HEIGHT;
    }
}

/* When fitting, the canvas asks for no width (the viewport gives it all
 * the visible width) and, in presenting mode, no height either, so the
 * zoom can follow whatever space the view is given. */
static void
update_canvas_size (CxPdfView *self)
{
  GtkDrawingArea *area = GTK_DRAWING_AREA (self->canvas);
  double width, height;

  page_size (self, &width, &height);
  if (self->document == NULL)
    {
      gtk_drawing_area_set_content_width (area, 0);
      gtk_drawing_area_set_content_height (area, 0);
      return;
    }

  if (self->fit_width)
    gtk_drawing_area_set_content_width (area, 0);
  else
    gtk_drawing_area_set_content_width (area, (int) ceil (width * self->zoom + 2 * MARGIN));

  if (self->fit_width && self->presenting)
    gtk_drawing_area_set_content_height (area, 0);
  else
    gtk_drawing_area_set_content_height (area, (int) ceil (height * self->zoom + 2 * MARGIN));
}

/* Fitting follows the size the view is given: the zoom, and so the size
 * of the canvas, is settled here before the scrolled window is allocated,
 * so the canvas is measured afresh in the same pass. */
static void
update_fit_zoom (CxPdfView *self, int view_width, int view_height)
{
  double width, height, zoom;

  if (!self->fit_width || view_width <= 0 || view_height <= 0)
    return;

  page_size (self, &width, &height);
  zoom = (view_width - 2 * MARGIN) / width;
  if (self->presenting)
    zoom = MIN (zoom, (view_height - 2 * MARGIN) / height);
  zoom = CLAMP (zoom, MIN_FIT, MAX_ZOOM);

  if (fabs (zoom - self->zoom) < 1e-4)
    return;

  self->zoom = zoom;
  update_canvas_size (self);
  gtk_widget_queue_draw (self->canvas);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ZOOM]);
}

/* After a change of page or mode, with the size the view has now. */
static void
refit (CxPdfView *self)
{
  update_fit_zoom (self, gtk_widget_get_width (GTK_WIDGET (self)),
                   gtk_widget_get_height (GTK_WIDGET (self)));
}

static void
cx_pdf_view_measure (GtkWidget *widget,
                     GtkOrientation orientation,
                     int for_size,
                     int *minimum,
                     int *natural,
                     int *minimum_baseline,
                     int *natural_baseline)
{
  gtk_widget_measure (CX_PDF_VIEW (widget)->scrolled, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
cx_pdf_view_compute_expand (GtkWidget *widget, gboolean *hexpand, gboolean *vexpand)
{
  GtkWidget *scrolled = CX_PDF_VIEW (widget)->scrolled;

  *hexpand = gtk_widget_compute_expand (scrolled, GTK_ORIENTATION_HORIZONTAL);
  *vexpand = gtk_widget_compute_expand (scrolled, GTK_ORIENTATION_VERTICAL);
}

static void
cx_pdf_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  CxPdfView *self = CX_PDF_VIEW (widget);

  update_fit_zoom (self, width, height);
  gtk_widget_allocate (self->scrolled, width, height, baseline, NULL);
}

static void
draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  CxPdfView *self = CX_PDF_VIEW (user_data);
  double page_width, page_height, x, y;

  if (self->presenting)
    cairo_set_source_rgb (cr, 0, 0, 0);
  else
    cairo_set_source_rgb (cr, 0.40, 0.40, 0.42);
  cairo_paint (cr);

  if (self->current == NULL)
    return;

  page_size (self, &page_width, &page_height);
  page_width *= self->zoom;
  page_height *= self->zoom;
  x = MAX (MARGIN, floor ((width - page_width) / 2));
  y = MAX (MARGIN, floor ((height - page_height) / 2));

  if (!self->presenting)
    {
      cairo_set_source_rgba (cr, 0, 0, 0, 0.3);
      cairo_rectangle (cr, x + 2, y + 3, page_width, page_height);
      cairo_fill (cr);
    }

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, page_width, page_height);
  cairo_fill_preserve (cr);
  cairo_clip (cr);

  cairo_translate (cr, x, y);
  cairo_scale (cr, self->zoom, self->zoom);
  poppler_page_render (self->current, cr);
}

static void
update_accessible_description (CxPdfView *self)
{
  g_autofree char *text = NULL;

  if (self->n_pages == 0)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }
  text = g_strdup_printf (_ ("Page %d of %d"), self->page + 1, self->n_pages);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static void
scroll_to_top (CxPdfView *self)
{
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (self->scrolled);
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (scrolled);
  GtkAdjustment *hadj = gtk_scrolled_window_get_hadjustment (scrolled);

  gtk_adjustment_set_value (vadj, gtk_adjustment_get_lower (vadj));
  gtk_adjustment_set_value (hadj, gtk_adjustment_get_lower (hadj));
}

static void
scroll_by (CxPdfView *self, double delta)
{
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled));

  gtk_adjustment_set_value (vadj, gtk_adjustment_get_value (vadj) + delta);
}

/* Fixed zoom: the scroll position keeps the same spot of the page in the
 * middle of the view, so zooming does not jump to the top left. */
static void
set_fixed_zoom (CxPdfView *self, double zoom)
{
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (self->scrolled);
  GtkAdjustment *adjs[2] = {
    gtk_scrolled_window_get_hadjustment (scrolled),
    gtk_scrolled_window_get_vadjustment (scrolled),
  };
  double centre[2];
  double old_zoom = self->zoom;
  gboolean was_fit = self->fit_width;

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  if (!was_fit && fabs (zoom - old_zoom) < 1e-4)
    return;

  for (guint i = 0; i < 2; i++)
    centre[i] = gtk_adjustment_get_value (adjs[i]) + gtk_adjustment_get_page_size (adjs[i]) / 2;

  self->zoom = zoom;
  self->fit_width = FALSE;
  update_canvas_size (self);
  gtk_widget_queue_draw (self->canvas);

  /* The adjustments learn the new size only at the next allocation: raise
   * their upper bound now, or the new value is clamped to the old size. */
  for (guint i = 0; i < 2; i++)
    {
      double page = gtk_adjustment_get_page_size (adjs[i]);
      double value = centre[i] * zoom / old_zoom - page / 2;

      gtk_adjustment_set_upper (adjs[i],
                                MAX (gtk_adjustment_get_upper (adjs[i]) * zoom / old_zoom, page));
      gtk_adjustment_set_value (adjs[i], MAX (value, 0));
    }

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ZOOM]);
  if (was_fit)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FIT_WIDTH]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Page keys are only taken while there is a page to go to, so that at
 * either end they reach whatever holds the view (teach mode goes on to
 * the next resource). */
static gboolean
next_page_binding (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  return cx_pdf_view_next_page (CX_PDF_VIEW (widget));
}

static gboolean
previous_page_binding (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  return cx_pdf_view_previous_page (CX_PDF_VIEW (widget));
}

static gboolean
first_page_binding (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  CxPdfView *self = CX_PDF_VIEW (widget);
  int page = self->page;

  cx_pdf_view_set_page (self, 0);
  return self->page != page;
}

static gboolean
last_page_binding (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  CxPdfView *self = CX_PDF_VIEW (widget);
  int page = self->page;

  cx_pdf_view_set_page (self, self->n_pages - 1);
  return self->page != page;
}

static gboolean
zoom_in_binding (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  cx_pdf_view_zoom_in (CX_PDF_VIEW (widget));
  return TRUE;
}

static gboolean
zoom_out_binding (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  cx_pdf_view_zoom_out (CX_PDF_VIEW (widget));
  return TRUE;
}

static gboolean
zoom_fit_binding (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  cx_pdf_view_zoom_fit_width (CX_PDF_VIEW (widget));
  return TRUE;
}

static gboolean
scroll_up_binding (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  scroll_by (CX_PDF_VIEW (widget), -SCROLL_STEP);
  return TRUE;
}

static gboolean
scroll_down_binding (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  scroll_by (CX_PDF_VIEW (widget), SCROLL_STEP);
  return TRUE;
}

static void
pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, CxPdfView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
cx_pdf_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CxPdfView *self = CX_PDF_VIEW (object);

  switch (prop_id)
    {
    case PROP_N_PAGES:
      g_value_set_int (value, self->n_pages);
      break;
    case PROP_PAGE:
      g_value_set_int (value, self->page);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_FIT_WIDTH:
      g_value_set_boolean (value, self->fit_width);
      break;
    case PROP_PRESENTING:
      g_value_set_boolean (value, self->presenting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cx_pdf_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CxPdfView *self = CX_PDF_VIEW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      cx_pdf_view_set_page (self, g_value_get_int (value));
      break;
    case PROP_ZOOM:
      cx_pdf_view_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_FIT_WIDTH:
      if (g_value_get_boolean (value))
        cx_pdf_view_zoom_fit_width (self);
      else
        cx_pdf_view_set_zoom (self, self->zoom);
      break;
    case PROP_PRESENTING:
      cx_pdf_view_set_presenting (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cx_pdf_view_dispose (GObject *object)
{
  CxPdfView *self = CX_PDF_VIEW (object);

  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  self->canvas = NULL;
  g_clear_object (&self->current);
  g_clear_object (&self->document);
  G_OBJECT_CLASS (cx_pdf_view_parent_class)->dispose (object);
}

static void
add_bindings (GtkWidgetClass *widget_class,
              const guint *keys,
              guint n_keys,
              GdkModifierType mods,
              GtkShortcutFunc callback)
{
  for (guint i = 0; i < n_keys; i++)
    gtk_widget_class_add_binding (widget_class, keys[i], mods, callback, NULL);
}

static void
cx_pdf_view_class_init (CxPdfViewClass *klass)
{
  static const guint next_keys[] = { GDK_KEY_Page_Down, GDK_KEY_KP_Page_Down, GDK_KEY_space,
                                     GDK_KEY_Right, GDK_KEY_KP_Right };
  static const guint previous_keys[] = { GDK_KEY_Page_Up, GDK_KEY_KP_Page_Up, GDK_KEY_BackSpace,
                                         GDK_KEY_Left, GDK_KEY_KP_Left };
  static const guint zoom_in_keys[] = { GDK_KEY_plus, GDK_KEY_equal, GDK_KEY_KP_Add };
  static const guint zoom_out_keys[] = { GDK_KEY_minus, GDK_KEY_KP_Subtract };
  static const guint zoom_fit_keys[] = { GDK_KEY_0, GDK_KEY_KP_0 };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cx_pdf_view_get_property;
  object_class->set_property = cx_pdf_view_set_property;
  object_class->dispose = cx_pdf_view_dispose;
  widget_class->measure = cx_pdf_view_measure;
  widget_class->size_allocate = cx_pdf_view_size_allocate;
  widget_class->compute_expand = cx_pdf_view_compute_expand;

  props[PROP_N_PAGES] = g_param_spec_int ("n-pages", NULL, NULL, 0, G_MAXINT, 0,
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_PAGE] =
      g_param_spec_int ("page", NULL, NULL, 0, G_MAXINT, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_ZOOM] =
      g_param_spec_double ("zoom", NULL, NULL, MIN_FIT, MAX_ZOOM, 1.0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_FIT_WIDTH] =
      g_param_spec_boolean ("fit-width", NULL, NULL, TRUE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_PRESENTING] =
      g_param_spec_boolean ("presenting", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  add_bindings (widget_class, next_keys, G_N_ELEMENTS (next_keys), 0, next_page_binding);
  add_bindings (widget_class, previous_keys, G_N_ELEMENTS (previous_keys), 0,
                previous_page_binding);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_space, GDK_SHIFT_MASK, previous_page_binding,
                                NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Home, 0, first_page_binding, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Home, 0, first_page_binding, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_End, 0, last_page_binding, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_End, 0, last_page_binding, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Up, 0, scroll_up_binding, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Down, 0, scroll_down_binding, NULL);
  /* Both plain keys and the Ctrl+ forms other viewers taught people. */
  for (guint m = 0; m < 2; m++)
    {
      GdkModifierType mods = m == 0 ? 0 : GDK_CONTROL_MASK;

      add_bindings (widget_class, zoom_in_keys, G_N_ELEMENTS (zoom_in_keys), mods, zoom_in_binding);
      add_bindings (widget_class, zoom_out_keys, G_N_ELEMENTS (zoom_out_keys), mods,
                    zoom_out_binding);
      add_bindings (widget_class, zoom_fit_keys, G_N_ELEMENTS (zoom_fit_keys), mods,
                    zoom_fit_binding);
    }

  gtk_widget_class_set_css_name (widget_class, "cxpdfview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DOCUMENT);
}

static void
cx_pdf_view_init (CxPdfView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->zoom = 1.0;
  self->fit_width = TRUE;

  self->canvas = gtk_drawing_area_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->canvas), draw_cb, self, NULL);

  /* A page wants all the room it can get. */
  self->scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_hexpand (self->scrolled, TRUE);
  gtk_widget_set_vexpand (self->scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), self->canvas);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("PDF document"), -1);
}

/**
 * cx_pdf_view_new:
 *
 * Returns: (transfer floating): an empty PDF view; fill it with cx_pdf_view_load()
 */
GtkWidget *
cx_pdf_view_new (void)
{
  return g_object_new (CX_TYPE_PDF_VIEW, NULL);
}

static char *
display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  return g_filename_display_name (basename != NULL ? basename : "");
}

static void
set_document (CxPdfView *self, PopplerDocument *document)
{
  g_clear_object (&self->current);
  g_set_object (&self->document, document);
  self->n_pages = document != NULL ? poppler_document_get_n_pages (document) : 0;
  self->page = 0;
  self->fit_width = TRUE;
  if (self->n_pages > 0)
    self->current = poppler_document_get_page (document, 0);

  g_object_freeze_notify (G_OBJECT (self));
  update_canvas_size (self);
  refit (self);
  scroll_to_top (self);
  gtk_widget_queue_draw (self->canvas);
  update_accessible_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_PAGES]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FIT_WIDTH]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * cx_pdf_view_load:
 * @file: a PDF file
 *
 * Shows the first page of @file, fitted to the width of the view.  On
 * failure the view is left empty and @error says why in words for the
 * user: missing, protected with a password, or damaged.
 */
gboolean
cx_pdf_view_load (CxPdfView *self, GFile *file, GError **error)
{
  /* Poppler 22 declares no autoptr for its types. */
  g_autoptr (GObject) document = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (CX_IS_PDF_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  set_document (self, NULL);
  name = display_name (file);

  /* Poppler reports a missing file as a damaged one; say what it is. */
  if (!g_file_query_exists (file, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _ ("The file “%s” is missing."), name);
      return FALSE;
    }

  document = G_OBJECT (poppler_document_new_from_gfile (file, NULL, NULL, &local_error));
  if (document == NULL)
    {
      if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        g_set_error (error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED,
                     _ ("“%s” is protected with a password."), name);
      else if (local_error != NULL && local_error->domain == G_IO_ERROR)
        g_set_error (error, G_IO_ERROR, local_error->code, _ ("“%s” could not be read: %s"), name,
                     local_error->message);
      else
        g_set_error (error, POPPLER_ERROR, POPPLER_ERROR_DAMAGED,
                     _ ("“%s” is damaged or is not a PDF file."), name);
      return FALSE;
    }

  if (poppler_document_get_n_pages (POPPLER_DOCUMENT (document)) <= 0)
    {
      g_set_error (error, POPPLER_ERROR, POPPLER_ERROR_DAMAGED, _ ("“%s” has no pages."), name);
      return FALSE;
    }

  set_document (self, POPPLER_DOCUMENT (document));
  return TRUE;
}

int
cx_pdf_view_get_n_pages (CxPdfView *self)
{
  g_return_val_if_fail (CX_IS_PDF_VIEW (self), 0);
  return self->n_pages;
}

/**
 * cx_pdf_view_get_page:
 *
 * Returns: the page shown, counting from 0
 */
int
cx_pdf_view_get_page (CxPdfView *self)
{
  g_return_val_if_fail (CX_IS_PDF_VIEW (self), 0);
  return self->page;
}

/**
 * cx_pdf_view_set_page:
 * @page: the page to show, counting from 0; clamped to the document
 */
void
cx_pdf_view_set_page (CxPdfView *self, int page)
{
  g_return_if_fail (CX_IS_PDF_VIEW (self));

  if (self->n_pages == 0)
    return;
  page = CLAMP (page, 0, self->n_pages - 1);
  if (page == self->page)
    return;

  self->page = page;
  g_clear_object (&self->current);
  self->current = poppler_document_get_page (self->document, page);

  update_canvas_size (self);
  refit (self);
  scroll_to_top (self);
  gtk_widget_queue_draw (self->canvas);
  update_accessible_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PAGE]);
}

/**
 * cx_pdf_view_next_page:
 *
 * Returns: %FALSE if there was no next page to go to
 */
gboolean
cx_pdf_view_next_page (CxPdfView *self)
{
  g_return_val_if_fail (CX_IS_PDF_VIEW (self), FALSE);

  if (self->page + 1 >= self->n_pages)
    return FALSE;
  cx_pdf_view_set_page (self, self->page + 1);
  return TRUE;
}

/**
 * cx_pdf_view_previous_page:
 *
 * Returns: %FALSE if there was no previous page to go to
 */
gboolean
cx_pdf_view_previous_page (CxPdfView *self)
{
  g_return_val_if_fail (CX_IS_PDF_VIEW (self), FALSE);

  if (self->page <= 0 || self->n_pages == 0)
    return FALSE;
  cx_pdf_view_set_page (self, self->page - 1);
  return TRUE;
}

/**
 * cx_pdf_view_get_zoom:
 *
 * Returns: the scale of the page, 1.0 being one pixel per PDF point; while
 *   fitting the width it follows the size of the view
 */
double
cx_pdf_view_get_zoom (CxPdfView *self)
{
  g_return_val_if_fail (CX_IS_PDF_VIEW (self), 1.0);
  return self->zoom;
}

/**
 * cx_pdf_view_set_zoom:
 *
 * Sets a fixed scale (between 0.25 and 4) and stops fitting the width.
 */
void
cx_pdf_view_set_zoom (CxPdfView *self, double zoom)
{
  g_return_if_fail (CX_IS_PDF_VIEW (self));
  set_fixed_zoom (self, zoom);
}

gboolean
cx_pdf_view_get_fit_width (CxPdfView *self)
{
  g_return_val_if_fail (CX_IS_PDF_VIEW (self), FALSE);
  return self->fit_width;
}

void
cx_pdf_view_zoom_in (CxPdfView *self)
{
  g_return_if_fail (CX_IS_PDF_VIEW (self));
  set_fixed_zoom (self, self->zoom * ZOOM_STEP);
}

void
cx_pdf_view_zoom_out (CxPdfView *self)
{
  g_return_if_fail (CX_IS_PDF_VIEW (self));
  set_fixed_zoom (self, self->zoom / ZOOM_STEP);
}

/**
 * cx_pdf_view_zoom_fit_width:
 *
 * Scales the page to the width of the view, and keeps doing so as the view
 * is resized (the whole page, when presenting).
 */
void
cx_pdf_view_zoom_fit_width (CxPdfView *self)
{
  g_return_if_fail (CX_IS_PDF_VIEW (self));

  if (self->fit_width)
    return;

  self->fit_width = TRUE;
  update_canvas_size (self);
  refit (self);
  scroll_to_top (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FIT_WIDTH]);
}

gboolean
cx_pdf_view_get_presenting (CxPdfView *self)
{
  g_return_val_if_fail (CX_IS_PDF_VIEW (self), FALSE);
  return self->presenting;
}

/**
 * cx_pdf_view_set_presenting:
 *
 * For projecting in class: a black surround instead of grey, and the whole
 * page fitted to the view rather than just its width.
 */
void
cx_pdf_view_set_presenting (CxPdfView *self, gboolean presenting)
{
  g_return_if_fail (CX_IS_PDF_VIEW (self));

  presenting = !!presenting;
  if (presenting == self->presenting)
    return;

  self->presenting = presenting;
  g_object_freeze_notify (G_OBJECT (self));
  if (!self->fit_width)
    {
      self->fit_width = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FIT_WIDTH]);
    }
  update_canvas_size (self);
  refit (self);
  scroll_to_top (self);
  gtk_widget_queue_draw (self->canvas);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PRESENTING]);
  g_object_thaw_notify (G_OBJECT (self));
}
