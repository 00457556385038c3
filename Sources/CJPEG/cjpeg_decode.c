/*
 * Decoding from memory into a caller buffer, with DCT-domain downscaling and CMYK conversion.
 *
 * Each public function owns one setjmp; the libjpeg state lives in the heap-allocated handle, so
 * nothing the error path reads is an automatic variable modified after setjmp.
 */
#include "cjpeg_shim.h"
#include "cjpeg_internal.h"

#include <jerror.h>
#include <stdlib.h>
#include <string.h>

enum { STATE_NEW, STATE_HEADER, STATE_PREPARED, STATE_DONE, STATE_FAILED };

/* How the 4-component output of libjpeg (out_color_space JCS_CMYK) is turned into our pixels. */
enum { CMYK_NONE, CMYK_INVERTED, CMYK_REGULAR, CMYK_OPENCV };

struct cjpeg_decoder {
    struct jpeg_decompress_struct cinfo;
    cjpeg_error_manager err;
    int state;
    int out_channels;
    int cmyk;
};

/* After error_exit: valid data that this libjpeg build does not decode (12- or 16-bit samples,
 * lossless or hierarchical frames) is "unsupported", anything else is damage. */
static int classify_library_error(const cjpeg_decoder *d) {
    const struct jpeg_error_mgr *err = &d->err.pub;
    if (err->msg_code == JERR_SOF_UNSUPPORTED) return CJPEG_ERROR_UNSUPPORTED;
    if (err->msg_code == JERR_BAD_PRECISION && (err->msg_parm.i[0] == 12 || err->msg_parm.i[0] == 16))
        return CJPEG_ERROR_UNSUPPORTED;
    return CJPEG_ERROR_LIBRARY;
}

static int fail(cjpeg_decoder *d, int code, const char *message) {
    if (message != NULL) cjpeg_copy_message(d->err.message, sizeof d->err.message, message);
    d->state = STATE_FAILED;
    return code;
}

cjpeg_decoder *cjpeg_decoder_create(int strict) {
    cjpeg_decoder *d = calloc(1, sizeof *d);
    if (d == NULL) return NULL;
    d->cinfo.err = cjpeg_error_manager_init(&d->err, strict);
    if (setjmp(d->err.jump)) { /* jpeg_create_decompress can only fail on out-of-memory */
        free(d);
        return NULL;
    }
    jpeg_create_decompress(&d->cinfo);
    d->state = STATE_NEW;
    return d;
}

void cjpeg_decoder_destroy(cjpeg_decoder *d) {
    if (d == NULL) return;
    jpeg_destroy_decompress(&d->cinfo); /* safe in any state, including after error_exit */
    free(d);
}

const char *cjpeg_decoder_message(const cjpeg_decoder *d) { return d->err.message; }

int cjpeg_decoder_warning_count(const cjpeg_decoder *d) { return (int)d->err.pub.num_warnings; }

static int map_color_space(J_COLOR_SPACE space) {
    switch (space) {
    case JCS_GRAYSCALE: return CJPEG_CS_GRAY;
    case JCS_RGB: return CJPEG_CS_RGB;
    case JCS_YCbCr: return CJPEG_CS_YCBCR;
    case JCS_CMYK: return CJPEG_CS_CMYK;
    case JCS_YCCK: return CJPEG_CS_YCCK;
    default: return CJPEG_CS_UNKNOWN;
    }
}

int cjpeg_decoder_read_header(cjpeg_decoder *d, const uint8_t *data, size_t size, int want_orientation,
                              cjpeg_info *info) {
    if (d->state != STATE_NEW) return fail(d, CJPEG_ERROR_USAGE, "read_header called twice or after an error");
    if (setjmp(d->err.jump)) return fail(d, classify_library_error(d), NULL);
    jpeg_mem_src(&d->cinfo, data, (unsigned long)size);
    if (want_orientation) jpeg_save_markers(&d->cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&d->cinfo, TRUE); /* TRUE: a tables-only stream is an error, not a success */

    memset(info, 0, sizeof *info);
    info->width = (int)d->cinfo.image_width;
    info->height = (int)d->cinfo.image_height;
    info->num_components = d->cinfo.num_components;
    info->color_space = map_color_space(d->cinfo.jpeg_color_space);
    info->progressive = d->cinfo.progressive_mode ? 1 : 0;
    info->orientation = want_orientation ? cjpeg_exif_orientation(&d->cinfo) : 1;
    info->saw_adobe_marker = d->cinfo.saw_Adobe_marker ? 1 : 0;
    d->state = STATE_HEADER;
    return CJPEG_OK;
}

