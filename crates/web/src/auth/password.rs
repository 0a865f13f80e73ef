//! Argon2id password hashing, always off the async executor.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// The shortest password we accept. Long passphrases beat complexity rules.
pub const MIN_LENGTH: usize = 10;
const MAX_LENGTH: usize = 1024;

/// Why a new password is refused.
pub fn check_new(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        Err(format!("Use at least {MIN_LENGTH} characters; a short sentence you will remember works well."))
    } else if length > MAX_LENGTH {
        Err(format!("Use at most {MAX_LENGTH} characters."))
    } else {
        Ok(())
    }
}

/// Hashes a password with a fresh salt.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|error| anyhow::anyhow!("cannot hash password: {error}"))
    })
    .await?
}

/// Checks a password against a stored hash. Unknown users are checked
/// against `dummy` so that the time taken does not tell whether an e-mail
/// address has an account.
pub async fn verify(password: String, stored: Option<String>, dummy: String) -> bool {
    let known = stored.is_some();
    let hash = stored.unwrap_or(dummy);
    let matches = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false);
    known && matches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_unknown_users_never_match() {
        let stored = hash("correct horse battery".to_owned()).await.expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        let dummy = hash("dummy password".to_owned()).await.expect("hash");
        assert!(verify("correct horse battery".to_owned(), Some(stored.clone()), dummy.clone()).await);
        assert!(!verify("wrong horse battery".to_owned(), Some(stored), dummy.clone()).await);
        assert!(!verify("dummy password".to_owned(), None, dummy).await, "the dummy hash never signs anyone in");
    }

    #[test]
    fn new_passwords_need_some_length() {
        assert!(check_new("short").is_err());
        assert!(check_new("a long enough passphrase").is_ok());
    }
}
