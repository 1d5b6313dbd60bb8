/* cx-hand-in-queue.h: files a pupil hands in, taken in one after another */
#pragma once

#include <gio/gio.h>

#include "cx-store-assignments.h"
#include "cx-store.h"

G_BEGIN_DECLS

#define CX_TYPE_HAND_IN_QUEUE (cx_hand_in_queue_get_type ())
G_DECLARE_FINAL_TYPE (CxHandInQueue, cx_hand_in_queue, CX, HAND_IN_QUEUE, GObject)

CxHandInQueue *cx_hand_in_queue_new (CxStore *store);
void cx_hand_in_queue_add (CxHandInQueue *self,
                           GFile *file,
                           const CxAssignment *assignment,
                           const char *class_name,
                           const char *pupil);
gboolean cx_hand_in_queue_get_busy (CxHandInQueue *self);
void cx_hand_in_queue_clear (CxHandInQueue *self);

G_END_DECLS
