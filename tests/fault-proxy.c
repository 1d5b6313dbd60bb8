/* fault-proxy.c: an HTTP/1.1 reverse proxy that makes a good link bad, for tests
 *
 *   fault-proxy --upstream HOST:PORT [--port N] [--bind ADDR]
 *               [--fault REQ:KIND[=ARG]]… [--latency-ms N] [--rate BYTES_PER_S]
 *               [--drop-every-bytes N] [--log FILE]
 *
 * Requests are numbered 1, 2, 3… across all connections.  A fault applies to
 * request REQ, or to every request when REQ is '*':
 *   drop=N       forward the head and N body bytes, then cut both connections
 *   stall=N      forward the head and N body bytes, then send nothing more
 *   corrupt=N    flip the body byte at offset N
 *   status=CODE  answer CODE without asking the upstream
 *   ignore-range remove Range and If-Range from the request
 * --latency-ms adds N/2 ms before each request goes upstream and N/2 ms
 * before its reply comes back, so every round trip costs N ms more.
 * --rate caps reply bytes per second over all connections (token bucket).
 * --drop-every-bytes cuts the connection each time N more reply body bytes
 * have passed, counted over all connections.
 *
 * The first line on standard output is "Listening on http://ADDR:PORT/".
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib-unix.h>

typedef struct
{
  gint64 request; /* 0 for every request */
  char *kind;
  gint64 arg;
} Fault;

static char *upstream_host;
static int upstream_port;
static GPtrArray *faults;
static int latency_ms;
static gint64 rate;
static gint64 drop_every;
static FILE *log_file;

static GMutex lock;
static gint64 request_counter;
static gint64 dropped_bytes_mark; /* body bytes since the last forced drop */
static gint64 bucket_tokens;
static gint64 bucket_time;

static gboolean
parse_fault (const char *option_name, const char *value, gpointer data, GError **error)
{
  Fault *fault = g_new0 (Fault, 1);
  const char *colon = strchr (value, ':');
  const char *equals;

  if (colon == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad fault “%s”", value);
      g_free (fault);
      return FALSE;
    }
  fault->request = value[0] == '*' ? 0 : g_ascii_strtoll (value, NULL, 10);
  equals = strchr (colon, '=');
  fault->kind = equals ? g_strndup (colon + 1, equals - colon - 1) : g_strdup (colon + 1);
  fault->arg = equals ? g_ascii_strtoll (equals + 1, NULL, 10) : 0;
  if (!g_strv_contains (
          (const char *const[]){ "drop", "stall", "corrupt", "status", "ignore-range", NULL },
          fault->kind) ||
      (value[0] != '*' && fault->request < 1))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad fault “%s”", value);
      g_free (fault->kind);
      g_free (fault);
      return FALSE;
    }
  g_ptr_array_add (faults, fault);
  return TRUE;
}

static const Fault *
find_fault (gint64 request, const char *kind)
{
  for (guint i = 0; i < faults->len; i++)
    {
      const Fault *fault = g_ptr_array_index (faults, i);

      if ((fault->request == 0 || fault->request == request) && g_str_equal (fault->kind, kind))
        return fault;
    }
  return NULL;
}

/* Waits until @n bytes may pass under --rate. */
static void
throttle (gsize n)
{
  if (rate <= 0)
    return;

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 wait_us;

      g_mutex_lock (&lock);
      bucket_tokens = MIN (rate / 4, bucket_tokens + (now - bucket_time) * rate / G_USEC_PER_SEC);
      bucket_time = now;
      if (bucket_tokens >= (gint64) n || bucket_tokens >= rate / 4)
        {
          bucket_tokens -= n;
          g_mutex_unlock (&lock);
          return;
        }
      wait_us = ((gint64) n - bucket_tokens) * G_USEC_PER_SEC / rate;
      g_mutex_unlock (&lock);
      g_usleep (MIN (wait_us, 50000));
    }
}

/* Counts reply body bytes for --drop-every-bytes; TRUE when it is time to
 * cut, after @n of them. */
static gboolean
count_for_drop (gsize *n)
{
  gboolean cut = FALSE;

  if (drop_every <= 0)
    return FALSE;

  g_mutex_lock (&lock);
  if (dropped_bytes_mark + (gint64) *n >= drop_every)
    {
      *n = drop_every - dropped_bytes_mark;
      dropped_bytes_mark = 0;
      cut = TRUE;
    }
  else
    dropped_bytes_mark += *n;
  g_mutex_unlock (&lock);
  return cut;
}

