/* A minimal assertion kit for the C unit tests: one case per argv[1]. */
#ifndef MJ_TEST_CHECK_H
#define MJ_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	check_failures++; } } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (!a_ || !b_ || strcmp(a_, b_) != 0) { \
	fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\"\n", __FILE__, __LINE__, \
		b_ ? b_ : "(null)", a_ ? a_ : "(null)"); check_failures++; } } while (0)
#define CHECK_NUM(a, b) do { double a_ = (a), b_ = (b); \
	if (!(a_ - b_ < 1e-9 && b_ - a_ < 1e-9)) { \
	fprintf(stderr, "%s:%d: expected %g, got %g (%s)\n", __FILE__, __LINE__, \
		b_, a_, #a); check_failures++; } } while (0)

struct test_case { const char *name; void (*fn)(void); };

/* Runs the case named argv[1]; returns the process exit status. */
static inline int run_case(const struct test_case *cases, int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CASE\n", argv[0]);
		return 2;
	}
	for (const struct test_case *c = cases; c->name; c++) {
		if (strcmp(c->name, argv[1]) == 0) {
			c->fn();
			return check_failures ? 1 : 0;
		}
	}
	fprintf(stderr, "%s: no case named %s\n", argv[0], argv[1]);
	return 2;
}

#endif
