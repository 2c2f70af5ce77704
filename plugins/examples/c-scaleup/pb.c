/* pb.c - see pb.h. */
#include "pb.h"

#include <stdlib.h>
#include <string.h>

#define PB_MAX_FIELD ((1u << 29) - 1)
/* How deep unknown groups may nest. protobuf-go allows 10000; nothing in
 * plugins.proto is a group, so a small bound (and no recursion) will do. */
#define PB_MAX_GROUP_DEPTH 64

void pb_reader_init(pb_reader *r, pb_slice s)
{
	r->p = s.p;
	r->end = s.p + s.n;
	r->why = NULL;
}

/* varint reads a varint at *pp, not past end. */
static const char *varint(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
	const uint8_t *p = *pp;
	uint64_t x = 0;
	for (int i = 0; i < 10; i++) {
		if (p == end)
			return "truncated varint";
		uint64_t y = *p++;
		if (i == 9) {
			if (y > 1)
				return "varint overflows 64 bits";
			x |= y << 63;
			break;
		}
		x |= (y & 0x7f) << (7 * i);
		if (y < 0x80)
			break;
	}
	*pp = p;
	*v = x;
	return NULL;
}

/*
 * value skips the value of a field of wire type type at *pp, filling f's
 * value when f is not NULL. Groups are skipped iteratively.
 */
static const char *value(const uint8_t **pp, const uint8_t *end, uint32_t num, uint32_t type, pb_field *f)
{
	const uint8_t *p = *pp;
	uint64_t u = 0;
	const char *why;
	switch (type) {
	case PB_VARINT:
		if ((why = varint(&p, end, &u)) != NULL)
			return why;
		break;
	case PB_FIXED64:
		if ((size_t)(end - p) < 8)
			return "truncated fixed64";
		for (int i = 7; i >= 0; i--)
			u = u << 8 | p[i];
		p += 8;
		break;
	case PB_FIXED32:
		if ((size_t)(end - p) < 4)
			return "truncated fixed32";
		for (int i = 3; i >= 0; i--)
			u = u << 8 | p[i];
		p += 4;
		break;
	case PB_LEN:
		if ((why = varint(&p, end, &u)) != NULL)
			return why;
		if (u > (uint64_t)(end - p))
			return "length exceeds the remaining bytes";
		if (f != NULL) {
			f->b.p = p;
			f->b.n = (size_t)u;
		}
		p += (size_t)u;
		break;
	case PB_SGROUP: {
		uint32_t open[PB_MAX_GROUP_DEPTH];
		int depth = 0;
		open[depth++] = num;
		while (depth > 0) {
			uint64_t tag;
			if ((why = varint(&p, end, &tag)) != NULL)
				return why;
			uint64_t n = tag >> 3;
			uint32_t t = (uint32_t)(tag & 7);
			if (n < 1 || n > 0x7fffffff)
				return "invalid field number";
			if (t == PB_EGROUP) {
				if (open[depth - 1] != (uint32_t)n)
					return "end group does not match its start group";
				depth--;
			} else if (t == PB_SGROUP) {
				if (depth == PB_MAX_GROUP_DEPTH)
					return "groups nested too deeply";
				open[depth++] = (uint32_t)n;
			} else if ((why = value(&p, end, (uint32_t)n, t, NULL)) != NULL) {
				return why;
			}
		}
		break;
	}
	case PB_EGROUP:
		return "end group without a start group";
	default:
		return "invalid wire type";
	}
	if (f != NULL)
		f->u = u;
	*pp = p;
	return NULL;
}

bool pb_next(pb_reader *r, pb_field *f)
{
	if (r->why != NULL || r->p == r->end)
		return false;
	const uint8_t *p = r->p;
	uint64_t tag;
	if ((r->why = varint(&p, r->end, &tag)) != NULL)
		return false;
	uint64_t num = tag >> 3;
	if (num < 1 || num > PB_MAX_FIELD) {
		r->why = "invalid field number";
		return false;
	}
	f->num = (uint32_t)num;
	f->type = (uint32_t)(tag & 7);
	f->u = 0;
	f->b.p = NULL;
	f->b.n = 0;
	if ((r->why = value(&p, r->end, f->num, f->type, f)) != NULL)
		return false;
	f->raw.p = r->p;
	f->raw.n = (size_t)(p - r->p);
	r->p = p;
	return true;
}