static char *
read_line (GDataInputStream *in)
{
  gsize length;
  char *line = g_data_input_stream_read_line (in, &length, NULL, NULL);

  if (line != NULL && length > 0 && line[length - 1] == '\r')
    line[length - 1] = '\0';
  return line;
}

/* Reads a head (start line and headers) up to the blank line. */
static GPtrArray *
read_head (GDataInputStream *in)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  for (;;)
    {
      char *line = read_line (in);

      if (line == NULL)
        {
          g_ptr_array_unref (lines);
          return NULL;
        }
      if (*line == '\0')
        {
          g_free (line);
          return lines;
        }
      g_ptr_array_add (lines, line);
    }
}

static const char *
header (GPtrArray *head, const char *name)
{
  gsize len = strlen (name);

  for (guint i = 1; i < head->len; i++)
    {
      const char *line = g_ptr_array_index (head, i);

      if (g_ascii_strncasecmp (line, name, len) == 0 && line[len] == ':')
        return line + len + 1 + strspn (line + len + 1, " \t");
    }
  return NULL;
}

static gboolean
write_all (GOutputStream *out, const void *data, gsize n)
{
  return g_output_stream_write_all (out, data, n, NULL, NULL, NULL);
}

static gboolean
write_head (GOutputStream *out, GPtrArray *head, gboolean skip_range)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < head->len; i++)
    {
      const char *line = g_ptr_array_index (head, i);

      if (skip_range && i > 0 &&
          (g_ascii_strncasecmp (line, "Range:", 6) == 0 ||
           g_ascii_strncasecmp (line, "If-Range:", 9) == 0))
        continue;
      g_string_append_printf (text, "%s\r\n", line);
    }
  g_string_append (text, "\r\n");
  return write_all (out, text->str, text->len);
}

/* Copies exactly @n bytes (or to EOF if @n < 0). */
static gboolean
copy_plain (GInputStream *in, GOutputStream *out, gint64 n)
{
  char buffer[16384];

  while (n != 0)
    {
      gssize got = g_input_stream_read (
          in, buffer, n < 0 ? (gint64) sizeof buffer : MIN (n, (gint64) sizeof buffer), NULL, NULL);

      if (got <= 0)
        return n < 0;
      if (!write_all (out, buffer, got))
        return FALSE;
      if (n > 0)
        n -= got;
    }
  return TRUE;
}

typedef struct
{
  gint64 sent;
  const Fault *drop, *stall, *corrupt;
  gboolean cut; /* the connection was cut on purpose */
} Body;

/* Forwards reply body bytes one block at a time, applying the faults. */
static gboolean
forward_block (Body *body, GOutputStream *out, char *data, gsize n, GSocketConnection *client)
{
  const Fault *cut_at = body->drop != NULL ? body->drop : body->stall;
  gboolean periodic;

  if (body->corrupt != NULL && body->corrupt->arg >= body->sent &&
      body->corrupt->arg < body->sent + (gint64) n)
    data[body->corrupt->arg - body->sent] ^= 0xff;

  if (cut_at != NULL && body->sent + (gint64) n >= cut_at->arg)
    {
      gsize part = cut_at->arg - body->sent;

      throttle (part);
      write_all (out, data, part);
      g_output_stream_flush (out, NULL, NULL);
      body->sent += part;
      if (cut_at == body->stall)
        {
          char sink[256];

          /* Send nothing more; wait for the client to give up. */
          while (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (client)), sink,
                                      sizeof sink, NULL, NULL) > 0)
            ;
        }
      body->cut = TRUE;
      return FALSE;
    }

  periodic = count_for_drop (&n);
  throttle (n);
  if (!write_all (out, data, n))
    return FALSE;
  body->sent += n;
  if (periodic)
    {
      body->cut = TRUE;
      return FALSE;
    }
  return TRUE;
}

static gboolean
forward_body (Body *body, GInputStream *in, GOutputStream *out, gint64 n, GSocketConnection *client)
{
  char buffer[8192];

  while (n != 0)
    {
      gssize got = g_input_stream_read (
          in, buffer, n < 0 ? (gint64) sizeof buffer : MIN (n, (gint64) sizeof buffer), NULL, NULL);

      if (got <= 0)
        return n < 0;
      if (!forward_block (body, out, buffer, got, client))
        return FALSE;
      if (n > 0)
        n -= got;
    }
  return TRUE;
}

