/*
 * CPNG: a thin, longjmp-free C surface over libpng's low-level API for Swift.
 *
 * libpng reports errors by longjmp (and aborts when nobody called setjmp); Swift frames cannot be
 * crossed by longjmp. Every function here owns its setjmp and returns a CPNG_* status code plus
 * libpng's message. The low-level API is used rather than the simplified png_image one because
 * the simplified reader applies gamma (16-bit files are taken as linear light, alpha removal
 * composites in linear space); we want the stored sample values, as Pillow and torchvision see
 * them. No libpng type appears here.
 */
#ifndef CPNG_SHIM_H
#define CPNG_SHIM_H

#include <stddef.h>
#include <stdint.h>

enum {
    CPNG_OK = 0,
    CPNG_ERROR_LIBRARY = 1,   /* libpng rejected the data; see message */
    CPNG_ERROR_TRUNCATED = 2, /* the data ended before libpng was done */
    CPNG_ERROR_USAGE = 3,     /* the caller broke the call protocol */
    CPNG_ERROR_NO_MEMORY = 4
};

/* Output layouts: 0 picks the file's own (gray, RGB, or RGBA where alpha or tRNS exists),
 * otherwise the channel count wanted. */
enum { CPNG_MODE_NATIVE = 0, CPNG_MODE_GRAY = 1, CPNG_MODE_RGB = 3, CPNG_MODE_RGBA = 4 };

#define CPNG_MESSAGE_CAPACITY 200

/*
 * Decoder handle: create -> read_header -> decode -> destroy. The caller checks the size and
 * allocates the pixel buffer between read_header and decode. The input must stay valid until
 * destroy. After an error only message and destroy may be called.
 */
typedef struct cpng_decoder cpng_decoder;

/* strict != 0 also reads past the image data to IEND, so damage there is reported. */
cpng_decoder *cpng_decoder_create(int strict);
void cpng_decoder_destroy(cpng_decoder *decoder);
const char *cpng_decoder_message(const cpng_decoder *decoder);
/* Bytes consumed when the last error happened (the end of the data for CPNG_ERROR_TRUNCATED). */
size_t cpng_decoder_offset(const cpng_decoder *decoder);

/* How samples are reduced to 8-bit gray/RGB. */
enum {
    CPNG_CONVENTION_PILLOW = 0, /* 16-bit rounded, round(v / 257); gray = Pillow's convert('L') */
    CPNG_CONVENTION_OPENCV = 1  /* cv2.imread: 16-bit truncated, v >> 8; gray = libpng's rgb_to_gray
                                   with OpenCV's weights 0.299, 0.587 (truncating) */
};

/* Reads the chunks before the image data and sets up conversion to `mode` under `convention`
 * (a CPNG_CONVENTION_* value); writes the size and channel count (1, 3 or 4) of the pixels
 * decode will produce. */
int cpng_decoder_read_header(cpng_decoder *decoder, const uint8_t *data, size_t size, int mode,
                             int convention, int *width, int *height, int *channels);

/* Decodes into width*height*channels bytes, rows top to bottom, reduced per the convention. */
int cpng_decoder_decode(cpng_decoder *decoder, uint8_t *pixels, size_t capacity);

/* PNG colour types, as in the IHDR chunk. */
enum { CPNG_GRAY = 0, CPNG_RGB = 2, CPNG_PALETTE = 3, CPNG_GRAY_ALPHA = 4, CPNG_RGBA = 6 };

typedef struct {
    int width;
    int height;
    int color_type;            /* CPNG_GRAY ... CPNG_RGBA */
    int bit_depth;             /* 1, 2, 4, 8, 16 as the colour type allows */
    int interlaced;            /* Adam7 when non-zero */
    int compression_level;     /* zlib level 0...9 */
    const uint8_t *palette;    /* palette: RGB triples */
    int palette_entries;       /* 1...256 */
    const uint8_t *trns_alpha; /* palette: alpha per entry (may be shorter than the palette) */
    int trns_alpha_entries;
    int has_trns_key;          /* gray / RGB: one colour that is fully transparent */
    uint16_t trns_key[3];      /* gray in [0]; RGB in [0..2] */
} cpng_encode_params;

/*
 * Writes a PNG from rows already in PNG sample layout: `height` rows of `row_bytes` each,
 * sub-byte samples packed most significant bit first, 16-bit samples big-endian. The result is
 * malloc'd in *out (free with cpng_free).
 */
int cpng_encode(const cpng_encode_params *params, const uint8_t *rows, size_t row_bytes, uint8_t **out,
                size_t *out_size, char *message, size_t message_capacity);

void cpng_free(void *pointer);

#endif
