/* The error manager that turns libjpeg's exit()/stderr behaviour into a status code. */
#include "cjpeg_internal.h"

#include <stdlib.h>
#include <string.h>

/* libjpeg calls this for fatal errors and expects it not to return. We format the message
 * while the library state is still intact, then jump back to the setjmp of the shim function. */
static void on_error_exit(j_common_ptr cinfo) {
    cjpeg_error_manager *err = (cjpeg_error_manager *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, err->message);
    longjmp(err->jump, 1);
}

/* level -1 is a warning (e.g. "Premature end of JPEG file" when libjpeg pads truncated data with
 * gray, or "Corrupt JPEG data: ..."); levels >= 0 are trace messages, which we drop. In strict
 * mode a warning is an error, the same policy as TurboJPEG's TJFLAG_STOPONWARNING. */
static void on_emit_message(j_common_ptr cinfo, int level) {
    cjpeg_error_manager *err = (cjpeg_error_manager *)cinfo->err;
    if (level >= 0) return;
    if (err->pub.num_warnings == 0) {
        (*cinfo->err->format_message)(cinfo, err->message); /* keep the first warning's text */
    }
    err->pub.num_warnings++;
    if (err->strict) {
        (*cinfo->err->format_message)(cinfo, err->message);
        longjmp(err->jump, 1);
    }
}

/* Library code never prints. */
static void on_output_message(j_common_ptr cinfo) { (void)cinfo; }

struct jpeg_error_mgr *cjpeg_error_manager_init(cjpeg_error_manager *err, int strict) {
    struct jpeg_error_mgr *pub = jpeg_std_error(&err->pub);
    pub->error_exit = on_error_exit;
    pub->emit_message = on_emit_message;
    pub->output_message = on_output_message;
    err->strict = strict;
    err->message[0] = '\0';
    return pub;
}

void cjpeg_copy_message(char *destination, size_t capacity, const char *source) {
    if (destination == NULL || capacity == 0) return;
    size_t length = strlen(source);
    if (length >= capacity) length = capacity - 1;
    memcpy(destination, source, length);
    destination[length] = '\0';
}

void cjpeg_free(void *pointer) { free(pointer); }
