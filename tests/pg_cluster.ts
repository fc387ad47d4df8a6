// The old name of the private cluster fixture; new tests import tests/fixtures/pg_cluster.ts.
export * from "./fixtures/pg_cluster.ts";