/* Smallest M/8 (M = 1...8) whose output covers the minimum; libjpeg computes each candidate's
 * size itself (it rounds up), so the choice matches what it will produce. */
static void choose_scale(struct jpeg_decompress_struct *cinfo, int min_width, int min_height) {
    cinfo->scale_denom = 8;
    cinfo->scale_num = 8;
    if (min_width <= 0 && min_height <= 0) return;
    for (unsigned num = 1; num <= 8; num++) {
        cinfo->scale_num = num;
        jpeg_calc_output_dimensions(cinfo);
        if ((int)cinfo->output_width >= min_width && (int)cinfo->output_height >= min_height) return;
    }
    cinfo->scale_num = 8; /* the minimum exceeds the image: full size, we never upscale here */
}

int cjpeg_decoder_prepare(cjpeg_decoder *d, int out_channels, int min_width, int min_height, size_t max_memory,
                          int cmyk_convention, int *out_width, int *out_height) {
    if (d->state != STATE_HEADER) return fail(d, CJPEG_ERROR_USAGE, "prepare called before read_header");
    if (out_channels != 1 && out_channels != 3) return fail(d, CJPEG_ERROR_USAGE, "out_channels must be 1 or 3");
    if (cmyk_convention != CJPEG_CMYK_EXACT && cmyk_convention != CJPEG_CMYK_OPENCV)
        return fail(d, CJPEG_ERROR_USAGE, "cmyk_convention must be CJPEG_CMYK_EXACT or CJPEG_CMYK_OPENCV");
    if (setjmp(d->err.jump)) return fail(d, CJPEG_ERROR_LIBRARY, NULL);
    struct jpeg_decompress_struct *cinfo = &d->cinfo;

    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
    case JCS_RGB:
    case JCS_YCbCr:
        /* libjpeg-turbo converts any of these to gray (Y, or 601 luma for RGB) and to RGB itself;
         * for gray output from YCbCr it skips the chroma IDCTs entirely. */
        cinfo->out_color_space = out_channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
        d->cmyk = CMYK_NONE;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        /* libjpeg turns YCCK into CMYK but has no CMYK -> RGB path: we convert per row. Adobe
         * (Photoshop) writes CMYK inverted, 255 = no ink; without the Adobe APP14 marker we read
         * the plain convention, 0 = no ink. djpeg and Pillow assume inverted always; the two
         * agree on every file that carries the marker, which is every CMYK file libjpeg writes.
         * OpenCV (grfmt_jpeg.cpp, icvCvt_CMYK2BGR_8u_C4C3R) takes every file as inverted and
         * approximates the division by a shift. */
        cinfo->out_color_space = JCS_CMYK;
        if (cmyk_convention == CJPEG_CMYK_OPENCV) d->cmyk = CMYK_OPENCV;
        else d->cmyk = cinfo->saw_Adobe_marker ? CMYK_INVERTED : CMYK_REGULAR;
        break;
    default:
        return fail(d, CJPEG_ERROR_UNSUPPORTED, "colour space with this component count cannot be converted");
    }

    /* JDCT_ISLOW is exact integer arithmetic, bit-identical on every machine. Measured on the 1760
     * dogs-vs-cats photos (libjpeg-turbo 2.1.5 with AVX2 SIMD, release, one thread, best of 5
     * passes): ISLOW 2179 img/s RGB full size, 2689 gray full, 2937 gray min 80x80; IFAST 2218,
     * 2545, 2917. Within noise: Huffman decoding dominates and turbo's SIMD islow is as fast as
     * ifast (the scaled IDCTs ignore dct_method anyway), so we keep the accurate one. */
    cinfo->dct_method = JDCT_ISLOW;
    choose_scale(cinfo, min_width, min_height);
    /* When decoding below full size for a caller that resizes further anyway, chroma is
     * upsampled by plain replication merged with colour conversion (libjpeg's merged upsampler)
     * instead of triangular "fancy" filtering: the difference is far below what the following
     * downscale keeps. Measured in Benchmarks/bench --only breakdown. */
    if (cinfo->scale_num < cinfo->scale_denom) cinfo->do_fancy_upsampling = FALSE;
    jpeg_calc_output_dimensions(cinfo);
    if (max_memory > 0) cinfo->mem->max_memory_to_use = (long)max_memory;

    d->out_channels = out_channels;
    *out_width = (int)cinfo->output_width;
    *out_height = (int)cinfo->output_height;
    d->state = STATE_PREPARED;
    return CJPEG_OK;
}

