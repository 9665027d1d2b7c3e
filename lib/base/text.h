/* Text helpers: matching keys for values typed by people, edit distance. */
#ifndef MJ_TEXT_H
#define MJ_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* The matching key of text: trimmed, inner spaces collapsed, every Uzbek
 * apostrophe spelling (' ` ʻ ʼ ‘ ’ ´) made ', ё made е, case folded and
 * NFC-normalised. Returns a new string (caller frees) or NULL when text is
 * not valid UTF-8 or memory ran out. */
char *mj_text_key(const char *text, size_t len);

/* The key of an id: text trimmed, inner spaces collapsed, invisible marks
 * (a zero-width space, a byte-order mark) dropped and NFC-normalised, case
 * and letters kept ("a1" and "A1" stay two ids). Text of printable ASCII
 * without spaces is its own key. New string, or NULL as mj_text_key(). */
char *mj_text_id_key(const char *text, size_t len);

/* Levenshtein distance between two UTF-8 strings, counted in code points,
 * capped at limit (returns limit + 1 when larger). */
size_t mj_text_distance(const char *a, const char *b, size_t limit);

/* Count of code points in valid UTF-8 text of len bytes. */
size_t mj_text_width(const char *text, size_t len);

/* Trim ASCII white space (and no-break spaces) in place; returns text. */
char *mj_text_trim(char *text);

/* Writes the n bytes at s to out as one CSV field: as they are, or in
 * double quotes (inner quotes doubled) when they hold the delimiter delim,
 * a quote or a line break. The caller checks out's error state. */
void mj_csv_put_field(FILE *out, const char *s, size_t n, char delim);

#endif
