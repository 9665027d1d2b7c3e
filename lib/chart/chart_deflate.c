/* A chart's image rows as a deflate stream (RFC 1951), compressed here
 * rather than by zlib: zlib looks for a match at every byte through a hash
 * of the bytes before, and that search was more than a third of the
 * report's work apart from reading the register. A chart is flat areas of
 * few colours: nearly every byte repeats the pixel before it or the row
 * above it, and a byte that does neither is most often a glyph's edge,
 * which an earlier glyph of the same letter may repeat. So each place is
 * matched against those only: the pixel before (3 bytes back), the row
 * above, and the last two places whose next 4 bytes hashed the same,
 * compared 16 bytes at a time. The longest match wins, the pixel before on
 * a tie (its distance is the cheapest to write); a place with no match of
 * 4 bytes is a literal, and so is one whose match is shorter than the
 * next place's. Matches end at a row's end. A row that repeats the row
 * above is parsed once for a run of them. Every 4 K symbols make a block
 * with Huffman codes of its own (smaller blocks follow the text and the
 * flat areas apart; 4 K made the report's PNGs the smallest). The same
 * rows give the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"

/* Match lengths and distances (RFC 1951, 3.2.5): the first of each code,
 * and the extra bits that follow it. */
static const uint16_t len_base[29] = {3,   4,   5,   6,   7,   8,   9,   10,  11,  13,
				      15,  17,  19,  23,  27,  31,  35,  43,  51,  59,
				      67,  83,  99,  115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
				      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1,    2,    3,    4,    5,    7,     9,     13,
				       17,   25,   33,   49,   65,   97,    129,   193,
				       257,  385,  513,  769,  1025, 1537,  2049,  3073,
				       4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2,  2,  3,  3,  4,  4,  5,  5,  6,
				       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/* The order in which a block gives the lengths of its code-length code. */
static const uint8_t cl_order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2,
				     14, 1, 15};

#define END_OF_BLOCK 256
#define LIT_CODES 286
#define DIST_CODES 30
#define WINDOW 32768
#define MIN_MATCH 4
#define MAX_MATCH 258
/* Symbols of a block. */
#define BLOCK_SYMBOLS 4096
#define HASH_BITS 15
/* Matches shorter than this are checked against one a byte on. */
#define LAZY_BELOW 16

struct chart_zip {
	size_t rowlen;
	/* The stream's last bytes: buf[0] is byte base of the stream. */
	unsigned char *buf;
	size_t len, cap;
	uint32_t base;
	uint32_t *head;         /* a 4-byte hash: its last two places + 1, or 0 */
	/* The block being gathered: a literal has dist 0. */
	uint16_t *sym_len, *sym_dist;
	size_t nsym;
	/* The symbols of the last row that repeated the row above, as
	 * parsed; nrep 0 when the last row did not. */
	uint16_t *rep_len, *rep_dist;
	size_t nrep;
	uint32_t lit_freq[LIT_CODES], dist_freq[DIST_CODES];
	uint8_t len_code[MAX_MATCH + 1];  /* length: its code less 257 */
	uint8_t dist_code[512];           /* see dist_symbol() */
	/* The stream written so far, whole bytes, and bits not yet in one. */
	unsigned char *out;
	size_t nout, outcap;
	uint64_t acc;
	unsigned nacc;
	int failed;             /* out of memory, or used out of turn */
	int finished;           /* the last block is written */
};

static unsigned dist_symbol(const struct chart_zip *z, unsigned dist)
{
	return dist <= 256 ? z->dist_code[dist - 1] : z->dist_code[256 + ((dist - 1) >> 7)];
}

