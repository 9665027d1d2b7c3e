/* Rows of a PNG that repeat the row above them, as one deflate block
 * (RFC 1951) written here: zlib would look for a match at every byte of
 * them, and on the report's charts half the rows repeat (margins, the
 * inside of bars): they took more than a third of zlib's time there.
 *
 * Each row is written the same way, by a few symbols: a row of one colour
 * (a margin) as its filter byte, its first pixel from the row above and
 * the rest from the pixel before; any other row as a copy of the row
 * above, 258 bytes at a time. The codes are made for the symbols the
 * block uses, the most frequent shortest. */
#include <stdint.h>
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
#define MAX_DIST 32768
/* Symbols of one row: a literal, a match of 3 and the matches of the
 * rest, at most a match for every 258 bytes and one more. */
#define ROW_SYMBOLS (MAX_DIST / 258 + 4)

/* A literal (dist 0) or a match of a row. */
struct piece {
	unsigned len;   /* the literal's byte, or the match's length */
	unsigned dist;
};

/* Bits written first bit first into bytes, as deflate packs them. */
struct bit_sink {
	unsigned char *p, *end;
	uint64_t acc;   /* bits not yet in a byte, the first lowest */
	unsigned n;     /* how many */
	int full;       /* the buffer was too small */
};

static void put_bits(struct bit_sink *s, uint32_t v, unsigned n)
{
	s->acc |= (uint64_t)v << s->n;
	s->n += n;
	while (s->n >= 8) {
		if (s->p == s->end) {
			s->full = 1;
			s->n = 0;
			return;
		}
		*s->p++ = (unsigned char)s->acc;
		s->acc >>= 8;
		s->n -= 8;
	}
}

static unsigned len_symbol(unsigned len)
{
	unsigned i = 28;
	while (len_base[i] > len)
		i--;
	return i;
}

static unsigned dist_symbol(unsigned dist)
{
	unsigned i = 29;
	while (dist_base[i] > dist)
		i--;
	return i;
}

/* Matches of n bytes (at least 3) from dist back: 258 at a time, and a
 * rest of 1 or 2, too short for a match, taken with the last 258 as 256
 * and rest + 2. Returns how many pieces it added. */
static size_t matches(struct piece *p, size_t n, unsigned dist)
{
	size_t k = 0;
	size_t rest = n % 258, full = n / 258;
	if (rest && rest < 3) {
		full--;
		rest += 258;
	}
	for (size_t i = 0; i < full; i++)
		p[k++] = (struct piece){258, dist};
	if (rest > 258) {
		p[k++] = (struct piece){256, dist};
		rest -= 256;
	}
	if (rest)
		p[k++] = (struct piece){(unsigned)rest, dist};
	return k;
}

/* The pieces of a row of rowlen bytes that repeats the row before it: a
 * filter byte and pixels of 3 bytes. */
static size_t row_pieces(struct piece *p, const unsigned char *row, size_t rowlen)
{
	/* One colour: its filter byte, its first pixel from the row above
	 * (4 bytes back), the others from the pixel before (3 back). */
	if (rowlen >= 7 && (rowlen - 1) % 3 == 0 && memcmp(row + 1, row + 4, rowlen - 4) == 0) {
		p[0] = (struct piece){row[0], 0};
		p[1] = (struct piece){3, 4};
		return 2 + matches(p + 2, rowlen - 4, 3);
	}
	return matches(p, rowlen, (unsigned)rowlen);
}

/* Code lengths for the symbols with counts count[0..n): those used, the
 * most frequent first, get 1, 2, 3 ... bits and the last two the same,
 * a complete code (one used symbol: 1 bit, which RFC 1951 allows for
 * distances). Returns the longest. */
static unsigned comb_lengths(const size_t *count, size_t n, uint8_t *len)
{
	unsigned used = 0, longest = 0;
	for (size_t i = 0; i < n; i++) {
		len[i] = 0;
		used += count[i] != 0;
	}
	for (unsigned rank = 0; rank < used; rank++) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (count[i] && !len[i] && (best == n || count[i] > count[best]))
				best = i;
		unsigned l = rank + 1 < used ? rank + 1 : rank > 0 ? rank : 1;
		len[best] = (uint8_t)l;
		longest = l > longest ? l : longest;
	}
	return longest;
}

/* The canonical Huffman codes of the lengths len[0..n) (RFC 1951, 3.2.2),
 * bit-reversed: deflate writes a code's first bit first. */
static void codes_of(const uint8_t *len, size_t n, uint16_t *code)
{
	unsigned count[16] = {0}, next[16] = {0};
	for (size_t i = 0; i < n; i++)
		count[len[i]]++;
	count[0] = 0;
	for (unsigned b = 1, c = 0; b < 16; b++) {
		c = (c + count[b - 1]) << 1;
		next[b] = c;
	}
	for (size_t i = 0; i < n; i++) {
		code[i] = 0;
		if (!len[i])
			continue;
		unsigned v = next[len[i]]++, r = 0;
		for (unsigned b = 0; b < len[i]; b++)
			r |= (v >> b & 1) << (len[i] - 1 - b);
		code[i] = (uint16_t)r;
	}
}

/* The code lengths of both alphabets, one sequence, with runs of zeros
 * as symbols 17 and 18 of the code-length code (cl_len, cl_code). */
