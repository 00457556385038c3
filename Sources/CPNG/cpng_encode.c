/* Encoding to memory with libpng's low-level writer: any colour type and bit depth PNG allows. */
#include "cpng_shim.h"
#include "cpng_internal.h"

#include <stdlib.h>
#include <string.h>

/* Lives in the caller's frame: locals of the frame that calls setjmp and change afterwards are
 * indeterminate after longjmp, so everything the error path frees is kept here. */
typedef struct {
    png_structp png;
    png_infop info;
    cpng_messages messages;
    uint8_t *buffer;
    size_t size;
    size_t capacity;
    png_bytep *rows;
} encoder_state;

/* png_set_write_fn callback: appends to a buffer that doubles as needed. */
static void write_to_memory(png_structp png, png_bytep data, size_t n) {
    encoder_state *s = png_get_io_ptr(png);
    if (n > s->capacity - s->size) {
        size_t capacity = s->capacity > 0 ? s->capacity : 4096;
        while (n > capacity - s->size) {
            if (capacity > SIZE_MAX / 2) png_error(png, "PNG output too large");
            capacity *= 2;
        }
        uint8_t *bigger = realloc(s->buffer, capacity);
        if (bigger == NULL) png_error(png, "out of memory");
        s->buffer = bigger;
        s->capacity = capacity;
    }
    memcpy(s->buffer + s->size, data, n);
    s->size += n;
}

static void flush_nothing(png_structp png) { (void)png; }

static int encode_body(encoder_state *s, const cpng_encode_params *p, const uint8_t *rows, size_t row_bytes) {
    if (setjmp(png_jmpbuf(s->png))) return CPNG_ERROR_LIBRARY;
    png_structp png = s->png;
    png_infop info = s->info;
    png_set_write_fn(png, s, write_to_memory, flush_nothing);
    png_set_IHDR(png, info, (png_uint_32)p->width, (png_uint_32)p->height, p->bit_depth, p->color_type,
                 p->interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, p->compression_level);
    if (p->palette != NULL) {
        png_color colors[256];
        int count = p->palette_entries;
        if (count < 1 || count > 256) png_error(png, "palette must have 1...256 entries");
        for (int i = 0; i < count; i++) {
            colors[i].red = p->palette[3 * i];
            colors[i].green = p->palette[3 * i + 1];
            colors[i].blue = p->palette[3 * i + 2];
        }
        png_set_PLTE(png, info, colors, count);
    }
    if (p->trns_alpha != NULL) {
        png_set_tRNS(png, info, p->trns_alpha, p->trns_alpha_entries, NULL);
    } else if (p->has_trns_key) {
        png_color_16 key;
        memset(&key, 0, sizeof key);
        key.gray = p->trns_key[0];
        key.red = p->trns_key[0];
        key.green = p->trns_key[1];
        key.blue = p->trns_key[2];
        png_set_tRNS(png, info, NULL, 0, &key);
    }
    png_write_info(png, info);

    s->rows = malloc(sizeof(png_bytep) * (size_t)p->height);
    if (s->rows == NULL) png_error(png, "out of memory");
    for (int y = 0; y < p->height; y++) s->rows[y] = (png_bytep)(rows + row_bytes * (size_t)y);
    png_write_image(png, s->rows); /* handles the Adam7 passes itself */
    png_write_end(png, NULL);
    return CPNG_OK;
}

int cpng_encode(const cpng_encode_params *params, const uint8_t *rows, size_t row_bytes, uint8_t **out,
                size_t *out_size, char *message, size_t message_capacity) {
    *out = NULL;
    *out_size = 0;
    if (params->width < 1 || params->height < 1) {
        cpng_copy_message(message, message_capacity, "width and height must be at least 1");
        return CPNG_ERROR_USAGE;
    }
    encoder_state *s = calloc(1, sizeof *s);
    if (s == NULL) return CPNG_ERROR_NO_MEMORY;
    s->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &s->messages, cpng_on_error, cpng_on_warning);
    if (s->png != NULL) s->info = png_create_info_struct(s->png);
    int status;
    if (s->info == NULL) {
        cpng_copy_message(s->messages.message, sizeof s->messages.message, "out of memory");
        status = CPNG_ERROR_NO_MEMORY;
    } else {
        status = encode_body(s, params, rows, row_bytes);
    }
    png_destroy_write_struct(s->png != NULL ? &s->png : NULL, s->info != NULL ? &s->info : NULL);
    free(s->rows);
    if (status == CPNG_OK) {
        *out = s->buffer;
        *out_size = s->size;
    } else {
        cpng_copy_message(message, message_capacity, s->messages.message);
        free(s->buffer);
    }
    free(s);
    return status;
}