struct chart_zip *chart_zip_new(size_t rowlen)
{
	if (rowlen < 1 || rowlen > WINDOW)
		return NULL;
	struct chart_zip *z = calloc(1, sizeof *z);
	if (!z)
		return NULL;
	z->rowlen = rowlen;
	z->cap = 3 * (size_t)WINDOW + rowlen;
	z->buf = malloc(z->cap);
	z->head = calloc((size_t)2 << HASH_BITS, sizeof *z->head);
	z->sym_len = malloc(BLOCK_SYMBOLS * sizeof *z->sym_len);
	z->sym_dist = malloc(BLOCK_SYMBOLS * sizeof *z->sym_dist);
	/* A symbol a byte, at most (a row of literals). */
	size_t most = rowlen;
	z->rep_len = malloc(most * sizeof *z->rep_len);
	z->rep_dist = malloc(most * sizeof *z->rep_dist);
	if (!z->buf || !z->head || !z->sym_len || !z->sym_dist || !z->rep_len || !z->rep_dist) {
		chart_zip_free(z);
		return NULL;
	}
	for (unsigned s = 0; s < 29; s++) {
		unsigned end = s < 28 ? len_base[s + 1] : MAX_MATCH + 1;
		for (unsigned l = len_base[s]; l < end && l <= MAX_MATCH; l++)
			z->len_code[l] = (uint8_t)s;
	}
	/* Distances to 256 by themselves, the rest by 128s. */
	for (unsigned s = 0; s < 30; s++) {
		unsigned first = dist_base[s], last = s < 29 ? dist_base[s + 1] - 1u : WINDOW;
		for (unsigned d = first; d <= last; d++) {
			if (d <= 256)
				z->dist_code[d - 1] = (uint8_t)s;
			else
				z->dist_code[256 + ((d - 1) >> 7)] = (uint8_t)s;
		}
	}
	return z;
}

void chart_zip_free(struct chart_zip *z)
{
	if (!z)
		return;
	free(z->buf);
	free(z->head);
	free(z->sym_len);
	free(z->sym_dist);
	free(z->rep_len);
	free(z->rep_dist);
	free(z->out);
	free(z);
}

/* Room for n more bytes of output. */
static int out_room(struct chart_zip *z, size_t n)
{
	if (z->nout + n <= z->outcap)
		return 0;
	size_t cap = z->outcap ? z->outcap : 65536;
	while (cap < z->nout + n)
		cap *= 2;
	unsigned char *p = realloc(z->out, cap);
	if (!p) {
		z->failed = 1;
		return -1;
	}
	z->out = p;
	z->outcap = cap;
	return 0;
}

/* n bits of v (at most 32), first bit first: the caller made room. */
static inline void put_bits(struct chart_zip *z, uint32_t v, unsigned n)
{
	z->acc |= (uint64_t)v << z->nacc;
	z->nacc += n;
	if (z->nacc >= 32) {
		uint32_t word = (uint32_t)z->acc;
		unsigned char *p = z->out + z->nout;
		p[0] = (unsigned char)word;
		p[1] = (unsigned char)(word >> 8);
		p[2] = (unsigned char)(word >> 16);
		p[3] = (unsigned char)(word >> 24);
		z->nout += 4;
		z->acc >>= 32;
		z->nacc -= 32;
	}
}

/* The bits left, to a byte's end (zeros after them). */
static void put_align(struct chart_zip *z)
{
	while (z->nacc > 0) {
		z->out[z->nout++] = (unsigned char)z->acc;
		z->acc >>= 8;
		z->nacc = z->nacc > 8 ? z->nacc - 8 : 0;
	}
	z->acc = 0;
}

struct leaf {
	uint32_t freq;
	uint16_t sym;
};

static int leaf_order(const void *a, const void *b)
{
	const struct leaf *x = a, *y = b;
	if (x->freq != y->freq)
		return x->freq < y->freq ? -1 : 1;
	return x->sym < y->sym ? -1 : x->sym > y->sym;
}

/* Huffman code lengths of at most limit bits for the symbols of freq[0..n)
 * (n at most LIT_CODES): 0 for those not used, 1 for a single one. When
 * the tree is deeper than limit, the counts are halved (none to 0) and it
 * is made again. */
