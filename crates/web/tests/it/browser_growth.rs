//! Browser tests of the growth plan and practice log (issue 6).
