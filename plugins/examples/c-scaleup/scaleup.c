/*
 * scaleup.c - cScaleUp, a wido actuator written in C against the Wasm ABI
 * of abi/ABI.md (version 1) and the messages of abi/proto/plugins.proto,
 * with no code from wido: it shows the ABI is language-neutral.
 *
 * Build (see README.md and the Makefile's bin/plugins/c-scaleup.wasm rule):
 *
 *   clang --target=wasm32-wasi -mexec-model=reactor -O2 -mbulk-memory \
 *       -std=c11 -Wl,--strip-all -o c-scaleup.wasm pb.c scaleup.c
 *
 * (-mbulk-memory, part of WebAssembly 2.0, turns memcpy/memmove into
 * memory.copy, about twice as fast under wazero as wasi-libc's loops.)
 *
 * What it does
 *
 * describe: configuration key "max_steps", an integer 1..16 (default 4).
 *   Any other key, or another value, is refused with INVALID_ARGUMENT naming
 *   the key. Answers ActuatorInfo{name: "cScaleUp", group: "cScaleUp",
 *   version: "0.1.0"}.
 *
 * next_state: with n the number of distinct pods of the state
 *   (State.current_pods), proposes for k = 1..max_steps the same state with
 *   k more pods, named "cscaleup-new-<j>" for the k first j > n whose name
 *   is not taken, each PodState{availability: 1, state: "Running"}, and
 *   every objective whose profile (request.profiles[key].profile_type) is
 *   LATENCY scaled by n/(n+k) (unchanged when n == 0); other objectives are
 *   unchanged. The utility of candidate k is k, its action
 *   cScaleUp{replicas: k} (an INT_PROPERTY action).
 *
 *   The state is rewritten at the field level: every field it does not
 *   change (current_data, resources, annotations, the other fields of the
 *   intent, the pods, unknown fields) is copied byte for byte; only
 *   intent.objectives is re-encoded and the new pods are appended.
 *
 * perform: for the first action named "cScaleUp" of PerformRequest.plan,
 *   with k its "replicas" int property, answers PerformResponse{operations:
 *   [Operation{kind: SCALE, replicas: n + k}]}; without such an action, an
 *   empty PerformResponse.
 *
 * effect: learns nothing; an empty EffectResponse.
 *
 * Every export returns an Envelope, as (pointer << 32) | length. A request
 * that does not decode, or is not acceptable, gets an error envelope with
 * code INVALID_ARGUMENT, never a trap; running out of memory gets INTERNAL.
 * Strings this actuator reads are checked to be UTF-8; message fields it
 * only copies are checked to be well framed, not decoded.
 *
 * Memory: the request buffer, the envelope and the scratch arrays are
 * malloc'd, grown as needed and reused from call to call. The only arrays
 * of fixed size hold what has a proven bound (the digits of a 64-bit
 * number, the 16 new pod names, the group nesting of pb.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pb.h"

#define NAME "cScaleUp"
#define GROUP "cScaleUp"
#define VERSION "0.1.0"
#define NEW_POD_PREFIX "cscaleup-new-"
#define DEFAULT_MAX_STEPS 4
#define MAX_MAX_STEPS 16
/* The host's default response cap (ABI.md, "Limits"): a larger envelope
 * would be treated as malformed and the instance discarded, so the guest
 * refuses to produce one. */
#define RESPONSE_CAP (16u << 20)

/* Field numbers and enum values of plugins.proto. */
enum { ERR_INVALID_ARGUMENT = 1, ERR_INTERNAL = 2 };
enum { PROFILE_LATENCY = 1 };
enum { OP_SCALE = 1 };

#define EXPORT(name) __attribute__((export_name(name)))

/* The configuration, set by describe. */
static int max_steps = DEFAULT_MAX_STEPS;

/* The request buffer handed out by wido_v1_buffer. */
static uint8_t *req_buf;
static size_t req_cap;

/* The envelope of the last call and an error message being built. */
static pb_buf out, msg;

/* An envelope for when there is no memory left to build one. */
static const uint8_t oom_envelope[] = {
	0x12, 17,                  /* Envelope.error, 17 bytes */
	0x08, ERR_INTERNAL,        /* Error.code */
	0x12, 13,                  /* Error.message, 13 bytes */
	'o', 'u', 't', ' ', 'o', 'f', ' ', 'm', 'e', 'm', 'o', 'r', 'y',
};
_Static_assert(sizeof oom_envelope == 19, "oom_envelope: fix the lengths");

