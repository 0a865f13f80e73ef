//! Integration tests of the pmcoach binary.
