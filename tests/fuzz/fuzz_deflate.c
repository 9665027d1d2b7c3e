/* libFuzzer target: the deflate stream of a chart's rows
 * (lib/chart/chart_deflate.c, built into this target). The input's first
 * two bytes give the row length (1 to 32,768), the third which rows copy
 * the one above, the fourth how many times the input's rows are gone
 * through again (so that streams of a few hundred K bytes move the
 * window and reach 32 K back); the rest are the rows. Whatever the
 * bytes, zlib must inflate the stream to exactly those rows. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "chart_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 5)
		return 0;
	size_t rowlen = ((size_t)data[0] << 8 | data[1]) % 32768 + 1;
	unsigned copies = data[2];
	size_t rounds = data[3] % 16 + 1;
	data += 4;
	size -= 4;
	size_t given = size / rowlen;
	if (!given)
		return 0;
	size_t nrows = given * rounds;
	if (nrows * rowlen > (4u << 20))
		nrows = (4u << 20) / rowlen;
	/* The rows, some made copies of the row above (bit r % 8 of copies),
	 * so that runs of repeated rows come up. */
	unsigned char *rows = malloc(nrows * rowlen);
	for (size_t r = 0; r < nrows; r++) {
		if (r > 0 && (copies >> (r % 8) & 1))
			memcpy(rows + r * rowlen, rows + (r - 1) * rowlen, rowlen);
		else
			memcpy(rows + r * rowlen, data + r % given * rowlen, rowlen);
	}
	struct chart_zip *z = chart_zip_new(rowlen);
	if (!z)
		abort();
	for (size_t r = 0; r < nrows; r++) {
		int same = r > 0 && memcmp(rows + r * rowlen, rows + (r - 1) * rowlen, rowlen) == 0;
		if (chart_zip_row(z, rows + r * rowlen, same) != 0)
			abort();
	}
	if (chart_zip_finish(z) != 0)
		abort();
	size_t len;
	const unsigned char *stream = chart_zip_output(z, &len);
	size_t want = nrows * rowlen;
	unsigned char *got = malloc(want + 1);
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, -15) != Z_OK)
		abort();
	zs.next_in = (unsigned char *)stream;
	zs.avail_in = (uInt)len;
	zs.next_out = got;
	zs.avail_out = (uInt)want + 1;
	int ret = inflate(&zs, Z_FINISH);
	if (ret != Z_STREAM_END || zs.avail_in != 0 || want + 1 - zs.avail_out != want ||
	    memcmp(got, rows, want) != 0)
		abort();
	inflateEnd(&zs);
	chart_zip_free(z);
	free(got);
	free(rows);
	return 0;
}