/* Chunked replies are forwarded as they are, framing included. */
static gboolean
forward_chunked (Body *body, GDataInputStream *in, GOutputStream *out, GSocketConnection *client)
{
  for (;;)
    {
      g_autofree char *size_line = read_line (in);
      g_autofree char *framed = NULL;
      gint64 size;

      if (size_line == NULL)
        return FALSE;
      size = g_ascii_strtoll (size_line, NULL, 16);
      framed = g_strdup_printf ("%s\r\n", size_line);
      if (!write_all (out, framed, strlen (framed)))
        return FALSE;
      if (size == 0)
        {
          /* Trailers up to the blank line. */
          for (;;)
            {
              g_autofree char *line = read_line (in);
              g_autofree char *text = NULL;

              if (line == NULL)
                return FALSE;
              text = g_strdup_printf ("%s\r\n", line);
              if (!write_all (out, text, strlen (text)))
                return FALSE;
              if (*line == '\0')
                return TRUE;
            }
        }
      if (!forward_body (body, G_INPUT_STREAM (in), out, size, client) ||
          !copy_plain (G_INPUT_STREAM (in), out, 2))
        return FALSE;
    }
}

static void
log_request (gint64 n, GPtrArray *request, int status, gint64 bytes, const char *fault)
{
  g_auto (GStrv) start = g_strsplit (g_ptr_array_index (request, 0), " ", 3);
  const char *range = header (request, "Range");

  if (log_file == NULL)
    return;
  g_mutex_lock (&lock);
  fprintf (log_file,
           "%" G_GINT64_FORMAT " %s %s range=%s status=%d bytes=%" G_GINT64_FORMAT " fault=%s\n", n,
           start[0], start[1] ? start[1] : "-", range ? range : "-", status, bytes,
           fault ? fault : "-");
  fflush (log_file);
  g_mutex_unlock (&lock);
}

static void
answer_status (GOutputStream *out, int code)
{
  g_autofree char *text =
      g_strdup_printf ("HTTP/1.1 %d Injected fault\r\nContent-Type: text/plain\r\n"
                       "Content-Length: 15\r\n\r\ninjected fault\n",
                       code);

  write_all (out, text, strlen (text));
}

static GSocketConnection *
connect_upstream (void)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();

  return g_socket_client_connect_to_host (client, upstream_host, upstream_port, NULL, NULL);
}

/* Handles one request on the connection; FALSE when the connection ends. */
static gboolean
handle_request (GSocketConnection *client,
                GDataInputStream *client_in,
                GSocketConnection **upstream,
                GDataInputStream **upstream_in)
{
  GOutputStream *client_out = g_io_stream_get_output_stream (G_IO_STREAM (client));
  g_autoptr (GPtrArray) request = read_head (client_in);
  g_autoptr (GPtrArray) reply = NULL;
  const Fault *status_fault;
  const char *length_text, *encoding;
  gboolean head_only, ok;
  Body body = { 0 };
  gint64 n;
  int status;

  if (request == NULL || request->len == 0)
    return FALSE;

  g_mutex_lock (&lock);
  n = ++request_counter;
  g_mutex_unlock (&lock);

  status_fault = find_fault (n, "status");
  if (status_fault != NULL)
    {
      answer_status (client_out, (int) status_fault->arg);
      log_request (n, request, (int) status_fault->arg, 0, "status");
      return TRUE;
    }

  if (*upstream == NULL)
    {
      *upstream = connect_upstream ();
      if (*upstream == NULL)
        {
          answer_status (client_out, 502);
          log_request (n, request, 502, 0, "upstream-unreachable");
          return FALSE;
        }
      *upstream_in =
          g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (*upstream)));
      g_data_input_stream_set_newline_type (*upstream_in, G_DATA_STREAM_NEWLINE_TYPE_LF);
    }

  if (latency_ms > 0)
    g_usleep (latency_ms * 500);

  if (!write_head (g_io_stream_get_output_stream (G_IO_STREAM (*upstream)), request,
                   find_fault (n, "ignore-range") != NULL))
    return FALSE;
  length_text = header (request, "Content-Length");
  if (length_text != NULL && !copy_plain (G_INPUT_STREAM (client_in),
                                          g_io_stream_get_output_stream (G_IO_STREAM (*upstream)),
                                          g_ascii_strtoll (length_text, NULL, 10)))
    return FALSE;

  reply = read_head (*upstream_in);
  if (reply == NULL || reply->len == 0)
    return FALSE;
  if (latency_ms > 0)
    g_usleep (latency_ms * 500);

  status = (int) g_ascii_strtoll (strchr (g_ptr_array_index (reply, 0), ' ') ?: " 0", NULL, 10);
  if (!write_head (client_out, reply, FALSE))
    return FALSE;

  body.drop = find_fault (n, "drop");
  body.stall = find_fault (n, "stall");
  body.corrupt = find_fault (n, "corrupt");
  head_only = g_str_has_prefix (g_ptr_array_index (request, 0), "HEAD ") || status == 204 ||
              status == 304 || status < 200;
  length_text = header (reply, "Content-Length");
  encoding = header (reply, "Transfer-Encoding");

  if (head_only)
    ok = TRUE;
  else if (encoding != NULL && g_ascii_strcasecmp (encoding, "chunked") == 0)
    ok = forward_chunked (&body, *upstream_in, client_out, client);
  else if (length_text != NULL)
    ok = forward_body (&body, G_INPUT_STREAM (*upstream_in), client_out,
                       g_ascii_strtoll (length_text, NULL, 10), client);
  else
    ok = forward_body (&body, G_INPUT_STREAM (*upstream_in), client_out, -1, client) && FALSE;

  g_output_stream_flush (client_out, NULL, NULL);
  log_request (n, request, status, body.sent,
               body.cut ? (body.stall ? "stall" : "drop") : (body.corrupt ? "corrupt" : NULL));
  return ok;
}

