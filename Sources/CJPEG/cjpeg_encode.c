/*
 * In-memory JPEG encoding, used to make test fixtures (gray, RGB, CMYK/YCCK, progressive, with
 * an optional APP1 payload such as an EXIF block).
 */
#include "cjpeg_shim.h"
#include "cjpeg_internal.h"

#include <jerror.h>
#include <stddef.h>
#include <stdlib.h>

/* Everything the error path touches lives here, in the caller's frame, not in the frame that
 * calls setjmp: locals of that frame changed after setjmp are indeterminate after longjmp. */
typedef struct {
    struct jpeg_compress_struct cinfo;
    cjpeg_error_manager err;
    struct jpeg_destination_mgr destination;
    int created;
    unsigned char *buffer; /* always the live buffer, so the error path can free it */
    size_t capacity;
    size_t size;
} encoder_state;

/*
 * Our own growable memory destination instead of jpeg_mem_dest: when jpeg_mem_dest grows its
 * buffer it frees the first one but leaves the caller's pointer at it until term_destination,
 * so after an error mid-stream the caller cannot free the right block.
 */
static encoder_state *state_of(j_compress_ptr cinfo) {
    return (encoder_state *)((char *)cinfo - offsetof(encoder_state, cinfo));
}

static void destination_init(j_compress_ptr cinfo) {
    encoder_state *s = state_of(cinfo);
    s->capacity = 16384;
    s->buffer = malloc(s->capacity);
    if (s->buffer == NULL) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 0);
    s->destination.next_output_byte = s->buffer;
    s->destination.free_in_buffer = s->capacity;
}

/* libjpeg calls this when the buffer is full (free_in_buffer == 0): double it. */
static boolean destination_grow(j_compress_ptr cinfo) {
    encoder_state *s = state_of(cinfo);
    unsigned char *bigger = realloc(s->buffer, s->capacity * 2);
    if (bigger == NULL) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 0);
    s->buffer = bigger;
    s->destination.next_output_byte = bigger + s->capacity;
    s->destination.free_in_buffer = s->capacity;
    s->capacity *= 2;
    return TRUE;
}

static void destination_term(j_compress_ptr cinfo) {
    encoder_state *s = state_of(cinfo);
    s->size = s->capacity - s->destination.free_in_buffer;
}

static int encode_body(encoder_state *s, const cjpeg_encode_params *p, const uint8_t *pixels) {
    if (setjmp(s->err.jump)) return CJPEG_ERROR_LIBRARY;
    jpeg_create_compress(&s->cinfo);
    s->created = 1;
    s->destination.init_destination = destination_init;
    s->destination.empty_output_buffer = destination_grow;
    s->destination.term_destination = destination_term;
    s->cinfo.dest = &s->destination;

    struct jpeg_compress_struct *cinfo = &s->cinfo;
    cinfo->image_width = (JDIMENSION)p->width;
    cinfo->image_height = (JDIMENSION)p->height;
    cinfo->input_components = p->components;
    cinfo->in_color_space = p->components == 1 ? JCS_GRAYSCALE : p->components == 3 ? JCS_RGB : JCS_CMYK;
    jpeg_set_defaults(cinfo);
    if (p->components == 4) {
        /* jpeg_set_colorspace turns the Adobe marker on for CMYK and YCCK; the plain layout
         * turns it back off to exercise the marker-less convention. */
        jpeg_set_colorspace(cinfo, p->cmyk_layout == CJPEG_CMYK_ADOBE_YCCK ? JCS_YCCK : JCS_CMYK);
        cinfo->write_Adobe_marker = p->cmyk_layout == CJPEG_CMYK_PLAIN ? FALSE : TRUE;
    }
    jpeg_set_quality(cinfo, p->quality, TRUE);
    cinfo->dct_method = JDCT_ISLOW;
    if (p->progressive) jpeg_simple_progression(cinfo);
    if (p->app1 != NULL) cinfo->write_JFIF_header = FALSE;

    jpeg_start_compress(cinfo, TRUE);
    if (p->app1 != NULL) jpeg_write_marker(cinfo, JPEG_APP0 + 1, p->app1, (unsigned)p->app1_size);
    size_t stride = (size_t)p->width * (size_t)p->components;
    while (cinfo->next_scanline < cinfo->image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + stride * cinfo->next_scanline);
        jpeg_write_scanlines(cinfo, &row, 1);
    }
    jpeg_finish_compress(cinfo);
    return CJPEG_OK;
}

int cjpeg_encode(const cjpeg_encode_params *params, const uint8_t *pixels, uint8_t **out, size_t *out_size,
                 char *message, size_t message_capacity) {
    *out = NULL;
    *out_size = 0;
    const cjpeg_encode_params *p = params;
    const char *problem = NULL;
    if (p->width < 1 || p->height < 1 || p->width > JPEG_MAX_DIMENSION || p->height > JPEG_MAX_DIMENSION)
        problem = "width and height must be 1...65500";
    else if (p->components != 1 && p->components != 3 && p->components != 4)
        problem = "components must be 1, 3 or 4";
    else if (p->quality < 1 || p->quality > 100)
        problem = "quality must be 1...100";
    else if (p->app1 != NULL && p->app1_size > 65533)
        problem = "APP1 payload must be at most 65533 bytes";
    if (problem != NULL) {
        cjpeg_copy_message(message, message_capacity, problem);
        return CJPEG_ERROR_USAGE;
    }

    encoder_state *s = calloc(1, sizeof *s);
    if (s == NULL) {
        cjpeg_copy_message(message, message_capacity, "out of memory");
        return CJPEG_ERROR_NO_MEMORY;
    }
    s->cinfo.err = cjpeg_error_manager_init(&s->err, 0);
    int status = encode_body(s, p, pixels);
    if (s->created) jpeg_destroy_compress(&s->cinfo);
    if (status == CJPEG_OK) {
        *out = s->buffer;
        *out_size = s->size;
    } else {
        cjpeg_copy_message(message, message_capacity, s->err.message);
        free(s->buffer);
    }
    free(s);
    return status;
}
