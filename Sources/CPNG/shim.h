// libpng 1.6 (Debian: libpng-dev, pkg-config "libpng16"), plus the two calls ImageIO makes.
//
// libpng reports errors with longjmp, which Swift cannot catch: every libpng call therefore happens
// inside one of the C functions below, each with its own setjmp, and an error comes back as a
// return value of 0 and a message in `message`. Nothing here ever aborts the process.
#ifndef SWIFTCOMFY_CPNG_SHIM_H
#define SWIFTCOMFY_CPNG_SHIM_H

#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SCPNG_MESSAGE 256

/// The decoded image: 8- or 16-bit samples (16-bit in host byte order), 1-4 channels
/// (gray, gray+alpha, RGB, RGBA), rows packed. Palettes are expanded to RGB, or RGBA when the
/// palette has transparency; 1/2/4-bit gray is scaled to 8 bits.
typedef struct {
    png_uint_32 width, height;
    int channels;
    int bit_depth;
    int color_type;       // as stored in the file (PNG_COLOR_TYPE_*)
    int palette_alpha;    // 1 when the alpha channel came from a palette's tRNS chunk
    unsigned char *pixels;
    size_t pixel_bytes;
    // Text chunks, packed: for each, 1 byte kind (0 Latin-1, 1 UTF-8), u32 key length, key,
    // u32 text length, text (lengths in host byte order).
    unsigned char *texts;
    size_t text_bytes;
    char message[SCPNG_MESSAGE];
} scpng_decoded;

typedef struct {
    const unsigned char *data;
    size_t size, offset;
    char *message;
} scpng_source;

typedef struct {
    unsigned char *data;
    size_t size, capacity;
    int failed;
} scpng_sink;

static void scpng_error(png_structp png, png_const_charp text) {
    char *message = (char *)png_get_error_ptr(png);
    if (message) {
        strncpy(message, text ? text : "libpng error", SCPNG_MESSAGE - 1);
        message[SCPNG_MESSAGE - 1] = 0;
    }
    png_longjmp(png, 1);
}

static void scpng_warning(png_structp png, png_const_charp text) { (void)png; (void)text; }

static void scpng_read_bytes(png_structp png, png_bytep out, size_t count) {
    scpng_source *src = (scpng_source *)png_get_io_ptr(png);
    if (count > src->size - src->offset) png_error(png, "unexpected end of file (truncated PNG)");
    memcpy(out, src->data + src->offset, count);
    src->offset += count;
}

static void scpng_write_bytes(png_structp png, png_bytep in, size_t count) {
    scpng_sink *sink = (scpng_sink *)png_get_io_ptr(png);
    if (sink->size + count > sink->capacity) {
        size_t capacity = sink->capacity ? sink->capacity : 65536;
        while (capacity < sink->size + count) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(sink->data, capacity);
        if (!grown) { sink->failed = 1; png_error(png, "out of memory while encoding"); }
        sink->data = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->data + sink->size, in, count);
    sink->size += count;
}

static void scpng_flush(png_structp png) { (void)png; }

static inline void scpng_append(unsigned char *buf, size_t *at, const void *bytes, size_t count) {
    memcpy(buf + *at, bytes, count);
    *at += count;
}

/// Packs the text chunks libpng has collected into `out->texts`. Returns 0 when out of memory.
static inline int scpng_collect_texts(png_structp png, png_infop info, scpng_decoded *out) {
    png_textp texts = NULL;
    int count = png_get_text(png, info, &texts, NULL);
    size_t total = 0;
    for (int i = 0; i < count; i++) {
        size_t length = texts[i].compression > 0 ? texts[i].itxt_length : texts[i].text_length;
        total += 9 + strlen(texts[i].key) + length;
    }
    if (total == 0) return 1;
    unsigned char *buf = (unsigned char *)malloc(total);
    if (!buf) return 0;
    size_t at = 0;
    for (int i = 0; i < count; i++) {
        unsigned char kind = texts[i].compression > 0 ? 1 : 0;
        uint32_t key_length = (uint32_t)strlen(texts[i].key);
        uint32_t length = (uint32_t)(kind ? texts[i].itxt_length : texts[i].text_length);
        scpng_append(buf, &at, &kind, 1);
        scpng_append(buf, &at, &key_length, 4);
        scpng_append(buf, &at, texts[i].key, key_length);
        scpng_append(buf, &at, &length, 4);
        if (length) scpng_append(buf, &at, texts[i].text, length);
    }
    out->texts = buf;
    out->text_bytes = at;
    return 1;
}

