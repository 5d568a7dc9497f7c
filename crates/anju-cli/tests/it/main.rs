//! CLI integration tests: run the real binary.
