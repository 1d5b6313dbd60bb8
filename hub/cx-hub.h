/* cx-hub.h: what the cunxiao-hub commands share */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses, as cunxiao-cli's. */
typedef enum
{
  CX_HUB_EXIT_OK = 0,
  CX_HUB_EXIT_FAILED = 1,
  CX_HUB_EXIT_USAGE = 2,
} CxHubExit;

int cx_hub_main (int argc, char **argv);
int cx_hub_usage (const char *message);
int cx_hub_command_serve (int argc, char **argv);
int cx_hub_command_keygen (int argc, char **argv);
int cx_hub_command_publish (int argc, char **argv);
int cx_hub_command_resign (int argc, char **argv);
int cx_hub_command_enroll (int argc, char **argv);
int cx_hub_command_devices (int argc, char **argv);
int cx_hub_command_revoke (int argc, char **argv);
int cx_hub_command_timetable (int argc, char **argv);
int cx_hub_command_report (int argc, char **argv);

G_END_DECLS
