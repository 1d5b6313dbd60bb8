/* cx-html-web-view.c: an HTML lesson page shown by WebKit, off the network
 *
 * Built only with the webkit feature. The page may use the pictures,
 * styles and scripts beside it in the package, but nothing from the
 * network: a content security policy allows only local files, and links
 * out of the package go to the system browser instead of the app. The
 * session is ephemeral, so no cookies or cache pile up on the laptop.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <webkit/webkit.h>

#include "cx-html-web-view.h"

/* Before the page's own markup, so the parser puts it in the head. */
#define LOCAL_ONLY_POLICY                                                                 \
  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src file: data: blob: " \
  "'unsafe-inline' 'unsafe-eval'\">"

typedef struct
{
  CxHtmlFailedFunc failed;
  gpointer user_data;
  gboolean reported;
} Watcher;

static void
report (Watcher *watcher, const char *reason)
{
  if (watcher->reported)
    return;
  watcher->reported = TRUE;
  watcher->failed (reason, watcher->user_data);
}

static gboolean
is_local (const char *uri)
{
  return g_str_has_prefix (uri, "file:") || g_str_has_prefix (uri, "about:") ||
         g_str_has_prefix (uri, "data:") || g_str_has_prefix (uri, "blob:");
}

static gboolean
on_decide_policy (WebKitWebView *view,
                  WebKitPolicyDecision *decision,
                  WebKitPolicyDecisionType type,
                  gpointer user_data)
{
  WebKitNavigationAction *action;
  const char *uri;
  GtkRoot *root;

  if (type != WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION &&
      type != WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION)
    return FALSE;
  action = webkit_navigation_policy_decision_get_navigation_action (
      WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));
  if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION && is_local (uri))
    return FALSE;
  webkit_policy_decision_ignore (decision);
  /* Only what the teacher clicked leaves the app, never what a page does by
   * itself, and nothing in student mode. */
  if (webkit_navigation_action_is_user_gesture (action) && !is_local (uri) &&
      g_object_get_data (G_OBJECT (view), "cx-external-blocked") == NULL)
    {
      root = gtk_widget_get_root (GTK_WIDGET (view));
      gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
    }
  return TRUE;
}

/* Busy while loading, so a screen reader (and the UI tests) can tell when
 * the page is there. */
static void
on_load_changed (WebKitWebView *view, WebKitLoadEvent event, gpointer user_data)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_STATE_BUSY,
                               event != WEBKIT_LOAD_FINISHED, -1);
}

static gboolean
on_load_failed (
    WebKitWebView *view, WebKitLoadEvent event, const char *uri, GError *error, Watcher *watcher)
{
  g_autofree char *reason = NULL;

  /* A navigation the policy above refused ends up here too. */
  if (g_error_matches (error, WEBKIT_POLICY_ERROR,
                       WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE) ||
      g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED))
    return FALSE;
  reason = g_strdup_printf (_ ("The page could not be shown: %s"), error->message);
  report (watcher, reason);
  return TRUE;
}

static void
on_web_process_terminated (WebKitWebView *view,
                           WebKitWebProcessTerminationReason why,
                           Watcher *watcher)
{
  report (watcher, why == WEBKIT_WEB_PROCESS_EXCEEDED_MEMORY_LIMIT
                       ? _ ("The page needed more memory than this computer could give it.")
                       : _ ("The page stopped working. Open it again to retry."));
}

/**
 * cx_html_web_view_new:
 * @html: the page, already read and checked to be UTF-8
 * @file: where it is, for the pictures and styles beside it
 * @failed: called if WebKit cannot show it after all; the widget is
 *   usually replaced then, so it is called at most once
 */
GtkWidget *
cx_html_web_view_new (
    const char *html, GFile *file, const char *name, CxHtmlFailedFunc failed, gpointer user_data)
{
  g_autoptr (WebKitNetworkSession) session = webkit_network_session_new_ephemeral ();
  g_autoptr (GFile) folder = g_file_get_parent (file);
  g_autofree char *folder_uri = g_file_get_uri (folder);
  g_autofree char *base_uri = g_str_has_suffix (folder_uri, "/")
                                  ? g_strdup (folder_uri)
                                  : g_strconcat (folder_uri, "/", NULL);
  g_autofree char *page = g_strconcat (LOCAL_ONLY_POLICY, html, NULL);
  Watcher *watcher = g_new0 (Watcher, 1);
  GtkWidget *view;
  WebKitSettings *settings;

  view = g_object_new (WEBKIT_TYPE_WEB_VIEW, "network-session", session, NULL);
  settings = webkit_web_view_get_settings (WEBKIT_WEB_VIEW (view));
  webkit_settings_set_enable_developer_extras (settings, FALSE);
  webkit_settings_set_javascript_can_open_windows_automatically (settings, FALSE);
  /* A lesson page needs no GPU: the web process draws it in software. */
  webkit_settings_set_hardware_acceleration_policy (settings,
                                                    WEBKIT_HARDWARE_ACCELERATION_POLICY_NEVER);

  watcher->failed = failed;
  watcher->user_data = user_data;
  g_object_set_data_full (G_OBJECT (view), "cx-watcher", watcher, g_free);
  g_signal_connect (view, "decide-policy", G_CALLBACK (on_decide_policy), NULL);
  g_signal_connect (view, "load-changed", G_CALLBACK (on_load_changed), NULL);
  g_signal_connect (view, "load-failed", G_CALLBACK (on_load_failed), watcher);
  g_signal_connect (view, "web-process-terminated", G_CALLBACK (on_web_process_terminated),
                    watcher);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_STATE_BUSY, TRUE, -1);

  webkit_web_view_load_html (WEBKIT_WEB_VIEW (view), page, base_uri);
  return view;
}

/**
 * cx_html_web_view_block_external:
 *
 * Links the page's reader clicks no longer open in the system browser:
 * in student mode a pupil stays in the app.
 */
void
cx_html_web_view_block_external (GtkWidget *view)
{
  g_return_if_fail (WEBKIT_IS_WEB_VIEW (view));
  g_object_set_data (G_OBJECT (view), "cx-external-blocked", GINT_TO_POINTER (TRUE));
}
