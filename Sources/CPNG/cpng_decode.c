/*
 * Decoding from memory with libpng's low-level reader, into the caller's buffer.
 *
 * Conversions, all on stored sample values (no gamma, like Pillow): png_set_expand turns
 * palettes into RGB, 1/2/4-bit gray into 8-bit (scaled to 0...255) and tRNS into alpha;
 * png_set_scale_16 rounds 16-bit samples to 8; alpha is dropped, not composited, when the mode
 * has none; gray from colour is 601 luma computed here (libpng's rgb_to_gray truncates
 * instead of rounding). The OpenCV convention swaps in what cv2.imread does: png_set_strip_16
 * and libpng's own rgb_to_gray.
 */
#include "cpng_shim.h"
#include "cpng_internal.h"

#include <stdlib.h>
#include <string.h>

enum { STATE_NEW, STATE_HEADER, STATE_DONE, STATE_FAILED };

struct cpng_decoder {
    png_structp png;
    png_infop info;
    cpng_messages messages;
    int strict;
    int state;
    const uint8_t *data;
    size_t size;
    size_t position;
    int truncated;
    png_uint_32 width;
    png_uint_32 height;
    int channels;      /* what the caller gets */
    int read_channels; /* what libpng produces: 3 when we compute luma ourselves */
    uint8_t *scratch;  /* RGB image for the luma path; freed by destroy, so errors cannot leak it */
};

/* png_set_read_fn callback: hands libpng the next n bytes of our buffer. */
static void read_from_memory(png_structp png, png_bytep out, size_t n) {
    cpng_decoder *d = png_get_io_ptr(png);
    if (n > d->size - d->position) {
        d->truncated = 1;
        d->position = d->size;
        png_error(png, "unexpected end of data: the file is truncated");
    }
    memcpy(out, d->data + d->position, n);
    d->position += n;
}

static int fail(cpng_decoder *d, int code, const char *message) {
    if (message != NULL) cpng_copy_message(d->messages.message, sizeof d->messages.message, message);
    d->state = STATE_FAILED;
    return code;
}

static int library_failure(cpng_decoder *d) {
    return fail(d, d->truncated ? CPNG_ERROR_TRUNCATED : CPNG_ERROR_LIBRARY, NULL);
}

cpng_decoder *cpng_decoder_create(int strict) {
    cpng_decoder *d = calloc(1, sizeof *d);
    if (d == NULL) return NULL;
    d->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &d->messages, cpng_on_error, cpng_on_warning);
    if (d->png != NULL) d->info = png_create_info_struct(d->png);
    if (d->info == NULL) {
        png_destroy_read_struct(d->png != NULL ? &d->png : NULL, NULL, NULL);
        free(d);
        return NULL;
    }
    d->strict = strict;
    d->state = STATE_NEW;
    return d;
}

void cpng_decoder_destroy(cpng_decoder *d) {
    if (d == NULL) return;
    png_destroy_read_struct(&d->png, &d->info, NULL);
    free(d->scratch);
    free(d);
}

const char *cpng_decoder_message(const cpng_decoder *d) { return d->messages.message; }

size_t cpng_decoder_offset(const cpng_decoder *d) { return d->position; }