/* A growable array of slices. */
typedef struct {
	pb_slice *v;
	size_t n, cap;
} slices;

static void push(slices *s, pb_slice x)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		pb_slice *v = (cap > SIZE_MAX / sizeof *v) ? NULL : realloc(s->v, cap * sizeof *v);
		if (v == NULL) {
			out.oom = true; /* reported as INTERNAL by reply() */
			return;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = x;
}

/* Error messages. */

static void say(const char *s) { pb_raw(&msg, s, strlen(s)); }

static void say_uint(uint64_t v)
{
	char d[20];
	size_t i = sizeof d;
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && i > 0);
	pb_raw(&msg, d + i, sizeof d - i);
}

/* say_quoted writes s in double quotes, at most 64 bytes of it, with
 * anything but printable ASCII escaped, so the message is always UTF-8. */
static void say_quoted(pb_slice s)
{
	static const char hex[] = "0123456789abcdef";
	say("\"");
	for (size_t i = 0; i < s.n && i < 64; i++) {
		uint8_t c = s.p[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			pb_raw(&msg, &c, 1);
		} else {
			char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
			pb_raw(&msg, e, sizeof e);
		}
	}
	say(s.n > 64 ? "\"..." : "\"");
}

/* Envelopes. */

static uint64_t pack(const void *p, size_t n)
{
	return (uint64_t)(uintptr_t)p << 32 | (uint32_t)n;
}

/* fail replaces whatever out holds with an error envelope of code and the
 * message in msg. */
static uint64_t fail(uint32_t code)
{
	if (msg.oom)
		return pack(oom_envelope, sizeof oom_envelope);
	pb_reset(&out);
	size_t e = pb_begin(&out, 2);
	pb_uint(&out, 1, code);
	pb_bytes(&out, 2, msg.p, msg.len);
	pb_end(&out, e);
	if (out.oom)
		return pack(oom_envelope, sizeof oom_envelope);
	return pack(out.p, out.len);
}

/* invalid fails with INVALID_ARGUMENT: "<what>: <why>", appended to what
 * msg already holds (begin empties it). */
static uint64_t invalid(const char *what, const char *why)
{
	say(what);
	if (why != NULL) {
		say(": ");
		say(why);
	}
	return fail(ERR_INVALID_ARGUMENT);
}

/* begin starts a call: an envelope with a result field, whose content the
 * call writes into out. */
static size_t begin(void)
{
	pb_reset(&out);
	pb_reset(&msg);
	return pb_begin(&out, 1);
}

/* reply finishes the result started by begin. */
static uint64_t reply(size_t mark)
{
	pb_end(&out, mark);
	if (out.oom)
		return pack(oom_envelope, sizeof oom_envelope);
	if (out.len > RESPONSE_CAP) {
		pb_reset(&msg);
		say("the response would be ");
		say_uint(out.len);
		say(" bytes, more than the host's cap of 16 MiB; lower max_steps");
		return fail(ERR_INVALID_ARGUMENT);
	}
	return pack(out.p, out.len);
}

/* request checks that [ptr, ptr+len) lies in linear memory. */
static bool request(uint32_t ptr, uint32_t len, pb_slice *s)
{
	uint64_t size = (uint64_t)__builtin_wasm_memory_size(0) * 65536;
	if ((ptr == 0 && len != 0) || (uint64_t)ptr + len > size)
		return false;
	s->p = (const uint8_t *)(uintptr_t)ptr;
	s->n = len;
	return true;
}

/* The ABI. */

EXPORT("wido_abi_v1") void wido_abi_v1(void) {}

EXPORT("wido_v1_buffer") uint32_t wido_v1_buffer(uint32_t size)
{
	if (size == 0)
		size = 1; /* a valid, non-zero pointer even for an empty request */
	if (size > req_cap) {
		uint8_t *p = malloc(size);
		if (p == NULL)
			return 0;
		free(req_buf);
		req_buf = p;
		req_cap = size;
	}
	return (uint32_t)(uintptr_t)req_buf;
}

/* describe */

/* parse_steps parses a decimal integer 1..MAX_MAX_STEPS. */
static bool parse_steps(pb_slice v, int *steps)
{
	if (v.n == 0 || v.n > 2)
		return false;
	int x = 0;
	for (size_t i = 0; i < v.n; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return false;
		x = x * 10 + (v.p[i] - '0');
	}
	if (x < 1 || x > MAX_MAX_STEPS)
		return false;
	*steps = x;
	return true;
}

