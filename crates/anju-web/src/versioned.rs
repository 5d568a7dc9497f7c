//! One cache shape for what pages build from the whole database (the 工作台 page, the ledger's
//! figures): entries keyed by query and scope, valid while a version number
//! (`anju_app::App::figures_version`: it moves with every write the viewer's figures may
//! depend on) is unchanged, for at most a TTL, and at most so many of them (the oldest dropped).
//!
//! An entry also serves a request that arrived before its build began: such a build read the
//! data after every write made before the request, the user's own included. So the requests
//! that waited for a rebuild share it instead of each rebuilding behind every newer write.
//!
//! And while one request rebuilds an entry, the others are served the entry as it stands
//! ([`VersionedCache::get_any`]) unless their user wrote something since its build began
//! ([`wrote_since`]: every write request a signed-in user makes is noted when it has been
//! answered, [`note_write`]): a reader waits for no one else's write, and nobody is shown a
//! page without their own.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(crate) struct VersionedCache<T> {
    entries: Mutex<HashMap<String, Entry<T>>>,
    ttl: Duration,
    max: usize,
}

struct Entry<T> {
    version: i64,
    /// When its build began (before the version and the data were read).
    started: Instant,
    value: T,
}

impl<T: Clone> VersionedCache<T> {
    pub(crate) fn new(ttl: Duration, max: usize) -> VersionedCache<T> {
        VersionedCache {
            entries: Mutex::new(HashMap::new()),
            ttl,
            max,
        }
    }

    /// The entry for `key`, if it holds the data at `version` or its build began at or after
    /// `arrived`, and is younger than the TTL.
    pub(crate) fn get(&self, key: &str, version: i64, arrived: Instant) -> Option<T> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|e| {
                (e.version == version || e.started >= arrived) && e.started.elapsed() < self.ttl
            })
            .map(|e| e.value.clone())
    }

    /// The entry for `key` whatever the data's version, younger than the TTL, with when its
    /// build began: for a reader while another request rebuilds it (see the module doc).
    pub(crate) fn get_any(&self, key: &str) -> Option<(T, Instant)> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|e| e.started.elapsed() < self.ttl)
            .map(|e| (e.value.clone(), e.started))
    }

    /// The entry for `key`, built by `build` when missing or stale: one build at a time under
    /// `lock`, and meanwhile the entry as it stands for readers whose `user` wrote nothing since
    /// it was built (see the module doc). `version` reads the data's version; it is read again
    /// once the lock is held, before the data, and kept with the entry.
    pub(crate) async fn get_or_build<E, V, VF, B, BF>(
        &self,
        key: &str,
        lock: &tokio::sync::Mutex<()>,
        user: &str,
        version: V,
        build: B,
    ) -> Result<T, E>
    where
        V: Fn() -> VF,
        VF: std::future::Future<Output = Result<i64, E>>,
        B: FnOnce() -> BF,
        BF: std::future::Future<Output = Result<T, E>>,
    {
        let arrived = Instant::now();
        if let Some(v) = self.get(key, version().await?, arrived) {
            return Ok(v);
        }
        let _one_at_a_time = match lock.try_lock() {
            Ok(guard) => guard,
            Err(_) => {
                if let Some((v, built)) = self.get_any(key)
                    && !wrote_since(user, built)
                {
                    return Ok(v);
                }
                lock.lock().await
            }
        };
        let started = Instant::now();
        let at = version().await?;
        if let Some(v) = self.get(key, at, arrived) {
            return Ok(v);
        }
        let v = build().await?;
        self.put(key.to_string(), at, started, v.clone());
        Ok(v)
    }

    /// Keeps `value`, built from the data at `version` by a build begun at `started`.
    pub(crate) fn put(&self, key: String, version: i64, started: Instant, value: T) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        entries.retain(|_, e| e.started.elapsed() < self.ttl);
        while entries.len() >= self.max {
            let Some(oldest) = entries
                .iter()
                .min_by_key(|(_, e)| e.started)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            entries.remove(&oldest);
        }
        entries.insert(
            key,
            Entry {
                version,
                started,
                value,
            },
        );
    }
}

/// When each signed-in user's latest write request was answered (by username).
static WRITTEN: std::sync::LazyLock<Mutex<HashMap<String, Instant>>> =
    std::sync::LazyLock::new(Default::default);

/// How long a write is remembered: longer than any cache entry lives.
const WRITE_MEMORY: Duration = Duration::from_secs(600);

/// Notes that `user`'s write request has been answered (its transaction committed).
pub(crate) fn note_write(user: &str) {
    let Ok(mut written) = WRITTEN.lock() else {
        return;
    };
    if written.len() > 10_000 {
        written.retain(|_, at| at.elapsed() < WRITE_MEMORY);
    }
    written.insert(user.to_string(), Instant::now());
}

/// Whether `user` had a write request answered at or after `t` (or their writes were forgotten
/// and cannot be ruled out).
pub(crate) fn wrote_since(user: &str, t: Instant) -> bool {
    match WRITTEN.lock() {
        Ok(written) => written.get(user).is_some_and(|at| *at >= t),
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_serves_its_version_and_requests_that_came_before_its_build() {
        let cache = VersionedCache::new(Duration::from_secs(60), 2);
        let before = Instant::now();
        let started = Instant::now();
        cache.put("k".into(), 7, started, "page");
        // Same version: served to anyone.
        assert_eq!(cache.get("k", 7, Instant::now()), Some("page"));
        // A newer version, but the request arrived before the build began: served.
        assert_eq!(cache.get("k", 8, before), Some("page"));
        // A newer version and a request after the build began: rebuilt.
        assert_eq!(cache.get("k", 8, Instant::now()), None);
        // At most two entries: the oldest goes.
        cache.put("a".into(), 7, Instant::now(), "a");
        cache.put("b".into(), 7, Instant::now(), "b");
        assert_eq!(cache.get("k", 7, before), None);
        assert_eq!(cache.get("b", 7, before), Some("b"));
        // Whatever the version, for a reader while another rebuilds.
        assert_eq!(cache.get_any("b").map(|(v, _)| v), Some("b"));
    }

    #[test]
    fn a_users_write_is_seen_after_the_build_it_preceded() {
        let before = Instant::now();
        note_write("versioned-test-user");
        let after = Instant::now();
        assert!(wrote_since("versioned-test-user", before));
        assert!(!wrote_since("versioned-test-user", after));
        assert!(!wrote_since("versioned-test-nobody", before));
    }
}
