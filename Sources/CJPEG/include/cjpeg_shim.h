/*
 * CJPEG: a thin, longjmp-free C surface over libjpeg(-turbo) for Swift.
 *
 * libjpeg reports errors by calling error_exit(), whose default calls exit(); Swift frames cannot
 * be crossed by longjmp either. Every function here installs its own error manager, owns the
 * setjmp, and returns a CJPEG_* status code plus the library's formatted message. No libjpeg type
 * appears in this header, so nothing C-specific leaks into the Swift module that imports it.
 */
#ifndef CJPEG_SHIM_H
#define CJPEG_SHIM_H

#include <stddef.h>
#include <stdint.h>

/* Status codes returned by every function. */
enum {
    CJPEG_OK = 0,
    CJPEG_ERROR_LIBRARY = 1,     /* libjpeg rejected the data (or a strict-mode warning); see message */
    CJPEG_ERROR_UNSUPPORTED = 2, /* valid, but not decodable here: 12/16-bit, lossless, odd colour layout */
    CJPEG_ERROR_USAGE = 3,       /* the caller broke the call protocol (wrong order, small buffer) */
    CJPEG_ERROR_NO_MEMORY = 4
};

/* Source colour spaces, numbered like libjpeg's J_COLOR_SPACE for the classic values. */
enum {
    CJPEG_CS_UNKNOWN = 0,
    CJPEG_CS_GRAY = 1,
    CJPEG_CS_RGB = 2,
    CJPEG_CS_YCBCR = 3,
    CJPEG_CS_CMYK = 4,
    CJPEG_CS_YCCK = 5
};

/* Room for libjpeg's formatted messages (JMSG_LENGTH_MAX). */
#define CJPEG_MESSAGE_CAPACITY 200

/* What the header says, before any pixel is decoded. */
typedef struct {
    int width;
    int height;
    int num_components;
    int color_space;     /* CJPEG_CS_* */
    int progressive;     /* 1 for SOF2 (progressive) files */
    int orientation;     /* EXIF IFD0 tag 0x0112, 1...8; 1 when absent, malformed or not requested */
    int saw_adobe_marker;
} cjpeg_info;

/*
 * Decoder handle: create -> read_header -> prepare -> decode -> destroy.
 * The split lets the caller check the output size and allocate the pixel buffer itself between
 * prepare and decode, so nothing large is allocated before limits are checked and no copy is
 * needed afterwards. The input bytes must stay valid from read_header until destroy.
 * After any error the handle only accepts cjpeg_decoder_message and cjpeg_decoder_destroy.
 */
typedef struct cjpeg_decoder cjpeg_decoder;

/* strict != 0 turns libjpeg warnings (truncated data, corrupt entropy data) into errors.
 * Returns NULL when out of memory. */
cjpeg_decoder *cjpeg_decoder_create(int strict);
void cjpeg_decoder_destroy(cjpeg_decoder *decoder);
/* The message of the last failure ("" when none). Valid until destroy. */
const char *cjpeg_decoder_message(const cjpeg_decoder *decoder);
/* Number of libjpeg warnings seen (only non-zero in non-strict mode). */
int cjpeg_decoder_warning_count(const cjpeg_decoder *decoder);

/* Parses markers up to the first scan. want_orientation != 0 saves APP1 markers and reads the
 * EXIF orientation; otherwise info->orientation is 1. */
int cjpeg_decoder_read_header(cjpeg_decoder *decoder, const uint8_t *data, size_t size,
                              int want_orientation, cjpeg_info *info);

/* How 4-component (CMYK/YCCK) output becomes RGB or gray. */
enum {
    CJPEG_CMYK_EXACT = 0,  /* R = c*k/255 rounded, inverted only with an Adobe marker; gray as Pillow */
    CJPEG_CMYK_OPENCV = 1  /* cv2.imread: always inverted, R = k - ((255 - c) * k >> 8); gray as cvtColor */
};

/*
 * Chooses the output: out_channels 1 (gray) or 3 (RGB), and the DCT scale M/8 (M = 1...8) giving
 * the smallest output whose width >= min_width and height >= min_height (0, 0 = full size; a
 * minimum larger than the image gives full size). max_memory caps libjpeg's own working memory
 * (0 = no cap). cmyk_convention is a CJPEG_CMYK_* value. Writes the output size; the caller then
 * provides width*height*out_channels bytes.
 */
int cjpeg_decoder_prepare(cjpeg_decoder *decoder, int out_channels, int min_width, int min_height,
                          size_t max_memory, int cmyk_convention, int *out_width, int *out_height);

/* Decodes every scanline into pixels (rows top to bottom, no padding). */
int cjpeg_decoder_decode(cjpeg_decoder *decoder, uint8_t *pixels, size_t capacity);

/* Ways to store 4-component (CMYK) data when encoding. */
enum {
    CJPEG_CMYK_ADOBE = 0,      /* CMYK planes plus an Adobe APP14 marker (transform 0) */
    CJPEG_CMYK_ADOBE_YCCK = 1, /* YCCK planes plus an Adobe APP14 marker (transform 2) */
    CJPEG_CMYK_PLAIN = 2       /* CMYK planes, no Adobe marker */
};

typedef struct {
    int width;
    int height;
    int components;      /* 1 gray, 3 RGB, 4 CMYK */
    int cmyk_layout;     /* CJPEG_CMYK_* when components == 4 */
    int quality;         /* 1...100 */
    int progressive;
    const uint8_t *app1; /* optional APP1 payload (e.g. "Exif\0\0" + TIFF); NULL for none */
    size_t app1_size;    /* <= 65533 */
} cjpeg_encode_params;

/*
 * Compresses width*height*components bytes to a malloc'd JPEG in *out (free with cjpeg_free).
 * When an APP1 payload is given the JFIF APP0 marker is omitted so APP1 directly follows SOI,
 * the layout EXIF asks for.
 */
int cjpeg_encode(const cjpeg_encode_params *params, const uint8_t *pixels, uint8_t **out,
                 size_t *out_size, char *message, size_t message_capacity);

void cjpeg_free(void *pointer);

#endif