/* string_entry reads a map<string, string> entry. */
static const char *string_entry(pb_slice e, pb_slice *key, pb_slice *val)
{
	pb_reader r;
	pb_field f;
	key->n = val->n = 0;
	key->p = val->p = e.p;
	pb_reader_init(&r, e);
	while (pb_next(&r, &f)) {
		if (pb_is(&f, 1, PB_LEN))
			*key = f.b;
		else if (pb_is(&f, 2, PB_LEN))
			*val = f.b;
	}
	if (r.why != NULL)
		return r.why;
	if (!pb_utf8(*key) || !pb_utf8(*val))
		return "invalid UTF-8";
	return NULL;
}

EXPORT("wido_v1_describe") uint64_t wido_v1_describe(uint32_t ptr, uint32_t len)
{
	size_t mark = begin();
	pb_slice req;
	if (!request(ptr, len, &req))
		return invalid("DescribeRequest", "outside the guest's memory");
	int steps = DEFAULT_MAX_STEPS;
	pb_reader r;
	pb_field f;
	pb_reader_init(&r, req);
	while (pb_next(&r, &f)) {
		if (!pb_is(&f, 1, PB_LEN))
			continue;
		pb_slice key, val;
		const char *why = string_entry(f.b, &key, &val);
		if (why != NULL)
			return invalid("DescribeRequest.config", why);
		if (!pb_equal(key, "max_steps")) {
			say("config key ");
			say_quoted(key);
			say(" is unknown: " NAME " takes only max_steps");
			return fail(ERR_INVALID_ARGUMENT);
		}
		if (!parse_steps(val, &steps)) {
			say("config key \"max_steps\": ");
			say_quoted(val);
			say(" is not an integer from 1 to 16");
			return fail(ERR_INVALID_ARGUMENT);
		}
	}
	if (r.why != NULL)
		return invalid("DescribeRequest", r.why);
	max_steps = steps;
	pb_string(&out, 1, NAME);
	pb_string(&out, 2, GROUP);
	pb_string(&out, 3, VERSION);
	return reply(mark);
}

/* States */

/* A profile: its key and profile_type. */
typedef struct {
	pb_slice key;
	uint64_t type;
} profile;

static profile *profiles;
static size_t nprofiles, profiles_cap;

static void push_profile(profile p)
{
	if (nprofiles == profiles_cap) {
		size_t cap = profiles_cap ? profiles_cap * 2 : 8;
		profile *v = (cap > SIZE_MAX / sizeof *v) ? NULL : realloc(profiles, cap * sizeof *v);
		if (v == NULL) {
			out.oom = true;
			return;
		}
		profiles = v;
		profiles_cap = cap;
	}
	profiles[nprofiles++] = p;
}

/* is_latency reports whether the profile of key is LATENCY. The last entry
 * of a key wins, as in a protobuf map. */
static bool is_latency(pb_slice key)
{
	for (size_t i = nprofiles; i > 0; i--) {
		if (profiles[i - 1].key.n == key.n && memcmp(profiles[i - 1].key.p, key.p, key.n) == 0)
			return profiles[i - 1].type == PROFILE_LATENCY;
	}
	return false;
}

/* profile_entry reads a map<string, Profile> entry. */
static const char *profile_entry(pb_slice e)
{
	pb_reader r;
	pb_field f;
	profile p = {{e.p, 0}, 0};
	pb_reader_init(&r, e);
	while (pb_next(&r, &f)) {
		if (pb_is(&f, 1, PB_LEN)) {
			p.key = f.b;
		} else if (pb_is(&f, 2, PB_LEN)) {
			/* Occurrences of the value in one entry merge; a later
			 * entry of the same key replaces this one (is_latency). */
			pb_reader pr;
			pb_field pf;
			pb_reader_init(&pr, f.b);
			while (pb_next(&pr, &pf)) {
				if (pb_is(&pf, 1, PB_LEN) && !pb_utf8(pf.b))
					return "invalid UTF-8";
				if (pb_is(&pf, 2, PB_VARINT))
					p.type = (uint32_t)pf.u; /* an int32 enum */
			}
			if (pr.why != NULL)
				return pr.why;
		}
	}
	if (r.why != NULL)
		return r.why;
	if (!pb_utf8(p.key))
		return "invalid UTF-8";
	push_profile(p);
	return NULL;
}

