/*
 * pb.h - a minimal, schema-less reader and writer of the protobuf wire
 * format, enough for the wido ABI example actuator in C (scaleup.c).
 *
 * The reader follows protobuf-go (and wido's abi/wire): varints of at most
 * 10 bytes (the 10th at most 1), field numbers 1..2^29-1, groups skipped
 * whole with matching end tags, wire types 6 and 7 refused. It never reads
 * outside the slice it was given and never allocates.
 *
 * The writer appends to a growable buffer (malloc/realloc). An allocation
 * failure sets buf->oom and turns every later write into a no-op, so callers
 * check once, at the end.
 */
#ifndef CSCALEUP_PB_H
#define CSCALEUP_PB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Wire types. */
enum {
	PB_VARINT = 0,
	PB_FIXED64 = 1,
	PB_LEN = 2,
	PB_SGROUP = 3,
	PB_EGROUP = 4,
	PB_FIXED32 = 5,
};

/* A view of bytes owned by someone else. */
typedef struct {
	const uint8_t *p;
	size_t n;
} pb_slice;

/* One field as read from a message. */
typedef struct {
	uint32_t num;
	uint32_t type;
	uint64_t u;   /* the value of a varint, fixed64 or fixed32 field */
	pb_slice b;   /* the value of a length-delimited field */
	pb_slice raw; /* the whole field, tag included */
} pb_field;

/* A cursor over one message. why is set when a read fails. */
typedef struct {
	const uint8_t *p, *end;
	const char *why;
} pb_reader;

void pb_reader_init(pb_reader *r, pb_slice s);

/*
 * pb_next reads the next field into f. It returns false at the end of the
 * message (r->why == NULL) or when the input is malformed (r->why says why).
 */
bool pb_next(pb_reader *r, pb_field *f);

/* pb_check reports whether s is a sequence of well-framed fields. */
const char *pb_check(pb_slice s);

/* pb_is reports whether f is field num of wire type type. */
static inline bool pb_is(const pb_field *f, uint32_t num, uint32_t type)
{
	return f->num == num && f->type == type;
}

double pb_double(uint64_t bits);
uint64_t pb_double_bits(double v);

/* pb_utf8 reports whether s is valid UTF-8 (as Go's utf8.Valid). */
bool pb_utf8(pb_slice s);

bool pb_equal(pb_slice a, const char *s);

/* A growable output buffer. The zero value is an empty buffer. */
typedef struct {
	uint8_t *p;
	size_t len, cap;
	bool oom;
} pb_buf;

void pb_reset(pb_buf *b);
void pb_raw(pb_buf *b, const void *p, size_t n);
void pb_varint(pb_buf *b, uint64_t v);
void pb_tag(pb_buf *b, uint32_t num, uint32_t type);
void pb_bytes(pb_buf *b, uint32_t num, const void *p, size_t n);
void pb_string(pb_buf *b, uint32_t num, const char *s);
void pb_fixed64(pb_buf *b, uint32_t num, double v);
void pb_uint(pb_buf *b, uint32_t num, uint64_t v);

/*
 * pb_begin starts a length-delimited field num (a nested message) and
 * returns a mark for pb_end, which writes the length once the content is
 * known. Begin/end pairs nest.
 */
size_t pb_begin(pb_buf *b, uint32_t num);
void pb_end(pb_buf *b, size_t mark);

#endif