static void put_lengths(struct bit_sink *s, const uint8_t *len, size_t n,
			const uint8_t *cl_len, const uint16_t *cl_code)
{
	for (size_t i = 0; i < n;) {
		size_t run = 0;
		while (i + run < n && len[i + run] == 0 && run < 138)
			run++;
		if (run >= 11) {
			put_bits(s, cl_code[18], cl_len[18]);
			put_bits(s, (uint32_t)(run - 11), 7);
		} else if (run >= 3) {
			put_bits(s, cl_code[17], cl_len[17]);
			put_bits(s, (uint32_t)(run - 3), 3);
		} else {
			run = 1;
			put_bits(s, cl_code[len[i]], cl_len[len[i]]);
		}
		i += run;
	}
}

size_t chart_deflate_rows_room(size_t rowlen, size_t k)
{
	/* The header takes less than 64 bytes; a piece at most 3 (a code of
	 * 5 bits and 5 extra, a distance of 1 and 13 extra: 24 bits). */
	return 64 + 3 * k * (rowlen / 258 + 4);
}

size_t chart_deflate_rows(unsigned char *out, size_t room, const unsigned char *row,
			  size_t rowlen, size_t k)
{
	if (rowlen < 3 || rowlen > MAX_DIST || k == 0 ||
	    room < chart_deflate_rows_room(rowlen, k))
		return 0;
	struct piece piece[ROW_SYMBOLS];
	size_t npieces = row_pieces(piece, row, rowlen);

	/* Each symbol's count in the block: k times its count in a row. */
	size_t count[LIT_CODES + DIST_CODES] = {0};
	size_t *dcount = count + LIT_CODES;
	count[END_OF_BLOCK] = 1;
	for (size_t i = 0; i < npieces; i++) {
		if (!piece[i].dist) {
			count[piece[i].len] += k;
			continue;
		}
		count[257 + len_symbol(piece[i].len)] += k;
		dcount[dist_symbol(piece[i].dist)] += k;
	}
	uint8_t len[LIT_CODES + DIST_CODES];
	uint8_t *dlen = len + LIT_CODES;
	unsigned longest = comb_lengths(count, LIT_CODES, len);
	unsigned dlongest = comb_lengths(dcount, DIST_CODES, dlen);
	/* A row uses at most 6 literal and length symbols and 2 distances, so
	 * no code is longer than 5 bits; the code-length code below covers
	 * lengths to 7. */
	if (longest > 7 || dlongest > 7)
		return 0;
	unsigned nlit = LIT_CODES, ndist = DIST_CODES;
	while (nlit > 257 && !len[nlit - 1])
		nlit--;
	while (ndist > 1 && !dlen[ndist - 1])
		ndist--;
	uint16_t lit_code[LIT_CODES], dist_code[DIST_CODES];
	codes_of(len, nlit, lit_code);
	codes_of(dlen, ndist, dist_code);
	/* The lengths as one sequence, the distances' after the literals'. */
	uint8_t seq[LIT_CODES + DIST_CODES];
	memcpy(seq, len, nlit);
	memcpy(seq + nlit, dlen, ndist);

	/* The code-length code, complete: 3 bits for lengths 0 to 3 and for
	 * runs of zeros (17, 18), 4 for lengths 4 to 7; the others unused. */
	uint8_t cl_len[19] = {0};
	for (unsigned i = 0; i <= 7; i++)
		cl_len[i] = i <= 3 ? 3 : 4;
	cl_len[17] = cl_len[18] = 3;
	uint16_t cl_code[19];
	codes_of(cl_len, 19, cl_code);
	unsigned ncl = 19;
	while (cl_len[cl_order[ncl - 1]] == 0)
		ncl--;

	struct bit_sink s = {out, out + room, 0, 0, 0};
	put_bits(&s, 0, 1); /* not the last block */
	put_bits(&s, 2, 2); /* codes of its own */
	put_bits(&s, nlit - 257, 5);
	put_bits(&s, ndist - 1, 5);
	put_bits(&s, ncl - 4, 4);
	for (unsigned i = 0; i < ncl; i++)
		put_bits(&s, cl_len[cl_order[i]], 3);
	put_lengths(&s, seq, nlit + ndist, cl_len, cl_code);

	/* A row's bits, piece by piece (each at most 24, see above), written
	 * k times. */
	uint32_t bits[ROW_SYMBOLS];
	unsigned nbits[ROW_SYMBOLS];
	for (size_t i = 0; i < npieces; i++) {
		const struct piece *p = &piece[i];
		if (!p->dist) {
			bits[i] = lit_code[p->len];
			nbits[i] = len[p->len];
			continue;
		}
		unsigned ls = len_symbol(p->len), ds = dist_symbol(p->dist);
		uint32_t v = lit_code[257 + ls];
		unsigned n = len[257 + ls];
		v |= (uint32_t)(p->len - len_base[ls]) << n;
		n += len_extra[ls];
		v |= (uint32_t)dist_code[ds] << n;
		n += dlen[ds];
		v |= (uint32_t)(p->dist - dist_base[ds]) << n;
		n += dist_extra[ds];
		bits[i] = v;
		nbits[i] = n;
	}
	for (size_t r = 0; r < k && !s.full; r++)
		for (size_t i = 0; i < npieces; i++)
			put_bits(&s, bits[i], nbits[i]);
	put_bits(&s, lit_code[END_OF_BLOCK], len[END_OF_BLOCK]);
	if (s.full)
		return 0;
	size_t total = (size_t)(s.p - out) * 8 + s.n;
	if (s.n) {
		if (s.p == s.end)
			return 0;
		*s.p = (unsigned char)s.acc;
	}
	return total;
}
