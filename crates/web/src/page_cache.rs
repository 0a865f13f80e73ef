//! A page's data, kept per person until the data version moves.
//!
//! Every write to the data moves the database's data version (migration
//! 0010), in the writing transaction, whichever server made it. A page
//! request learns the version in its session query ([`SeenVersion`]) and
//! reads its own data after that, so that data is at least as new as the
//! version it is kept under: it may be newer, never older. A later request
//! that sees the same version finds nothing has changed and reuses it; one
//! that sees another version reads again. What depends on the clock (due
//! dates, streaks) must stay out of what is kept and be worked out per
//! request.
//!
//! [`SeenVersion`]: crate::access::SeenVersion

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use pmcoach_store::{DataVersion, UserId};

use crate::error::AppResult;

/// Entries kept at most; past it, entries of older versions go first, then all.
const CAPACITY: usize = 2_048;

/// Which page's data, and for whom.
type Key = (UserId, &'static str);

struct Entry {
    version: DataVersion,
    value: Arc<dyn Any + Send + Sync>,
}

#[derive(Default)]
pub struct PageCache {
    entries: Mutex<HashMap<Key, Entry>>,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache").field("entries", &self.len()).finish()
    }
}

impl PageCache {
    /// The `page` data of `user` at `version`: kept from an earlier request
    /// at the same version, else `load`ed (and kept). Without a version,
    /// always loaded and never kept.
    pub async fn get_or_load<T, F, Fut>(
        &self,
        version: Option<DataVersion>,
        user: UserId,
        page: &'static str,
        load: F,
    ) -> AppResult<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<T>>,
    {
        let Some(version) = version else { return Ok(Arc::new(load().await?)) };
        if let Some(kept) = self.kept(user, page, version) {
            return Ok(kept);
        }
        let value = Arc::new(load().await?);
        self.keep((user, page), version, value.clone());
        Ok(value)
    }

    fn kept<T: Send + Sync + 'static>(&self, user: UserId, page: &'static str, version: DataVersion) -> Option<Arc<T>> {
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = entries.get(&(user, page)).filter(|entry| entry.version == version)?;
        entry.value.clone().downcast::<T>().ok()
    }

    fn keep(&self, key: Key, version: DataVersion, value: Arc<dyn Any + Send + Sync>) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // A slower request may finish after a faster one that saw a newer
        // version: keep the newer.
        if entries.get(&key).is_some_and(|entry| entry.version > version) {
            return;
        }
        if entries.len() >= CAPACITY && !entries.contains_key(&key) {
            entries.retain(|_, entry| entry.version >= version);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(key, Entry { version, value });
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn read(cache: &PageCache, loads: &AtomicUsize, version: Option<DataVersion>, user: UserId) -> String {
        let value = cache
            .get_or_load(version, user, "test", || async {
                let n = loads.fetch_add(1, Ordering::SeqCst) + 1;
                Ok(format!("load {n}"))
            })
            .await
            .expect("load");
        (*value).clone()
    }

    #[tokio::test]
    async fn data_is_reused_at_the_same_version_and_read_again_at_another() {
        let (cache, loads) = (PageCache::default(), AtomicUsize::new(0));
        assert_eq!(read(&cache, &loads, Some(1), 7).await, "load 1");
        assert_eq!(read(&cache, &loads, Some(1), 7).await, "load 1", "same version: kept");
        assert_eq!(read(&cache, &loads, Some(1), 8).await, "load 2", "another person: their own");
        assert_eq!(read(&cache, &loads, Some(2), 7).await, "load 3", "the data moved: read again");
        assert_eq!(read(&cache, &loads, Some(1), 7).await, "load 4", "an older version is not served the newer data");
        assert_eq!(read(&cache, &loads, Some(2), 7).await, "load 3", "nor does it replace the newer");
        assert_eq!(read(&cache, &loads, None, 7).await, "load 5", "no version: never kept");
        assert_eq!(read(&cache, &loads, None, 7).await, "load 6");
    }

    #[tokio::test]
    async fn a_full_cache_drops_older_versions_first_and_stays_bounded() {
        let (cache, loads) = (PageCache::default(), AtomicUsize::new(0));
        for user in 0..CAPACITY as i64 {
            read(&cache, &loads, Some(1), user).await;
        }
        assert_eq!(cache.len(), CAPACITY);
        read(&cache, &loads, Some(2), -1).await;
        assert_eq!(cache.len(), 1, "the version-1 entries went");
        for user in 0..(3 * CAPACITY) as i64 {
            read(&cache, &loads, Some(2), user).await;
        }
        assert!(cache.len() <= CAPACITY, "{}", cache.len());
    }
}
