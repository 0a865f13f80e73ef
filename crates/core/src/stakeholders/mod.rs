//! The stakeholder map (issue 6, module M6): function templates, the
//! influence/interest grid, 1:1 cadence and what is overdue. Pure.
