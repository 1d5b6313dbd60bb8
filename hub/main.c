/* main.c: cunxiao-hub, the server end of Cunxiao's sync protocol */
#include "cx-hub.h"

int
main (int argc, char **argv)
{
  return cx_hub_main (argc, argv);
}
