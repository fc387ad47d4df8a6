// The old name of the people-and-rooms fixture; new tests import tests/fixtures/people.ts.
export * from "./fixtures/people.ts";
