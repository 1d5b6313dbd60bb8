/* cx-rate-limit-private.c: a token bucket for the bandwidth cap, and a rate meter */
#include "config.h"

#include <string.h>

#include "cx-rate-limit-private.h"

/* A new cap starts with an empty bucket. */
void
_cx_token_bucket_set_rate (CxTokenBucket *self, guint64 bytes_per_second)
{
  self->rate = MIN (bytes_per_second, (guint64) G_MAXINT32);
  self->level = 0;
  self->time = g_get_monotonic_time ();
}

/* Adds what the cap allows for the time since the last refill; at most an
 * eighth of a second's worth is saved up, so an idle spell is no licence
 * for a burst.  curl's own per-transfer limit is not used: it reads
 * whatever the socket holds before it first waits, which on a fast hop
 * is most of a range. */
void
_cx_token_bucket_refill (CxTokenBucket *self)
{
  gint64 now, elapsed, earned;

  if (self->rate == 0)
    return;

  now = g_get_monotonic_time ();
  elapsed = MIN (now - self->time, G_USEC_PER_SEC);
  earned = elapsed * (gint64) self->rate / G_USEC_PER_SEC;

  /* Whole bytes only, so that frequent calls do not round the rate down. */
  if (earned > 0)
    {
      self->level = MIN (self->level + earned, MAX ((gint64) self->rate / 8, 1));
      self->time = now;
    }
}

/* Whether @n bytes may go now; with no cap, always. */
gboolean
_cx_token_bucket_take (CxTokenBucket *self, gsize n)
{
  if (self->rate == 0)
    return TRUE;

  _cx_token_bucket_refill (self);
  if (self->level <= 0)
    return FALSE;
  self->level -= (gint64) n;
  return TRUE;
}

gboolean
_cx_token_bucket_is_empty (CxTokenBucket *self)
{
  return self->rate > 0 && self->level <= 0;
}

/* Moves the window up to @now, clearing the slots it passes. */
static void
advance_window (CxRateMeter *self, gint64 now)
{
  gint64 slot = now / (CX_RATE_WINDOW_US / CX_RATE_SAMPLES);

  if (slot - self->slot >= CX_RATE_SAMPLES)
    memset (self->samples, 0, sizeof self->samples);
  else
    for (gint64 s = self->slot + 1; s <= slot; s++)
      self->samples[s % CX_RATE_SAMPLES] = 0;
  self->slot = slot;
}

void
_cx_rate_meter_add (CxRateMeter *self, gint64 now, gsize n)
{
  advance_window (self, now);
  self->samples[self->slot % CX_RATE_SAMPLES] += n;
}

/* Bytes per second over the window that ends at @now. */
guint64
_cx_rate_meter_get_rate (CxRateMeter *self, gint64 now)
{
  guint64 total = 0;

  advance_window (self, now);
  for (guint i = 0; i < CX_RATE_SAMPLES; i++)
    total += self->samples[i];
  return total * G_USEC_PER_SEC / CX_RATE_WINDOW_US;
}