static gpointer
serve_connection (gpointer data)
{
  g_autoptr (GSocketConnection) client = data;
  g_autoptr (GDataInputStream) client_in = NULL;
  g_autoptr (GSocketConnection) upstream = NULL;
  g_autoptr (GDataInputStream) upstream_in = NULL;

  client_in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (client)));
  g_data_input_stream_set_newline_type (client_in, G_DATA_STREAM_NEWLINE_TYPE_LF);

  while (handle_request (client, client_in, &upstream, &upstream_in))
    ;

  if (upstream != NULL)
    g_io_stream_close (G_IO_STREAM (upstream), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (client), NULL, NULL);
  return NULL;
}

static gboolean
on_incoming (GSocketService *service, GSocketConnection *connection, GObject *source, gpointer data)
{
  g_thread_unref (g_thread_new ("connection", serve_connection, g_object_ref (connection)));
  return TRUE;
}

static gboolean
on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketService) service = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GInetAddress) address = NULL;
  g_autoptr (GSocketAddress) bind_address = NULL;
  g_autoptr (GSocketAddress) effective = NULL;
  g_autofree char *upstream = NULL;
  g_autofree char *bind = NULL;
  g_autofree char *log_path = NULL;
  int port = 0;
  const GOptionEntry entries[] = {
    { "upstream", 0, 0, G_OPTION_ARG_STRING, &upstream, "Server to forward to", "HOST:PORT" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port to listen on (0: any)", "N" },
    { "bind", 0, 0, G_OPTION_ARG_STRING, &bind, "Address to listen on", "ADDR" },
    { "fault", 0, 0, G_OPTION_ARG_CALLBACK, parse_fault, "A fault to inject", "REQ:KIND[=ARG]" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency_ms, "Added round-trip latency", "N" },
    { "rate", 0, 0, G_OPTION_ARG_INT64, &rate, "Reply bytes per second, all connections", "B" },
    { "drop-every-bytes", 0, 0, G_OPTION_ARG_INT64, &drop_every, "Cut every N reply bytes", "N" },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, &log_path, "Log one line per request", "FILE" },
    { NULL },
  };
  GSocketAddress *listening = NULL;
  char *colon;

  faults = g_ptr_array_new ();
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("fault-proxy: %s\n", error->message);
      return 2;
    }
  if (upstream == NULL || (colon = strrchr (upstream, ':')) == NULL)
    {
      g_printerr ("fault-proxy: give --upstream HOST:PORT\n");
      return 2;
    }
  *colon = '\0';
  upstream_host = upstream;
  upstream_port = atoi (colon + 1);
  if (log_path != NULL && (log_file = fopen (log_path, "a")) == NULL)
    {
      g_printerr ("fault-proxy: cannot open %s\n", log_path);
      return 2;
    }
  /* A client that vanishes must not kill the proxy. */
  signal (SIGPIPE, SIG_IGN);

  service = g_socket_service_new ();
  address = g_inet_address_new_from_string (bind ? bind : "127.0.0.1");
  if (address == NULL)
    {
      g_printerr ("fault-proxy: bad address %s\n", bind);
      return 2;
    }
  bind_address = g_inet_socket_address_new (address, port);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), bind_address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &listening,
                                      &error))
    {
      g_printerr ("fault-proxy: %s\n", error->message);
      return 1;
    }
  effective = listening;
  {
    g_autofree char *host = g_inet_address_to_string (address);

    g_print ("Listening on http://%s:%u/\n", host,
             g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
    fflush (stdout);
  }

  g_signal_connect (service, "incoming", G_CALLBACK (on_incoming), NULL);
  g_socket_service_start (service);
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_main_loop_run (loop);

  /* Connection threads die with the process. */
  if (log_file != NULL)
    fclose (log_file);
  return 0;
}