static void code_lengths(const uint32_t *freq, unsigned n, unsigned limit, uint8_t *len)
{
	struct leaf leaf[LIT_CODES];
	uint32_t weight[2 * LIT_CODES];
	uint16_t parent[2 * LIT_CODES];
	uint8_t depth[2 * LIT_CODES];
	unsigned m = 0;
	for (unsigned i = 0; i < n; i++) {
		len[i] = 0;
		if (freq[i])
			leaf[m++] = (struct leaf){freq[i], (uint16_t)i};
	}
	if (m == 1)
		len[leaf[0].sym] = 1;
	if (m < 2)
		return;
	for (;;) {
		qsort(leaf, m, sizeof *leaf, leaf_order);
		/* Two queues: the leaves by count, and the inner nodes in the
		 * order they are made, which is by weight too. */
		for (unsigned i = 0; i < m; i++)
			weight[i] = leaf[i].freq;
		unsigned li = 0, ii = m, next = m;
		while (next < 2 * m - 1) {
			unsigned pick[2];
			for (int k = 0; k < 2; k++)
				pick[k] = li < m && (ii >= next || weight[li] <= weight[ii]) ? li++ : ii++;
			weight[next] = weight[pick[0]] + weight[pick[1]];
			parent[pick[0]] = parent[pick[1]] = (uint16_t)next;
			next++;
		}
		depth[2 * m - 2] = 0;
		unsigned deepest = 0;
		for (unsigned i = 2 * m - 2; i-- > 0;) {
			depth[i] = (uint8_t)(depth[parent[i]] + 1);
			deepest = depth[i] > deepest ? depth[i] : deepest;
		}
		if (deepest <= limit) {
			for (unsigned i = 0; i < m; i++)
				len[leaf[i].sym] = depth[i];
			return;
		}
		for (unsigned i = 0; i < m; i++)
			leaf[i].freq = (leaf[i].freq + 1) / 2;
	}
}

/* The canonical Huffman codes of the lengths len[0..n) (RFC 1951, 3.2.2),
 * bit-reversed: deflate writes a code's first bit first. */
static void codes_of(const uint8_t *len, unsigned n, uint16_t *code)
{
	unsigned count[16] = {0}, next[16] = {0};
	for (unsigned i = 0; i < n; i++)
		count[len[i]]++;
	count[0] = 0;
	for (unsigned b = 1, c = 0; b < 16; b++) {
		c = (c + count[b - 1]) << 1;
		next[b] = c;
	}
	for (unsigned i = 0; i < n; i++) {
		code[i] = 0;
		if (!len[i])
			continue;
		unsigned v = next[len[i]]++, r = 0;
		for (unsigned b = 0; b < len[i]; b++)
			r |= (v >> b & 1) << (len[i] - 1 - b);
		code[i] = (uint16_t)r;
	}
}

/* The code lengths of both alphabets as code-length symbols (RFC 1951,
 * 3.2.7): 0 to 15, 16 (the last again, 3 to 6 times), 17 (3 to 10 zeros)
 * and 18 (11 to 138 zeros); their extra bits in extra[]. Returns how many. */
static unsigned length_symbols(const uint8_t *len, unsigned n, uint8_t *sym, uint8_t *extra)
{
	unsigned k = 0;
	for (unsigned i = 0; i < n;) {
		unsigned run = 1;
		while (i + run < n && len[i + run] == len[i])
			run++;
		if (len[i] == 0) {
			unsigned left = run;
			while (left >= 11) {
				unsigned r = left > 138 ? 138 : left;
				sym[k] = 18, extra[k++] = (uint8_t)(r - 11);
				left -= r;
			}
			if (left >= 3)
				sym[k] = 17, extra[k++] = (uint8_t)(left - 3), left = 0;
			while (left--)
				sym[k] = 0, extra[k++] = 0;
		} else {
			sym[k] = len[i], extra[k++] = 0;
			unsigned left = run - 1;
			while (left >= 3) {
				unsigned r = left > 6 ? 6 : left;
				sym[k] = 16, extra[k++] = (uint8_t)(r - 3);
				left -= r;
			}
			while (left--)
				sym[k] = len[i], extra[k++] = 0;
		}
		i += run;
	}
	return k;
}