/// Decodes a whole PNG held in memory. Returns 1 on success; 0 with `out->message` set otherwise
/// (then nothing needs freeing). `max_pixels` bounds width * height (decompression bombs).
static inline int scpng_decode(const unsigned char *data, size_t size, unsigned long long max_pixels,
                               scpng_decoded *out) {
    memset(out, 0, sizeof(*out));
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        strcpy(out->message, "not a PNG file (bad signature)");
        return 0;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, out->message, scpng_error, scpng_warning);
    if (!png) { strcpy(out->message, "libpng could not start"); return 0; }
    png_infop info = png_create_info_struct(png);
    png_bytepp volatile rows = NULL;
    unsigned char *volatile pixels = NULL;
    scpng_source source = { data, size, 0, out->message };
    if (!info || setjmp(png_jmpbuf(png))) {
        free(rows);
        free(pixels);
        free(out->texts);
        out->texts = NULL;
        out->pixels = NULL;
        png_destroy_read_struct(&png, info ? &info : NULL, NULL);
        if (!out->message[0]) strcpy(out->message, "libpng could not decode the file");
        return 0;
    }
    png_set_read_fn(png, &source, scpng_read_bytes);
    png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    png_read_info(png, info);
    png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
    int color_type = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    if ((unsigned long long)width * height > max_pixels) png_error(png, "image too large (more pixels than the decompression-bomb limit)");
    out->palette_alpha = color_type == PNG_COLOR_TYPE_PALETTE && png_get_valid(png, info, PNG_INFO_tRNS);
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_set_palette_to_rgb(png);
        if (out->palette_alpha) png_set_tRNS_to_alpha(png);
    }
    if (color_type == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16) png_set_swap(png);   // host byte order (little-endian hosts)
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    out->width = width;
    out->height = height;
    out->channels = png_get_channels(png, info);
    out->bit_depth = png_get_bit_depth(png, info);
    out->color_type = color_type;
    out->pixel_bytes = row_bytes * height;
    pixels = (unsigned char *)malloc(out->pixel_bytes ? out->pixel_bytes : 1);
    rows = (png_bytepp)malloc(sizeof(png_bytep) * (height ? height : 1));
    if (!pixels || !rows) png_error(png, "out of memory for the decoded image");
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + (size_t)y * row_bytes;
    png_read_image(png, rows);
    png_read_end(png, info);
    if (!scpng_collect_texts(png, info, out)) png_error(png, "out of memory for text chunks");
    out->pixels = pixels;
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return 1;
}

static inline void scpng_free(scpng_decoded *image) {
    free(image->pixels);
    free(image->texts);
    image->pixels = NULL;
    image->texts = NULL;
}

/// One text chunk to write: `utf8` 0 writes tEXt (text must be Latin-1 bytes), 1 writes iTXt.
typedef struct {
    const char *key;
    const char *text;
    size_t length;
    int utf8;
} scpng_text;

/// Encodes 8- or 16-bit samples (16-bit in host byte order), 1-4 channels, into a PNG in memory
/// with the text chunks (in order, before the image data) and zlib `level`. Returns 1 with
/// `*out`/`*out_size` (free with `free`), or 0 with `message` set.
static inline int scpng_encode(const unsigned char *pixels, png_uint_32 width, png_uint_32 height,
                               int channels, int bit_depth, const scpng_text *texts, int text_count,
                               int level, unsigned char **out, size_t *out_size, char *message) {
    static const int color_types[5] = { 0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                        PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA };
    message[0] = 0;
    *out = NULL;
    *out_size = 0;
    if (channels < 1 || channels > 4 || (bit_depth != 8 && bit_depth != 16)) {
        strcpy(message, "unsupported channel count or bit depth");
        return 0;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, message, scpng_error, scpng_warning);
    if (!png) { strcpy(message, "libpng could not start"); return 0; }
    png_infop info = png_create_info_struct(png);
    png_textp volatile chunks = NULL;
    scpng_sink sink = { NULL, 0, 0, 0 };
    if (!info || setjmp(png_jmpbuf(png))) {
        free(chunks);
        free(sink.data);
        png_destroy_write_struct(&png, info ? &info : NULL);
        if (!message[0]) strcpy(message, "libpng could not encode the image");
        return 0;
    }
    png_set_write_fn(png, &sink, scpng_write_bytes, scpng_flush);
    png_set_compression_level(png, level);
    png_set_IHDR(png, info, width, height, bit_depth, color_types[channels], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (text_count > 0) {
        chunks = (png_textp)calloc((size_t)text_count, sizeof(png_text));
        if (!chunks) png_error(png, "out of memory for text chunks");
        for (int i = 0; i < text_count; i++) {
            chunks[i].compression = texts[i].utf8 ? PNG_ITXT_COMPRESSION_NONE : PNG_TEXT_COMPRESSION_NONE;
            chunks[i].key = (png_charp)texts[i].key;
            chunks[i].text = (png_charp)texts[i].text;
            if (texts[i].utf8) chunks[i].itxt_length = texts[i].length; else chunks[i].text_length = texts[i].length;
        }
        png_set_text(png, info, chunks, text_count);
    }
    png_write_info(png, info);
    if (bit_depth == 16) png_set_swap(png);
    size_t row_bytes = (size_t)width * (size_t)channels * (size_t)(bit_depth / 8);
    for (png_uint_32 y = 0; y < height; y++) png_write_row(png, (png_const_bytep)(pixels + (size_t)y * row_bytes));
    png_write_end(png, info);
    free(chunks);
    png_destroy_write_struct(&png, &info);
    *out = sink.data;
    *out_size = sink.size;
    return 1;
}

static inline void scpng_release(unsigned char *bytes) { free(bytes); }

#endif
