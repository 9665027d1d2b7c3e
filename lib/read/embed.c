/* Build-time helper: turns a text file into a C array so the library carries
 * its default schema and works with no file on disk. */
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: mj-embed SYMBOL INPUT OUTPUT\n");
		return 2;
	}
	FILE *in = fopen(argv[2], "rb");
	if (!in) {
		perror(argv[2]);
		return 2;
	}
	FILE *out = fopen(argv[3], "w");
	if (!out) {
		perror(argv[3]);
		return 2;
	}
	fprintf(out, "#include <stddef.h>\nconst char %s[] = {", argv[1]);
	size_t n = 0;
	int c;
	while ((c = getc(in)) != EOF) {
		fprintf(out, "%s%d,", n % 20 ? "" : "\n", c > 127 ? c - 256 : c);
		n++;
	}
	fprintf(out, "0};\nconst size_t %s_len = %zu;\n", argv[1], n);
	fclose(in);
	if (fclose(out) != 0) {
		perror(argv[3]);
		return 2;
	}
	return 0;
}
