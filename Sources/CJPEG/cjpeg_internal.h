/* Private to CJPEG: the error manager shared by the decoder and the encoder. */
#ifndef CJPEG_INTERNAL_H
#define CJPEG_INTERNAL_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h> /* jpeglib.h needs FILE and size_t declared first */
#include <jpeglib.h>

/*
 * libjpeg's public error manager extended with the jump target and our message buffer.
 * `pub` must stay first: libjpeg hands us a `struct jpeg_error_mgr *` and we cast it back.
 */
typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    int strict;
    char message[JMSG_LENGTH_MAX];
} cjpeg_error_manager;

/* Fills `err` with libjpeg's defaults, then overrides error_exit (longjmp instead of exit),
 * emit_message (warnings fatal when strict) and output_message (never print to stderr). */
struct jpeg_error_mgr *cjpeg_error_manager_init(cjpeg_error_manager *err, int strict);

/* EXIF orientation (1...8) from the saved APP1 markers; 1 when absent or malformed. */
int cjpeg_exif_orientation(const struct jpeg_decompress_struct *cinfo);

/* Orientation from one APP1 payload; 0 when it is not an EXIF block, 1 when malformed. */
int cjpeg_exif_orientation_from_app1(const uint8_t *payload, size_t size);

/* Copies a NUL-terminated message into a caller buffer, truncating safely. */
void cjpeg_copy_message(char *destination, size_t capacity, const char *source);

#endif
