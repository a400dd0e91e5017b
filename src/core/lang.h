/*
 * lang.h: moved to lib/lang.h (the request library, src/http, needs the
 * two languages and may use only src/lib).  This forwarding header keeps
 * the includes of the folders being restructured meanwhile compiling.
 * XXX remove once every "core/lang.h" reads "lib/lang.h".
 */
#include "lib/lang.h"
