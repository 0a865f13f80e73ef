//! What every handler can reach.

use std::sync::Arc;

use pmcoach_core::framework::Framework;
use pmcoach_store::Store;

use crate::config::Config;
use crate::page_cache::PageCache;

#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub framework: Arc<Framework>,
    pub config: Arc<Config>,
    /// An argon2 hash of a random password, checked when an e-mail address is
    /// unknown so that sign-in takes as long either way.
    pub dummy_hash: Arc<String>,
    /// Pages' data, kept until the data version moves.
    pub pages: Arc<PageCache>,
}
