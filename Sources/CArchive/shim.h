#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

/// LC_CTYPE_MASK is a macro Swift cannot import; libarchive reads member names through the
/// thread's LC_CTYPE, which the reader sets to C.UTF-8 with `uselocale` around its calls.
static inline int carchive_lc_ctype_mask(void) { return LC_CTYPE_MASK; }
