//! Growth plans and deliberate practice (issue 6, module M4): focus skills,
//! goals, activities and their cadence, check-ins, streaks and the practice
//! calendar. Pure: the store keeps the records, this decides what they mean.
