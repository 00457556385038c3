#include "cpng_internal.h"
#include "cpng_shim.h"

#include <stdlib.h>
#include <string.h>

void cpng_copy_message(char *destination, size_t capacity, const char *source) {
    if (destination == NULL || capacity == 0) return;
    size_t length = strlen(source);
    if (length >= capacity) length = capacity - 1;
    memcpy(destination, source, length);
    destination[length] = '\0';
}

void cpng_on_error(png_structp png, png_const_charp message) {
    cpng_messages *messages = png_get_error_ptr(png);
    if (messages != NULL) {
        cpng_copy_message(messages->message, sizeof messages->message, message);
        if (strcmp(message, "Invalid IHDR data") == 0 && messages->last_warning[0] != '\0') {
            size_t used = strlen(messages->message);
            cpng_copy_message(messages->message + used, sizeof messages->message - used, ": ");
            used = strlen(messages->message);
            cpng_copy_message(messages->message + used, sizeof messages->message - used, messages->last_warning);
        }
    }
    png_longjmp(png, 1);
}

void cpng_on_warning(png_structp png, png_const_charp message) {
    cpng_messages *messages = png_get_error_ptr(png);
    if (messages != NULL) cpng_copy_message(messages->last_warning, sizeof messages->last_warning, message);
}

void cpng_free(void *pointer) { free(pointer); }
