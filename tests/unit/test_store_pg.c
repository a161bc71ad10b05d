/*
 * test_store_pg.c - test_store.c's tests against a PostgreSQL server
 * ($PERFCMP_TEST_PG_URL; scripts/run-tests.sh starts a private one).
 */
#define STORE_TEST_PG 1
#include "test_store.c"