/* double_entry reads a map<string, double> entry. */
static const char *double_entry(pb_slice e, pb_slice *key, uint64_t *bits)
{
	pb_reader r;
	pb_field f;
	key->p = e.p;
	key->n = 0;
	*bits = 0;
	pb_reader_init(&r, e);
	while (pb_next(&r, &f)) {
		if (pb_is(&f, 1, PB_LEN))
			*key = f.b;
		else if (pb_is(&f, 2, PB_FIXED64))
			*bits = f.u;
	}
	if (r.why != NULL)
		return r.why;
	if (!pb_utf8(*key))
		return "invalid UTF-8";
	return NULL;
}

/* A state: the occurrences of the State field (protobuf merges them; so
 * does processing their fields in order) and its pods' names, sorted. */
typedef struct {
	slices parts;
	slices pods;
	size_t n; /* distinct pods */
} state;

static state st;

static int compare(const void *a, const void *b)
{
	const pb_slice *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = n ? memcmp(x->p, y->p, n) : 0;
	if (c != 0)
		return c;
	return (x->n > y->n) - (x->n < y->n);
}

/* check_intent checks the parts of an Intent this actuator reads. */
static const char *check_intent(pb_slice intent)
{
	pb_reader r;
	pb_field f;
	pb_reader_init(&r, intent);
	while (pb_next(&r, &f)) {
		if (pb_is(&f, 5, PB_LEN)) {
			pb_slice key;
			uint64_t bits;
			const char *why = double_entry(f.b, &key, &bits);
			if (why != NULL)
				return why;
		}
	}
	return r.why;
}

/* pod_entry reads a map<string, PodState> entry: the pod's name. */
static const char *pod_entry(pb_slice e, pb_slice *key)
{
	pb_reader r;
	pb_field f;
	key->p = e.p;
	key->n = 0;
	pb_reader_init(&r, e);
	while (pb_next(&r, &f)) {
		if (pb_is(&f, 1, PB_LEN)) {
			*key = f.b;
		} else if (pb_is(&f, 2, PB_LEN)) {
			const char *why = pb_check(f.b);
			if (why != NULL)
				return why;
		}
	}
	if (r.why != NULL)
		return r.why;
	if (!pb_utf8(*key))
		return "invalid UTF-8";
	return NULL;
}

/* scan_state checks the state in st.parts and counts its pods. On error it
 * returns why and sets *where to the field at fault. */
static const char *scan_state(const char **where)
{
	st.pods.n = 0;
	for (size_t i = 0; i < st.parts.n; i++) {
		pb_reader r;
		pb_field f;
		pb_reader_init(&r, st.parts.v[i]);
		while (pb_next(&r, &f)) {
			const char *why = NULL;
			if (pb_is(&f, 1, PB_LEN)) {
				if ((why = check_intent(f.b)) != NULL) {
					*where = "state.intent";
					return why;
				}
			} else if (pb_is(&f, 2, PB_LEN)) {
				pb_slice key;
				if ((why = pod_entry(f.b, &key)) != NULL) {
					*where = "state.current_pods";
					return why;
				}
				push(&st.pods, key);
			}
		}
		if (r.why != NULL) {
			*where = "state";
			return r.why;
		}
	}
	if (out.oom)
		return NULL;
	if (st.pods.n > 1)
		qsort(st.pods.v, st.pods.n, sizeof *st.pods.v, compare);
	st.n = 0;
	for (size_t i = 0; i < st.pods.n; i++) {
		if (i == 0 || compare(&st.pods.v[i - 1], &st.pods.v[i]) != 0)
			st.pods.v[st.n++] = st.pods.v[i];
	}
	st.pods.n = st.n;
	return NULL;
}

static bool has_pod(const char *name, size_t len)
{
	pb_slice key = {(const uint8_t *)name, len};
	return bsearch(&key, st.pods.v, st.pods.n, sizeof key, compare) != NULL;
}

/* The names of the pods candidate k adds are the first k of these. 13
 * bytes of prefix and at most 20 digits fit. */
static char new_pods[MAX_MAX_STEPS][40];
static size_t new_pod_len[MAX_MAX_STEPS];
_Static_assert(sizeof NEW_POD_PREFIX - 1 + 20 < sizeof new_pods[0], "new pod names do not fit");

