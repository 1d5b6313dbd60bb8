/* cx-rate-limit-private.h: the fetcher's bandwidth cap and rate meter
 *
 * The cap is a token bucket shared by all of a fetcher's transfers: bytes
 * may be taken while it is above zero (it may go below by one block), and
 * a transfer that finds it empty is paused until it refills.  The meter
 * counts the bytes received in the slots of a sliding window.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CX_RATE_WINDOW_US (4 * G_USEC_PER_SEC)
#define CX_RATE_SAMPLES   16

typedef struct
{
  guint64 rate; /* bytes per second; 0 for no cap */
  gint64 level;
  gint64 time;
} CxTokenBucket;

typedef struct
{
  /* Bytes received per slot of CX_RATE_WINDOW_US / CX_RATE_SAMPLES. */
  guint64 samples[CX_RATE_SAMPLES];
  gint64 slot;
} CxRateMeter;

void _cx_token_bucket_set_rate (CxTokenBucket *self, guint64 bytes_per_second);
void _cx_token_bucket_refill (CxTokenBucket *self);
gboolean _cx_token_bucket_take (CxTokenBucket *self, gsize n);
gboolean _cx_token_bucket_is_empty (CxTokenBucket *self);

void _cx_rate_meter_add (CxRateMeter *self, gint64 now, gsize n);
guint64 _cx_rate_meter_get_rate (CxRateMeter *self, gint64 now);

G_END_DECLS
