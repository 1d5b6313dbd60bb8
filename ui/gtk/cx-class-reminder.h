/* cx-class-reminder.h: a desktop notification a few minutes before a live class */
#pragma once

#include <gio/gio.h>

#include "cx-store.h"

G_BEGIN_DECLS

#define CX_TYPE_CLASS_REMINDER (cx_class_reminder_get_type ())
G_DECLARE_FINAL_TYPE (CxClassReminder, cx_class_reminder, CX, CLASS_REMINDER, GObject)

CxClassReminder *cx_class_reminder_new (GApplication *app, CxStore *store, GSettings *settings);
void cx_class_reminder_rearm (CxClassReminder *self);

G_END_DECLS
