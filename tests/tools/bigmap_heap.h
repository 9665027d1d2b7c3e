/* Test hooks of bigmap_heap.c. */
#ifndef BIGMAP_HEAP_H
#define BIGMAP_HEAP_H

/* The mapping n calls from now fails (0: the next); -1: none fails. */
void bigmap_heap_fail_after(long n);
/* Mappings made and not yet freed. */
long bigmap_heap_live(void);

#endif