/* The symbols gathered, as a block with codes of its own; last: the
 * stream's last block. */
static void write_block(struct chart_zip *z, int last)
{
	/* A literal or length takes at most 15 + 5 bits, a distance 15 + 13;
	 * the header less than 600 bytes. */
	if (z->failed || out_room(z, z->nsym * 7 + 1024) != 0)
		return;
	z->lit_freq[END_OF_BLOCK] = 1;
	/* A block of no symbols: a code of two, as for the distances. */
	if (!z->nsym)
		z->lit_freq[0] = 1;
	uint8_t len[LIT_CODES + DIST_CODES];
	uint8_t *dlen = len + LIT_CODES;
	code_lengths(z->lit_freq, LIT_CODES, 15, len);
	/* A code of one distance or none: two of 1 bit, which every
	 * inflater takes. */
	unsigned dused = 0;
	for (unsigned i = 0; i < DIST_CODES; i++)
		dused += z->dist_freq[i] != 0;
	if (dused < 2) {
		uint32_t f[DIST_CODES] = {0};
		f[0] = f[1] = 1;
		for (unsigned i = 0; i < DIST_CODES; i++)
			if (z->dist_freq[i])
				f[i] = 2;
		code_lengths(f, DIST_CODES, 15, dlen);
	} else {
		code_lengths(z->dist_freq, DIST_CODES, 15, dlen);
	}
	unsigned nlit = LIT_CODES, ndist = DIST_CODES;
	while (nlit > 257 && !len[nlit - 1])
		nlit--;
	while (ndist > 1 && !dlen[ndist - 1])
		ndist--;
	uint16_t lit_code[LIT_CODES], dist_code[DIST_CODES];
	codes_of(len, nlit, lit_code);
	codes_of(dlen, ndist, dist_code);

	/* Both alphabets' lengths as one sequence, coded. */
	uint8_t seq[LIT_CODES + DIST_CODES], sym[LIT_CODES + DIST_CODES],
		extra[LIT_CODES + DIST_CODES];
	memcpy(seq, len, nlit);
	memcpy(seq + nlit, dlen, ndist);
	unsigned nsym = length_symbols(seq, nlit + ndist, sym, extra);
	uint32_t cl_freq[19] = {0};
	for (unsigned i = 0; i < nsym; i++)
		cl_freq[sym[i]]++;
	unsigned cl_used = 0;
	for (unsigned i = 0; i < 19; i++)
		cl_used += cl_freq[i] != 0;
	if (cl_used < 2)
		cl_freq[cl_freq[0] ? 1 : 0] = 1;
	uint8_t cl_len[19];
	uint16_t cl_code[19];
	code_lengths(cl_freq, 19, 7, cl_len);
	codes_of(cl_len, 19, cl_code);
	unsigned ncl = 19;
	while (ncl > 4 && cl_len[cl_order[ncl - 1]] == 0)
		ncl--;

	put_bits(z, last ? 1 : 0, 1);
	put_bits(z, 2, 2); /* codes of its own */
	put_bits(z, nlit - 257, 5);
	put_bits(z, ndist - 1, 5);
	put_bits(z, ncl - 4, 4);
	for (unsigned i = 0; i < ncl; i++)
		put_bits(z, cl_len[cl_order[i]], 3);
	static const uint8_t cl_extra_bits[19] = {[16] = 2, [17] = 3, [18] = 7};
	for (unsigned i = 0; i < nsym; i++) {
		put_bits(z, cl_code[sym[i]], cl_len[sym[i]]);
		if (cl_extra_bits[sym[i]])
			put_bits(z, extra[i], cl_extra_bits[sym[i]]);
	}

	for (size_t i = 0; i < z->nsym; i++) {
		unsigned l = z->sym_len[i], d = z->sym_dist[i];
		if (!d) {
			put_bits(z, lit_code[l], len[l]);
			continue;
		}
		unsigned ls = z->len_code[l], ds = dist_symbol(z, d);
		put_bits(z, lit_code[257 + ls] | (uint32_t)(l - len_base[ls]) << len[257 + ls],
			 len[257 + ls] + len_extra[ls]);
		put_bits(z, dist_code[ds] | (uint32_t)(d - dist_base[ds]) << dlen[ds],
			 dlen[ds] + dist_extra[ds]);
	}
	put_bits(z, lit_code[END_OF_BLOCK], len[END_OF_BLOCK]);
	z->nsym = 0;
	memset(z->lit_freq, 0, sizeof z->lit_freq);
	memset(z->dist_freq, 0, sizeof z->dist_freq);
}

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static inline uint32_t load32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* How many of the max bytes at a repeat those at b (b before a): 16 bytes
 * at a time with SSE2 (every x86-64 has it), else 8, then one by one. */
