/*
 * EXIF orientation from APP1: "Exif\0\0", then a TIFF header ("II*\0" little-endian or "MM\0*"
 * big-endian) whose 4-byte offset points at IFD0: a 2-byte entry count and 12-byte entries of
 * (tag u16, type u16, count u32, value-or-offset u32). Tag 0x0112 is Orientation, type SHORT (3),
 * value in the first two bytes of the value field. Every read is bounds-checked against the
 * payload; anything malformed yields 1 (upright) rather than an error, as camera EXIF is often
 * damaged by editors while the pixels are fine.
 */
#include "cjpeg_internal.h"

#include <string.h>

static unsigned read16(const uint8_t *p, int little) {
    return little ? (unsigned)p[0] | (unsigned)p[1] << 8 : (unsigned)p[0] << 8 | (unsigned)p[1];
}

static uint32_t read32(const uint8_t *p, int little) {
    return little ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
                  : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int cjpeg_exif_orientation_from_app1(const uint8_t *payload, size_t size) {
    static const uint8_t exif_header[6] = {'E', 'x', 'i', 'f', 0, 0};
    if (payload == NULL || size < 6 || memcmp(payload, exif_header, 6) != 0) return 0;
    const uint8_t *tiff = payload + 6;
    size_t length = size - 6;
    if (length < 8) return 1;

    int little;
    if (tiff[0] == 'I' && tiff[1] == 'I') little = 1;
    else if (tiff[0] == 'M' && tiff[1] == 'M') little = 0;
    else return 1;
    if (read16(tiff + 2, little) != 42) return 1;

    uint32_t ifd = read32(tiff + 4, little);
    if (ifd > length || length - ifd < 2) return 1;
    unsigned count = read16(tiff + ifd, little);
    size_t entries = (size_t)ifd + 2;
    for (unsigned i = 0; i < count; i++) {
        size_t entry = entries + (size_t)i * 12;
        if (entry > length || length - entry < 12) return 1; /* IFD runs past the payload */
        if (read16(tiff + entry, little) != 0x0112) continue;
        unsigned type = read16(tiff + entry + 2, little);
        uint32_t values = read32(tiff + entry + 4, little);
        if (type != 3 || values < 1) return 1;
        unsigned orientation = read16(tiff + entry + 8, little);
        return orientation >= 1 && orientation <= 8 ? (int)orientation : 1;
    }
    return 1;
}

int cjpeg_exif_orientation(const struct jpeg_decompress_struct *cinfo) {
    for (jpeg_saved_marker_ptr marker = cinfo->marker_list; marker != NULL; marker = marker->next) {
        if (marker->marker != JPEG_APP0 + 1) continue;
        int orientation = cjpeg_exif_orientation_from_app1(marker->data, marker->data_length);
        if (orientation != 0) return orientation; /* first EXIF block wins; XMP APP1s return 0 */
    }
    return 1;
}