/* round(a * b / 255) exactly, for a, b in 0...255 (no ties are possible since 255 is odd). */
static inline unsigned mul_div_255(unsigned a, unsigned b) {
    unsigned v = a * b + 128;
    return (v + (v >> 8)) >> 8;
}

/* One row of libjpeg CMYK output -> RGB or gray.
 * in (width, 4 CMYK) -> out (width, channels), by the decoder's convention (d->cmyk):
 * - CMYK_INVERTED / CMYK_REGULAR (exact): inverted (Adobe) samples store 255 - ink, so
 *   R = c' * k' / 255 rounded with c' = sample; regular samples store ink, so c' = 255 - sample.
 *   Gray is the ITU-R 601 luma of that RGB in Pillow's fixed point (convert('L'), and our
 *   Image.grayscale()): (19595 R + 38470 G + 7471 B + 0x8000) >> 16.
 * - CMYK_OPENCV, as cv2.imread (grfmt_jpeg.cpp, icvCvt_CMYK2BGR / CMYK2Gray), every file taken
 *   as inverted: R = k - ((255 - c) * k >> 8), gray = (4899 R + 9617 G + 1868 B + 8192) >> 14,
 *   cvtColor's 14-bit weights. Checked against opencv-python 5.1. */
static void convert_cmyk_row(const uint8_t *in, uint8_t *out, unsigned width, int channels, int cmyk) {
    const unsigned flip = cmyk == CMYK_REGULAR ? 255 : 0;
    for (unsigned x = 0; x < width; x++, in += 4) {
        unsigned c = in[0] ^ flip, m = in[1] ^ flip, y = in[2] ^ flip, k = in[3] ^ flip;
        unsigned r, g, b;
        if (cmyk == CMYK_OPENCV) {
            r = k - ((255 - c) * k >> 8);
            g = k - ((255 - m) * k >> 8);
            b = k - ((255 - y) * k >> 8);
        } else {
            r = mul_div_255(c, k);
            g = mul_div_255(m, k);
            b = mul_div_255(y, k);
        }
        if (channels == 3) {
            out[0] = (uint8_t)r;
            out[1] = (uint8_t)g;
            out[2] = (uint8_t)b;
            out += 3;
        } else if (cmyk == CMYK_OPENCV) {
            *out++ = (uint8_t)((4899 * r + 9617 * g + 1868 * b + 8192) >> 14);
        } else {
            *out++ = (uint8_t)((19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16);
        }
    }
}

int cjpeg_decoder_decode(cjpeg_decoder *d, uint8_t *pixels, size_t capacity) {
    if (d->state != STATE_PREPARED) return fail(d, CJPEG_ERROR_USAGE, "decode called before prepare");
    struct jpeg_decompress_struct *cinfo = &d->cinfo;
    size_t stride = (size_t)cinfo->output_width * (size_t)d->out_channels;
    if (capacity < stride * cinfo->output_height) return fail(d, CJPEG_ERROR_USAGE, "pixel buffer too small");
    if (setjmp(d->err.jump)) return fail(d, CJPEG_ERROR_LIBRARY, NULL);

    jpeg_start_decompress(cinfo);
    if (d->cmyk != CMYK_NONE) {
        /* Pool memory: libjpeg frees it on finish/destroy, so the error path cannot leak it. */
        JSAMPARRAY row = (*cinfo->mem->alloc_sarray)((j_common_ptr)cinfo, JPOOL_IMAGE,
                                                     cinfo->output_width * 4, 1);
        while (cinfo->output_scanline < cinfo->output_height) {
            uint8_t *out = pixels + stride * cinfo->output_scanline;
            if (jpeg_read_scanlines(cinfo, row, 1) != 1) return fail(d, CJPEG_ERROR_LIBRARY, "decoder made no progress");
            convert_cmyk_row(row[0], out, cinfo->output_width, d->out_channels, d->cmyk);
        }
    } else {
        enum { BATCH = 16 };
        JSAMPROW rows[BATCH];
        while (cinfo->output_scanline < cinfo->output_height) {
            JDIMENSION first = cinfo->output_scanline;
            JDIMENSION count = cinfo->output_height - first;
            if (count > BATCH) count = BATCH;
            for (JDIMENSION i = 0; i < count; i++) rows[i] = pixels + stride * (first + i);
            if (jpeg_read_scanlines(cinfo, rows, count) == 0) return fail(d, CJPEG_ERROR_LIBRARY, "decoder made no progress");
        }
    }
    /* Reads up to EOI, so a strict decode also rejects damage after the last scanline. */
    jpeg_finish_decompress(cinfo);
    d->state = STATE_DONE;
    return CJPEG_OK;
}
