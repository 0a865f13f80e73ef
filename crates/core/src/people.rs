//! People in an organisation.

use crate::vocab::vocabulary;

vocabulary!(
    /// A person's role in their organisation: members see their own data,
    /// managers also what their reports share, admins run the organisation
    /// (but never see individual ratings).
    OrgRole, "organisation role" {
        Member => "member",
        Manager => "manager",
        Admin => "admin",
    }
);
