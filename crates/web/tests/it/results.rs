//! Tests of this area (filled in with the area's work).