static void name_new_pods(int steps)
{
	uint64_t j = (uint64_t)st.n;
	for (int i = 0; i < steps; i++) {
		size_t len;
		do {
			j++;
			pb_reset(&msg);
			say(NEW_POD_PREFIX);
			say_uint(j);
			len = msg.len;
		} while (!msg.oom && has_pod((const char *)msg.p, len));
		if (msg.oom) {
			out.oom = true;
			return;
		}
		memcpy(new_pods[i], msg.p, len);
		new_pod_len[i] = len;
	}
	pb_reset(&msg);
}

/* put_intent writes intent with its latency objectives scaled for k more
 * pods: field 1 of State. */
static void put_intent(pb_slice intent, uint64_t k)
{
	size_t mark = pb_begin(&out, 1);
	pb_reader r;
	pb_field f;
	pb_reader_init(&r, intent);
	while (pb_next(&r, &f)) {
		if (!pb_is(&f, 5, PB_LEN)) {
			pb_raw(&out, f.raw.p, f.raw.n);
			continue;
		}
		pb_slice key;
		uint64_t bits;
		double_entry(f.b, &key, &bits); /* checked by scan_state */
		double v = pb_double(bits);
		if (st.n > 0 && is_latency(key))
			v = v * (double)st.n / (double)(st.n + k);
		size_t e = pb_begin(&out, 5);
		pb_bytes(&out, 1, key.p, key.n);
		pb_fixed64(&out, 2, v);
		pb_end(&out, e);
	}
	pb_end(&out, mark);
}

/* put_candidate writes candidate k: field 1 of NextStateResponse. */
static void put_candidate(uint64_t k)
{
	size_t mark = pb_begin(&out, 1);
	for (size_t i = 0; i < st.parts.n; i++) {
		pb_reader r;
		pb_field f;
		pb_reader_init(&r, st.parts.v[i]);
		while (pb_next(&r, &f)) {
			if (pb_is(&f, 1, PB_LEN))
				put_intent(f.b, k);
			else
				pb_raw(&out, f.raw.p, f.raw.n);
		}
	}
	for (uint64_t i = 0; i < k; i++) {
		size_t e = pb_begin(&out, 2);
		pb_bytes(&out, 1, new_pods[i], new_pod_len[i]);
		size_t p = pb_begin(&out, 2);
		pb_fixed64(&out, 1, 1.0);   /* availability */
		pb_string(&out, 3, "Running"); /* state */
		pb_end(&out, p);
		pb_end(&out, e);
	}
	pb_end(&out, mark);
}

EXPORT("wido_v1_next_state") uint64_t wido_v1_next_state(uint32_t ptr, uint32_t len)
{
	size_t mark = begin();
	pb_slice req;
	if (!request(ptr, len, &req))
		return invalid("NextStateRequest", "outside the guest's memory");
	st.parts.n = 0;
	nprofiles = 0;
	pb_reader r;
	pb_field f;
	pb_reader_init(&r, req);
	while (pb_next(&r, &f)) {
		if (pb_is(&f, 1, PB_LEN)) {
			push(&st.parts, f.b);
		} else if (pb_is(&f, 3, PB_LEN)) {
			const char *why = profile_entry(f.b);
			if (why != NULL)
				return invalid("NextStateRequest.profiles", why);
		}
	}
	if (r.why != NULL)
		return invalid("NextStateRequest", r.why);
	const char *where = "state";
	const char *why = scan_state(&where);
	if (why != NULL) {
		say("NextStateRequest.");
		return invalid(where, why);
	}
	if (out.oom)
		return reply(mark);
	name_new_pods(max_steps);
	for (int k = 1; k <= max_steps; k++)
		put_candidate((uint64_t)k);
	size_t u = pb_begin(&out, 2); /* utilities, packed */
	for (int k = 1; k <= max_steps; k++) {
		uint64_t bits = pb_double_bits((double)k);
		uint8_t le[8];
		for (int i = 0; i < 8; i++)
			le[i] = (uint8_t)(bits >> (8 * i));
		pb_raw(&out, le, sizeof le);
	}
	pb_end(&out, u);
	for (int k = 1; k <= max_steps; k++) {
		size_t a = pb_begin(&out, 3);
		pb_string(&out, 1, NAME);
		/* ActionProperties{type: INT_PROPERTY} - 0, the default, is not
		 * written - {intProperties: {"replicas": k}} */
		size_t p = pb_begin(&out, 2);
		size_t e = pb_begin(&out, 2);
		pb_string(&out, 1, "replicas");
		pb_uint(&out, 2, (uint64_t)k);
		pb_end(&out, e);
		pb_end(&out, p);
		pb_end(&out, a);
	}
	return reply(mark);
}