static inline unsigned match_len(const unsigned char *a, const unsigned char *b, unsigned max)
{
	unsigned n = 0;
#if defined(__SSE2__)
	while (n + 16 <= max) {
		__m128i x = _mm_loadu_si128((const void *)(a + n));
		__m128i y = _mm_loadu_si128((const void *)(b + n));
		unsigned differ = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) ^ 0xffffu;
		if (differ)
			return n + (unsigned)__builtin_ctz(differ);
		n += 16;
	}
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (n + 8 <= max) {
		uint64_t x = load64(a + n) ^ load64(b + n);
		if (x)
			return n + (unsigned)__builtin_ctzll(x) / 8;
		n += 8;
	}
#endif
	while (n < max && a[n] == b[n])
		n++;
	return n;
}

static inline void add_literal(struct chart_zip *z, unsigned byte)
{
	z->sym_len[z->nsym] = (uint16_t)byte;
	z->sym_dist[z->nsym++] = 0;
	z->lit_freq[byte]++;
}

static inline void add_match(struct chart_zip *z, unsigned len, unsigned dist)
{
	z->sym_len[z->nsym] = (uint16_t)len;
	z->sym_dist[z->nsym++] = (uint16_t)dist;
	z->lit_freq[257 + z->len_code[len]]++;
	z->dist_freq[dist_symbol(z, dist)]++;
}

/* The longest match of 4 bytes or more for the place p of the row that
 * ends at end, its distance in *dist; 0 when there is none. Notes p
 * under its hash unless the pixel before or the row above matches to the
 * end (a place inside a match is not noted: each is as good as its
 * first). */
static unsigned find_match(struct chart_zip *z, size_t p, size_t end, unsigned *dist)
{
	size_t rowlen = z->rowlen;
	unsigned max = end - p < MAX_MATCH ? (unsigned)(end - p) : MAX_MATCH;
	if (max < MIN_MATCH)
		return 0;
	const unsigned char *a = z->buf + p;
	unsigned best = 0;
	if (p >= 3)
		best = match_len(a, a - 3, max), *dist = 3;
	if (best < max && p >= rowlen) {
		unsigned l = match_len(a, a - rowlen, max);
		if (l > best)
			best = l, *dist = (unsigned)rowlen;
	}
	if (best < max) {
		uint32_t h = (load32(a) * 2654435761u) >> (32 - HASH_BITS);
		uint32_t at = z->base + (uint32_t)p;
		uint32_t *slot = z->head + 2 * h;
		for (int k = 0; k < 2; k++) {
			uint32_t seen = slot[k];
			if (!seen)
				continue;
			uint32_t d = at - (seen - 1);
			if (d - 1u < WINDOW && d <= p && d != 3 && d != rowlen) {
				unsigned l = match_len(a, a - d, max);
				if (l > best)
					best = l, *dist = d;
			}
		}
		slot[1] = slot[0];
		slot[0] = at + 1;
	}
	return best >= MIN_MATCH ? best : 0;
}

/* A row that repeats the row above, parsed with the pixel before and the
 * row above only, greedily: what it gives depends on the row alone, so the
 * next row, if it repeats this one, is the same symbols again. Those go to
 * rep_len[] and rep_dist[]. */
