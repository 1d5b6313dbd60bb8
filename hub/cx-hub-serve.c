/* cx-hub-serve.c: `cunxiao-hub serve` runs the hub's HTTP server */
#include "config.h"

#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "cx-hub-api.h"
#include "cx-hub-db.h"
#include "cx-hub-request-log.h"
#include "cx-hub-static.h"
#include "cx-hub.h"

#define DEFAULT_PORT 8738
#define REPO_PATH    "/repo/"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
cx_hub_command_serve (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (CxHubStatic) repo = NULL;
  g_autoptr (CxHubDb) db = NULL;
  g_autoptr (CxHubApi) api = NULL;
  g_autoptr (CxHubFiles) files = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GInetAddress) address = NULL;
  g_autoptr (GSocketAddress) socket_address = NULL;
  g_autofree char *repo_dir = NULL;
  g_autofree char *bind = NULL;
  GSList *uris;
  int port = DEFAULT_PORT;
  const GOptionEntry entries[] = {
    { "repo", 'r', 0, G_OPTION_ARG_FILENAME, &repo_dir, N_ ("Package repository to serve"),
      N_ ("DIR") },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, N_ ("Port to listen on; 0 picks a free one"),
      N_ ("PORT") },
    { "bind", 'b', 0, G_OPTION_ARG_STRING, &bind, N_ ("Address to listen on (default 127.0.0.1)"),
      N_ ("ADDRESS") },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      N_ ("The hub’s data folder: with it, the API for enrolled computers is served too"),
      N_ ("DIR") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, N_ ("Serve https with this certificate"),
      N_ ("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_ ("The certificate’s private key"),
      N_ ("FILE") },
    { NULL },
  };

  g_option_context_set_summary (context, _ ("Serve a package repository over HTTP. Each request "
                                            "is logged as one JSON line on standard output."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cx_hub_usage (error->message);
  if (argc > 1)
    return cx_hub_usage (_ ("“serve” takes no arguments"));
  if (repo_dir == NULL)
    return cx_hub_usage (_ ("Give the repository with --repo DIR"));
  if (port < 0 || port > 65535)
    return cx_hub_usage (_ ("The port must be between 0 and 65535"));
  if ((tls_cert == NULL) != (tls_key == NULL))
    return cx_hub_usage (_ ("--tls-cert and --tls-key go together"));

  address = g_inet_address_new_from_string (bind ? bind : "127.0.0.1");
  if (address == NULL)
    {
      g_autofree char *message = g_strdup_printf (_ ("“%s” is not an IP address"), bind);
      return cx_hub_usage (message);
    }

  repo = cx_hub_static_new (repo_dir, &error);
  if (repo == NULL)
    {
      g_printerr ("cunxiao-hub: %s\n", error->message);
      return CX_HUB_EXIT_FAILED;
    }

  if (data_dir != NULL)
    {
      db = cx_hub_db_open (data_dir, &error);
      files = db != NULL ? cx_hub_files_new (data_dir, &error) : NULL;
      if (files == NULL)
        {
          g_printerr ("cunxiao-hub: %s\n", error->message);
          return CX_HUB_EXIT_FAILED;
        }
      api = cx_hub_api_new (db, files);
    }
  if (tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      if (certificate == NULL)
        {
          g_printerr (_ ("cunxiao-hub: cannot use the certificate: %s\n"), error->message);
          return CX_HUB_EXIT_FAILED;
        }
    }

  server = soup_server_new ("server-header", "cunxiao-hub/" PACKAGE_VERSION, "tls-certificate",
                            certificate, NULL);
  cx_hub_static_attach (repo, server, REPO_PATH);
  if (api != NULL)
    cx_hub_api_attach (api, server);
  cx_hub_request_log_attach (server);

  socket_address = g_inet_socket_address_new (address, (guint16) port);
  if (!soup_server_listen (server, socket_address,
                           certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, &error))
    {
      g_printerr (_ ("cunxiao-hub: cannot listen on %s port %d: %s\n"), bind ? bind : "127.0.0.1",
                  port, error->message);
      return CX_HUB_EXIT_FAILED;
    }

  /* Stopping must work from the moment the address is printed. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);

  uris = soup_server_get_uris (server);
  for (GSList *l = uris; l != NULL; l = l->next)
    {
      g_autofree char *base = g_uri_to_string (l->data);

      /* Tests and scripts read the address from this first line. */
      printf (_ ("Serving %s at %s\n"), repo_dir, base);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  fflush (stdout);

  g_main_loop_run (loop);

  /* Graceful: stop accepting, let libsoup close the connections. */
  soup_server_disconnect (server);
  return CX_HUB_EXIT_OK;
}