int cpng_decoder_read_header(cpng_decoder *d, const uint8_t *data, size_t size, int mode, int convention,
                             int *width, int *height, int *channels) {
    if (d->state != STATE_NEW) return fail(d, CPNG_ERROR_USAGE, "read_header called twice or after an error");
    if (mode != CPNG_MODE_NATIVE && mode != CPNG_MODE_GRAY && mode != CPNG_MODE_RGB && mode != CPNG_MODE_RGBA)
        return fail(d, CPNG_ERROR_USAGE, "mode must be 0, 1, 3 or 4");
    if (convention != CPNG_CONVENTION_PILLOW && convention != CPNG_CONVENTION_OPENCV)
        return fail(d, CPNG_ERROR_USAGE, "convention must be CPNG_CONVENTION_PILLOW or CPNG_CONVENTION_OPENCV");
    int opencv = convention == CPNG_CONVENTION_OPENCV;
    d->data = data;
    d->size = size;
    if (setjmp(png_jmpbuf(d->png))) return library_failure(d);
    png_structp png = d->png;
    png_set_read_fn(png, d, read_from_memory);
    png_read_info(png, d->info);

    png_uint_32 w, h;
    int depth, color, interlace;
    png_get_IHDR(png, d->info, &w, &h, &depth, &color, &interlace, NULL, NULL);
    int has_alpha = (color & PNG_COLOR_MASK_ALPHA) != 0 || png_get_valid(png, d->info, PNG_INFO_tRNS) != 0;
    int is_color = (color & PNG_COLOR_MASK_COLOR) != 0; /* palette images count as colour */
    int out = mode != CPNG_MODE_NATIVE ? mode : has_alpha ? 4 : is_color ? 3 : 1;

    png_set_expand(png);
    if (depth == 16) {
        if (opencv) png_set_strip_16(png);
        else png_set_scale_16(png);
    }
    /* OpenCV's grfmt_png.cpp lets libpng make gray (png_set_rgb_to_gray(png, 1, 0.299, 0.587)):
     * (9797 R + 19234 G + 3737 B) >> 15 on the stored samples, before any 16-bit reduction.
     * Checked against opencv-python 5.1 on 8- and 16-bit RGB, RGBA and palette files. */
    int libpng_gray = opencv && mode == CPNG_MODE_GRAY && is_color;
    if (libpng_gray) png_set_rgb_to_gray_fixed(png, 1, 29900, 58700);
    if (out == 4) {
        if (!is_color) png_set_gray_to_rgb(png);
        if (!has_alpha) png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
    } else {
        if (has_alpha) png_set_strip_alpha(png);
        if (out == 3 && !is_color) png_set_gray_to_rgb(png);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, d->info);

    d->read_channels = out == 1 && is_color && !libpng_gray ? 3 : out;
    if (png_get_rowbytes(png, d->info) != (size_t)w * (size_t)d->read_channels)
        png_error(png, "unexpected row layout after conversion");
    d->width = w;
    d->height = h;
    d->channels = out;
    *width = (int)w; /* libpng's default user limit keeps both below 1,000,000 */
    *height = (int)h;
    *channels = out;
    d->state = STATE_HEADER;
    return CPNG_OK;
}

/* in (n, 3 RGB) -> out (n, 1): ITU-R 601 luma in Pillow's fixed point, byte-identical to
 * convert('L') and to DataPrep's Image.grayscale(): (19595 R + 38470 G + 7471 B + 0x8000) >> 16. */
static void luma_601(const uint8_t *in, uint8_t *out, size_t n) {
    for (size_t i = 0; i < n; i++, in += 3) {
        out[i] = (uint8_t)((19595u * in[0] + 38470u * in[1] + 7471u * in[2] + 0x8000u) >> 16);
    }
}

int cpng_decoder_decode(cpng_decoder *d, uint8_t *pixels, size_t capacity) {
    if (d->state != STATE_HEADER) return fail(d, CPNG_ERROR_USAGE, "decode called before read_header");
    size_t pixel_count = (size_t)d->width * d->height;
    if (capacity < pixel_count * (size_t)d->channels) return fail(d, CPNG_ERROR_USAGE, "pixel buffer too small");
    if (d->read_channels != d->channels) {
        d->scratch = malloc(pixel_count * (size_t)d->read_channels);
        if (d->scratch == NULL) return fail(d, CPNG_ERROR_NO_MEMORY, "out of memory");
    }
    if (setjmp(png_jmpbuf(d->png))) return library_failure(d);

    uint8_t *target = d->scratch != NULL ? d->scratch : pixels;
    size_t stride = (size_t)d->width * (size_t)d->read_channels;
    /* Interlaced files: each of the 7 passes fills its own pixels into the same full rows. */
    int passes = png_set_interlace_handling(d->png);
    for (int pass = 0; pass < passes; pass++) {
        for (png_uint_32 y = 0; y < d->height; y++) png_read_row(d->png, target + stride * y, NULL);
    }
    if (d->scratch != NULL) luma_601(d->scratch, pixels, pixel_count);
    if (d->strict) png_read_end(d->png, NULL);
    d->state = STATE_DONE;
    return CPNG_OK;
}
