#include "cpng_shim.h"
int cpng_placeholder(void) { return 0; }
