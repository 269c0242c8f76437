"""The record of each library year (compiled, filed — R-8.2) and its supplements (R-9.1), with their
queries. Below declarations and windows, which check R-8.2 against it; the compile/file/supplement use
cases are `libraries`'."""