static void repeat_parse(struct chart_zip *z, size_t p, size_t end)
{
	size_t rowlen = z->rowlen;
	z->nrep = 0;
	while (p < end) {
		unsigned max = end - p < MAX_MATCH ? (unsigned)(end - p) : MAX_MATCH;
		const unsigned char *a = z->buf + p;
		unsigned best = 0, dist = 3;
		if (max >= MIN_MATCH) {
			best = match_len(a, a - 3, max);
			if (best < max) {
				unsigned l = match_len(a, a - rowlen, max);
				if (l > best)
					best = l, dist = (unsigned)rowlen;
			}
		}
		if (best < MIN_MATCH)
			best = 1, dist = 0;
		z->rep_len[z->nrep] = (uint16_t)(dist ? best : *a);
		z->rep_dist[z->nrep++] = (uint16_t)dist;
		p += best;
	}
}

int chart_zip_row(struct chart_zip *z, const unsigned char *row, int same)
{
	if (z->failed || z->finished)
		return -1;
	size_t rowlen = z->rowlen;
	/* Places are 32-bit offsets into the stream. */
	if ((uint64_t)z->base + z->len + rowlen > UINT32_MAX) {
		z->failed = 1;
		return -1;
	}
	if (z->len + rowlen > z->cap) {
		/* The window's bytes go to the front; the row above is among
		 * them (rowlen <= WINDOW). */
		size_t keep = z->len < WINDOW ? z->len : WINDOW;
		memmove(z->buf, z->buf + z->len - keep, keep);
		z->base += (uint32_t)(z->len - keep);
		z->len = keep;
	}
	unsigned char *buf = z->buf;
	size_t p = z->len, end = p + rowlen;
	memcpy(buf + p, row, rowlen);
	z->len = end;
	same = same && p >= rowlen;
	if (same) {
		if (!z->nrep)
			repeat_parse(z, p, end);
		for (size_t i = 0; i < z->nrep; i++) {
			if (z->nsym + 1 > BLOCK_SYMBOLS) {
				write_block(z, 0);
				if (z->failed)
					return -1;
			}
			if (z->rep_dist[i])
				add_match(z, z->rep_len[i], z->rep_dist[i]);
			else
				add_literal(z, z->rep_len[i]);
		}
		return 0;
	}
	z->nrep = 0;
	unsigned dist = 0, best = find_match(z, p, end, &dist);
	while (p < end) {
		if (z->nsym + 1 > BLOCK_SYMBOLS) {
			write_block(z, 0);
			if (z->failed)
				return -1;
		}
		/* A short match may hide a longer one a byte on: then the
		 * byte goes as a literal. */
		if (best && best < LAZY_BELOW) {
			unsigned next_dist = 0, next = find_match(z, p + 1, end, &next_dist);
			if (next > best) {
				add_literal(z, buf[p]);
				p++;
				best = next;
				dist = next_dist;
				continue;
			}
		}
		if (best) {
			add_match(z, best, dist);
			p += best;
		} else {
			add_literal(z, buf[p]);
			p++;
		}
		best = p < end ? find_match(z, p, end, &dist) : 0;
	}
	return 0;
}

int chart_zip_finish(struct chart_zip *z)
{
	if (z->failed || z->finished)
		return -1;
	write_block(z, 1);
	if (z->failed || out_room(z, 16) != 0)
		return -1;
	put_align(z);
	z->finished = 1;
	return 0;
}

int chart_zip_put(struct chart_zip *z, const unsigned char *bytes, size_t n)
{
	/* Bytes as they are go before the first row or after the last block. */
	if (z->failed || (z->base + z->len && !z->finished) || out_room(z, n) != 0)
		return -1;
	memcpy(z->out + z->nout, bytes, n);
	z->nout += n;
	return 0;
}

const unsigned char *chart_zip_output(const struct chart_zip *z, size_t *len)
{
	*len = z->nout;
	return z->out;
}

void chart_zip_consume(struct chart_zip *z, size_t n)
{
	if (n > z->nout)
		n = z->nout;
	if (!n)
		return;
	memmove(z->out, z->out + n, z->nout - n);
	z->nout -= n;
}
