//! The demo organisation's stakeholder maps and meeting notes.

use pmcoach_store::{Store, UserId};

/// Seeds stakeholder maps for the demo people (`people` in the order of
/// `super::people()`: Ada, Sam, Maya, Priya, Theo, Jonas).
pub(super) async fn seed(_store: &dyn Store, _people: &[UserId]) -> anyhow::Result<()> {
    Ok(())
}
