/* mj-synth: write synthetic appeal records that reproduce a spec of
 * marginal counts exactly (samples, tests, benchmarks, demo data). */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "murojaat/error.h"
#include "murojaat/schema.h"
#include "murojaat/synth.h"

#ifndef MJ_VERSION
#define MJ_VERSION "0.1.0"
#endif

static const char *prog = "mj-synth";

static void usage(FILE *to)
{
	fprintf(to,
		"usage: mj-synth [-o FILE] [--seed N] [--rows N] [--schema FILE] [SPEC]\n"
		"       mj-synth --help | --version\n"
		"\n"
		"Write CSV records whose counts reproduce the spec exactly.\n"
		"SPEC is a spec file (\"-\" or none: standard input).\n"
		"\n"
		"  -o, --output FILE  write to FILE (via a temporary file renamed\n"
		"                     into place); default standard output\n"
		"  -s, --seed N       seed of the random order (default %u); the same\n"
		"                     spec and seed give the same bytes\n"
		"  -n, --rows N       scale every block to N records (largest\n"
		"                     remainder), e.g. for benchmarks\n"
		"      --schema FILE  validate codes against FILE instead of the\n"
		"                     built-in schema; its columns make the record\n"
		"  -h, --help         show this help\n"
		"  -V, --version      show the version\n"
		"\n"
		"Exit status: 0 written, 1 the spec is invalid, 2 usage or I/O error.\n"
		"See mj-synth(1) for the spec format.\n",
		MJ_SYNTH_DEFAULT_SEED);
}

static void print_error(const struct mj_error *e)
{
	char buf[1024];
	fprintf(stderr, "%s: %s\n", prog, mj_error_format(e, buf, sizeof buf));
}

/* A whole number in 0..max, or -1 with a message. */
static int parse_number(const char *opt, const char *text, uint64_t max,
			uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end || errno == ERANGE || v > max) {
		fprintf(stderr, "%s: %s: \"%s\" is not a whole number in 0..%llu\n",
			prog, opt, text, (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"output", required_argument, NULL, 'o'},
		{"seed", required_argument, NULL, 's'},
		{"rows", required_argument, NULL, 'n'},
		{"schema", required_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *output = NULL, *schema_path = NULL;
	uint64_t seed = MJ_SYNTH_DEFAULT_SEED, rows = 0;
	int scale = 0, c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:s:n:hV", options, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 's':
			if (parse_number("--seed", optarg, UINT64_MAX, &seed))
				return 2;
			break;
		case 'n':
			if (parse_number("--rows", optarg, MJ_SYNTH_MAX_ROWS, &rows))
				return 2;
			scale = 1;
			break;
		case 'S':
			schema_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return fclose(stdout) == 0 ? 0 : 2;
		case 'V':
			printf("mj-synth (murojaat) %s\n", MJ_VERSION);
			return fclose(stdout) == 0 ? 0 : 2;
		default:
			fprintf(stderr, "%s: option %s: unknown, or its argument is missing\n",
				prog, argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "%s: one spec at a time\n", prog);
		usage(stderr);
		return 2;
	}
	const char *spec_path = optind < argc ? argv[optind] : "-";
	if (strcmp(spec_path, "-") == 0 && isatty(STDIN_FILENO))
		fprintf(stderr, "%s: reading the spec from standard input\n", prog);

	struct mj_error e;
	mj_error_clear(&e);
	struct mj_schema *schema = schema_path ? mj_schema_load(schema_path, &e)
					       : mj_schema_default(&e);
	if (!schema) {
		print_error(&e);
		return e.status == MJ_E_IO || e.status == MJ_E_NOMEM ? 2 : 1;
	}
	struct mj_synth *synth = mj_synth_load(schema, spec_path, &e);
	mj_schema_destroy(schema);
	if (!synth) {
		print_error(&e);
		return e.status == MJ_E_IO || e.status == MJ_E_NOMEM ? 2 : 1;
	}
	int status = 0;
	if (scale && mj_synth_scale(synth, rows, &e) != MJ_OK) {
		print_error(&e);
		status = 1;
	} else if (mj_synth_write_file(synth, seed, output, &e) != MJ_OK) {
		print_error(&e);
		status = 2;
	}
	mj_synth_destroy(synth);
	if (fclose(stdout) != 0 && status == 0) {
		fprintf(stderr, "%s: <stdout>: write error: %s\n", prog, strerror(errno));
		status = 2;
	}
	return status;
}
