/* Private to CPNG: message handling shared by the decoder and the encoder. */
#ifndef CPNG_INTERNAL_H
#define CPNG_INTERNAL_H

#include <stddef.h>
#include <png.h>

/* Where libpng's messages for one png_struct go (its error_ptr). */
typedef struct {
    char message[200];
    char last_warning[200];
} cpng_messages;

/* png_error callback: keeps the message and longjmps to the setjmp of the shim function.
 * png_check_IHDR explains the problem in warnings and then fails with the generic "Invalid IHDR
 * data", so that one gets the last warning appended. */
void cpng_on_error(png_structp png, png_const_charp message);

/* png_warning callback: remembers the text, never prints (benign problems such as an incorrect
 * sRGB profile in iCCP are warnings and must not fail a decode). */
void cpng_on_warning(png_structp png, png_const_charp message);

void cpng_copy_message(char *destination, size_t capacity, const char *source);

#endif
