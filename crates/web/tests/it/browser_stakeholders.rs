//! Browser tests of the stakeholder map (issue 6).