/* perform */

EXPORT("wido_v1_perform") uint64_t wido_v1_perform(uint32_t ptr, uint32_t len)
{
	size_t mark = begin();
	pb_slice req;
	if (!request(ptr, len, &req))
		return invalid("PerformRequest", "outside the guest's memory");
	st.parts.n = 0;
	bool found = false, has_replicas = false;
	int64_t replicas = 0;
	pb_reader r;
	pb_field f;
	pb_reader_init(&r, req);
	while (pb_next(&r, &f)) {
		if (pb_is(&f, 1, PB_LEN)) {
			push(&st.parts, f.b);
			continue;
		}
		if (!pb_is(&f, 2, PB_LEN))
			continue;
		/* An Action of the plan: its name, and the last "replicas" of
		 * its int properties. */
		pb_slice name = {f.b.p, 0};
		bool has = false;
		int64_t k = 0;
		pb_reader ar;
		pb_field af;
		pb_reader_init(&ar, f.b);
		while (pb_next(&ar, &af)) {
			if (pb_is(&af, 1, PB_LEN)) {
				name = af.b;
			} else if (pb_is(&af, 2, PB_LEN)) {
				pb_reader pr;
				pb_field pf;
				pb_reader_init(&pr, af.b);
				while (pb_next(&pr, &pf)) {
					if (!pb_is(&pf, 2, PB_LEN))
						continue;
					pb_reader er;
					pb_field ef;
					pb_slice key = {pf.b.p, 0};
					uint64_t v = 0;
					pb_reader_init(&er, pf.b);
					while (pb_next(&er, &ef)) {
						if (pb_is(&ef, 1, PB_LEN))
							key = ef.b;
						else if (pb_is(&ef, 2, PB_VARINT))
							v = ef.u;
					}
					if (er.why != NULL)
						return invalid("PerformRequest.plan.properties.intProperties", er.why);
					if (!pb_utf8(key))
						return invalid("PerformRequest.plan.properties.intProperties", "invalid UTF-8");
					if (pb_equal(key, "replicas")) {
						has = true;
						k = (int64_t)v;
					}
				}
				if (pr.why != NULL)
					return invalid("PerformRequest.plan.properties", pr.why);
			}
		}
		if (ar.why != NULL)
			return invalid("PerformRequest.plan", ar.why);
		if (!pb_utf8(name))
			return invalid("PerformRequest.plan.name", "invalid UTF-8");
		if (!found && pb_equal(name, NAME)) {
			found = true;
			has_replicas = has;
			replicas = k;
		}
	}
	if (r.why != NULL)
		return invalid("PerformRequest", r.why);
	const char *where = "state";
	const char *why = scan_state(&where);
	if (why != NULL) {
		say("PerformRequest.");
		return invalid(where, why);
	}
	if (!found || out.oom)
		return reply(mark);
	if (!has_replicas || replicas < 1) {
		say("action " NAME " needs an int property \"replicas\" of at least 1");
		return fail(ERR_INVALID_ARGUMENT);
	}
	if ((uint64_t)replicas > (uint64_t)INT64_MAX - st.n) {
		say("action " NAME ": replicas ");
		say_uint((uint64_t)replicas);
		say(" more than the current pods overflows");
		return fail(ERR_INVALID_ARGUMENT);
	}
	size_t op = pb_begin(&out, 1);
	pb_uint(&out, 1, OP_SCALE);
	pb_uint(&out, 2, (uint64_t)replicas + st.n);
	pb_end(&out, op);
	return reply(mark);
}

/* effect */

EXPORT("wido_v1_effect") uint64_t wido_v1_effect(uint32_t ptr, uint32_t len)
{
	size_t mark = begin();
	pb_slice req;
	if (!request(ptr, len, &req))
		return invalid("EffectRequest", "outside the guest's memory");
	const char *why = pb_check(req);
	if (why != NULL)
		return invalid("EffectRequest", why);
	return reply(mark); /* learns nothing: an empty EffectResponse */
}
