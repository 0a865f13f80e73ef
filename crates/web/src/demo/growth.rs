//! The demo organisation's growth plans, practice log and check-ins.

use pmcoach_store::{Store, UserId};

/// Seeds growth plans and practice for the demo people (`people` in the
/// order of `super::people()`: Ada, Sam, Maya, Priya, Theo, Jonas).
pub(super) async fn seed(_store: &dyn Store, _people: &[UserId]) -> anyhow::Result<()> {
    Ok(())
}
