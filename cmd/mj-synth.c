/* mj-synth: write synthetic appeal records that reproduce a spec of
 * marginal counts exactly (samples, tests, benchmarks, demo data). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "murojaat/error.h"
#include "murojaat/schema.h"
#include "murojaat/synth.h"
#include "murojaat/outfile.h"

static const char *prog = "mj-synth";

/* --rows stays within what both the library and a long can hold. */
#define ROWS_MAX ((unsigned long long)MJ_SYNTH_MAX_ROWS < (unsigned long long)LONG_MAX \
		  ? (long)MJ_SYNTH_MAX_ROWS : LONG_MAX)

static void usage(FILE *to)
{
	fprintf(to,
		_("usage: mj-synth [-o FILE] [--seed N] [--rows N] [--schema FILE] [SPEC]\n"
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
		"See mj-synth(1) for the spec format.\n"),
		MJ_SYNTH_DEFAULT_SEED);
}

/* Exit status for a failed load: the spec's own problems are data
 * problems (1); files that cannot be read are I/O errors (2). */
static int load_status(const struct mj_error *e)
{
	return e->status == MJ_E_IO || e->status == MJ_E_NOMEM ? 2 : 1;
}

/* Write the records to path: "-" or NULL is stdout; a path that exists and
 * is not a regular file (/dev/null, a pipe) is written directly, since it
 * cannot be replaced; anything else through a temporary file renamed into
 * place. Returns the exit status. */
static int write_records(const struct mj_synth *synth, uint64_t seed,
			 const char *path)
{
	struct mj_error e;
	mj_error_clear(&e);
	if (!path || strcmp(path, "-") == 0) {
		if (mj_synth_write(synth, seed, stdout, "<stdout>", &e) != MJ_OK) {
			cli_error(prog, &e);
			return 2;
		}
		return 0;
	}
	/* The records are rows like a register's: the file is the owner's. */
	struct mj_outfile out;
	if (mj_outfile_open(&out, path, MJ_OUTFILE_PRIVATE, &e) != MJ_OK) {
		cli_error(prog, &e);
		return 2;
	}
	if (mj_synth_write(synth, seed, out.fp, path, &e) != MJ_OK) {
		cli_error(prog, &e);
		mj_outfile_abort(&out);
		return 2;
	}
	if (mj_outfile_commit(&out, &e) != MJ_OK) {
		cli_error(prog, &e);
		return 2;
	}
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
	long seed = MJ_SYNTH_DEFAULT_SEED, rows = 0;
	int scale = 0, c;
	cli_start(prog, argc, argv);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:s:n:hV", options, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 's':
			if (cli_number(optarg, 0, LONG_MAX, &seed) != 0) {
				fprintf(stderr, _("%s: --seed: \"%s\" is not a whole number in 0..%ld\n"),
					prog, optarg, LONG_MAX);
				return 2;
			}
			break;
		case 'n':
			if (cli_number(optarg, 0, ROWS_MAX, &rows) != 0) {
				fprintf(stderr, _("%s: --rows: \"%s\" is not a whole number in 0..%ld\n"),
					prog, optarg, ROWS_MAX);
				return 2;
			}
			scale = 1;
			break;
		case 'S':
			schema_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return cli_close_stdout(prog) == 0 ? 0 : 2;
		case 'V':
			printf("mj-synth (murojaat) %s\n", MJ_VERSION);
			return cli_close_stdout(prog) == 0 ? 0 : 2;
		default:
			fprintf(stderr, _("%s: option %s: unknown, or its argument is missing\n"),
				prog, argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, _("%s: one spec at a time\n"), prog);
		usage(stderr);
		return 2;
	}
	const char *spec_path = optind < argc ? argv[optind] : "-";
	if (strcmp(spec_path, "-") == 0 && isatty(STDIN_FILENO))
		fprintf(stderr, _("%s: reading the spec from standard input (end with Ctrl-D; --help for usage)\n"),
			prog);

	const char *const inputs[] = {spec_path, schema_path};
	if (cli_refuse_input(prog, output, inputs, schema_path ? 2 : 1) != 0)
		return 2;
	struct mj_error e;
	mj_error_clear(&e);
	struct mj_schema *schema = schema_path ? mj_schema_load(schema_path, &e)
					       : mj_schema_default(&e);
	if (!schema) {
		cli_error(prog, &e);
		return load_status(&e);
	}
	struct mj_synth *synth = mj_synth_load(schema, spec_path, &e);
	mj_schema_destroy(schema);
	if (!synth) {
		cli_error(prog, &e);
		return load_status(&e);
	}
	int status = 0;
	if (scale && mj_synth_scale(synth, (uint64_t)rows, &e) != MJ_OK) {
		cli_error(prog, &e);
		status = 1;
	} else {
		status = write_records(synth, (uint64_t)seed, output);
	}
	mj_synth_destroy(synth);
	if (cli_close_stdout(prog) != 0 && status == 0)
		status = 2;
	return status;
}