const char *pb_check(pb_slice s)
{
	pb_reader r;
	pb_field f;
	pb_reader_init(&r, s);
	while (pb_next(&r, &f)) {
	}
	return r.why;
}

double pb_double(uint64_t bits)
{
	double v;
	memcpy(&v, &bits, sizeof v);
	return v;
}

uint64_t pb_double_bits(double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	return bits;
}

bool pb_utf8(pb_slice s)
{
	const uint8_t *p = s.p, *end = s.p + s.n;
	while (p < end) {
		uint8_t c = *p;
		if (c < 0x80) {
			p++;
			continue;
		}
		size_t n;
		uint32_t min, cp;
		if ((c & 0xe0) == 0xc0) {
			n = 2, min = 0x80, cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 3, min = 0x800, cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 4, min = 0x10000, cp = c & 0x07;
		} else {
			return false;
		}
		if ((size_t)(end - p) < n)
			return false;
		for (size_t i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += n;
	}
	return true;
}

bool pb_equal(pb_slice a, const char *s)
{
	size_t n = strlen(s);
	return a.n == n && memcmp(a.p, s, n) == 0;
}

void pb_reset(pb_buf *b)
{
	b->len = 0;
	b->oom = false;
}

/* grow makes room for n more bytes. */
static bool grow(pb_buf *b, size_t n)
{
	if (b->oom)
		return false;
	if (n <= b->cap - b->len)
		return true;
	if (n > SIZE_MAX / 2 - b->len) {
		b->oom = true;
		return false;
	}
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len < n)
		cap *= 2;
	uint8_t *p = realloc(b->p, cap);
	if (p == NULL) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void pb_raw(pb_buf *b, const void *p, size_t n)
{
	if (n == 0 || !grow(b, n))
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static size_t varint_size(uint64_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static void put_varint_at(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p = (uint8_t)v;
}

void pb_varint(pb_buf *b, uint64_t v)
{
	size_t n = varint_size(v);
	if (!grow(b, n))
		return;
	put_varint_at(b->p + b->len, v);
	b->len += n;
}

void pb_tag(pb_buf *b, uint32_t num, uint32_t type)
{
	pb_varint(b, (uint64_t)num << 3 | type);
}

void pb_bytes(pb_buf *b, uint32_t num, const void *p, size_t n)
{
	pb_tag(b, num, PB_LEN);
	pb_varint(b, n);
	pb_raw(b, p, n);
}

void pb_string(pb_buf *b, uint32_t num, const char *s)
{
	pb_bytes(b, num, s, strlen(s));
}

void pb_fixed64(pb_buf *b, uint32_t num, double v)
{
	uint64_t bits = pb_double_bits(v);
	uint8_t le[8];
	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)(bits >> (8 * i));
	pb_tag(b, num, PB_FIXED64);
	pb_raw(b, le, sizeof le);
}

void pb_uint(pb_buf *b, uint32_t num, uint64_t v)
{
	pb_tag(b, num, PB_VARINT);
	pb_varint(b, v);
}

size_t pb_begin(pb_buf *b, uint32_t num)
{
	/* One byte is reserved for the length, enough for a body of up to
	 * 127 bytes; pb_end moves a longer body to make room. */
	pb_tag(b, num, PB_LEN);
	if (grow(b, 1))
		b->len++;
	return b->len;
}

void pb_end(pb_buf *b, size_t mark)
{
	if (b->oom)
		return;
	size_t body = b->len - mark;
	size_t n = varint_size(body);
	if (n > 1) {
		if (!grow(b, n - 1))
			return;
		memmove(b->p + mark + n - 1, b->p + mark, body);
		b->len += n - 1;
	}
	put_varint_at(b->p + mark - 1, body);
}
