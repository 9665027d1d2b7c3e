/* Tests of the deflate blocks that copy a PNG's repeated rows
 * (lib/chart/chart_deflate.c, built into this test): whatever the row's
 * length and bytes and however many copies, zlib inflates a stream that
 * holds the block to exactly those copies. */
#include <stdint.h>
#include <zlib.h>

#include "chart_internal.h"
#include "check.h"

/* A raw deflate stream: zlib's compression of before (a sync flush), the
 * block of k copies of its last rowlen bytes, and a last empty block.
 * Returns its length, or 0 when the block was refused; *bits is the
 * block's length in bits. */
static size_t stream_with_block(const unsigned char *before, size_t nbefore, size_t rowlen,
				size_t k, unsigned char *out, size_t room, size_t *bits)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	CHECK(deflateInit2(&z, 3, Z_DEFLATED, -15, 5, Z_DEFAULT_STRATEGY) == Z_OK);
	z.next_in = (unsigned char *)before;
	z.avail_in = (uInt)nbefore;
	z.next_out = out;
	z.avail_out = (uInt)room;
	CHECK(deflate(&z, Z_SYNC_FLUSH) == Z_OK && z.avail_in == 0 && z.avail_out > 0);
	size_t len = room - z.avail_out;
	deflateEnd(&z);
	const unsigned char *row = before + nbefore - rowlen;
	size_t need = chart_deflate_rows_room(rowlen, k);
	CHECK(need + len + 8 <= room);
	*bits = chart_deflate_rows(out + len, need, row, rowlen, k);
	if (!*bits)
		return 0;
	/* A last block of fixed codes holding only its end: 1, 01 (the first
	 * bit first), then 7 zero bits; after the block's last bits. */
	size_t at = len * 8 + *bits;
	uint32_t last = 1u | 1u << 1;
	for (unsigned i = 0; i < 10; i++, at++) {
		unsigned char *byte = out + at / 8;
		if (at % 8 == 0)
			*byte = 0;
		*byte = (unsigned char)(*byte | ((last >> i & 1) << (at % 8)));
	}
	return (at + 7) / 8;
}

/* Inflates the raw stream; returns the bytes it holds or NULL. */
static unsigned char *inflate_all(const unsigned char *in, size_t len, size_t want)
{
	unsigned char *out = malloc(want + 1);
	z_stream z;
	memset(&z, 0, sizeof z);
	CHECK(inflateInit2(&z, -15) == Z_OK);
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)want + 1;
	int ret = inflate(&z, Z_FINISH);
	size_t got = want + 1 - z.avail_out;
	inflateEnd(&z);
	if (ret != Z_STREAM_END || got != want || z.avail_in != 0) {
		fprintf(stderr, "inflate: %d, %zu bytes of %zu: %s\n", ret, got, want,
			z.msg ? z.msg : "");
		free(out);
		return NULL;
	}
	return out;
}

/* A row of rowlen bytes: filter byte 0, then pixels of one colour
 * (kind 0 white, 1 black, the filter byte's own value) or of several. */
static void make_row(unsigned char *row, size_t rowlen, int kind, unsigned seed)
{
	row[0] = 0;
	for (size_t i = 1; i < rowlen; i++) {
		size_t px = (i - 1) / 3, c = (i - 1) % 3;
		if (kind == 0)
			row[i] = 255;
		else if (kind == 1)
			row[i] = 0;
		else
			row[i] = (unsigned char)((px / 7 + c * 31 + seed) * 2654435761u >> 24);
	}
}

static void test_rows(void)
{
	/* Lengths that leave 0, 1 and 2 after the 258s, and the longest a
	 * copy reaches back; pixel rows (3w + 1) and others. */
	static const size_t lens[] = {4, 7, 10, 259, 260, 261, 262, 517, 1201, 7201, 32767, 32768,
				      100, 516};
	static const size_t ks[] = {1, 2, 3, 129, 400};
	for (size_t li = 0; li < sizeof lens / sizeof *lens; li++) {
		for (int kind = 0; kind < 3; kind++) {
			for (size_t ki = 0; ki < sizeof ks / sizeof *ks; ki++) {
				size_t rowlen = lens[li], k = ks[ki];
				if (rowlen * k > (8u << 20))
					continue;
				size_t nbefore = 1000 + rowlen;
				unsigned char *before = malloc(nbefore);
				for (size_t i = 0; i < 1000; i++)
					before[i] = (unsigned char)(i * 7919u >> 3);
				make_row(before + 1000, rowlen, kind, (unsigned)li);
				size_t room = nbefore + 1024 + chart_deflate_rows_room(rowlen, k);
				unsigned char *stream = malloc(room);
				size_t bits = 0;
				size_t len = stream_with_block(before, nbefore, rowlen, k, stream,
							       room, &bits);
				CHECK(len > 0);
				size_t total = nbefore + rowlen * k;
				unsigned char *want = malloc(total);
				memcpy(want, before, nbefore);
				for (size_t r = 0; r < k; r++)
					memcpy(want + nbefore + r * rowlen, before + 1000, rowlen);
				unsigned char *got = len ? inflate_all(stream, len, total) : NULL;
				CHECK(got && memcmp(got, want, total) == 0);
				if (!got || memcmp(got, want, total) != 0)
					fprintf(stderr, "rowlen %zu, kind %d, %zu copies\n", rowlen,
						kind, k);
				/* A row of one colour takes 2 bits for each 258 bytes
				 * and a few more: far less than a copy of the row. */
				if (kind < 2 && (rowlen - 1) % 3 == 0 && rowlen >= 7)
					CHECK(bits <= 512 + k * (2 * (rowlen / 258) + 24));
				free(got);
				free(want);
				free(stream);
				free(before);
			}
		}
	}
}

/* What it cannot write, it refuses: too little room, rows longer than a
 * copy reaches back, no copies. */
static void test_refused(void)
{
	unsigned char row[40000];
	make_row(row, sizeof row, 2, 1);
	unsigned char out[4096];
	size_t room = chart_deflate_rows_room(1201, 10);
	CHECK(room <= sizeof out);
	CHECK(chart_deflate_rows(out, room, row, 1201, 10) > 0);
	CHECK(chart_deflate_rows(out, room - 1, row, 1201, 10) == 0);
	CHECK(chart_deflate_rows(out, sizeof out, row, 1201, 0) == 0);
	CHECK(chart_deflate_rows(out, sizeof out, row, 2, 1) == 0);
	unsigned char *big = malloc(chart_deflate_rows_room(32769, 1));
	CHECK(chart_deflate_rows(big, chart_deflate_rows_room(32769, 1), row, 32769, 1) == 0);
	free(big);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"rows", test_rows},
		{"refused", test_refused},
		{0, 0}};
	return run_case(cases, argc, argv);
}
