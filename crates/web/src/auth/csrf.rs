//! CSRF protection: one random token per session, put into every form (and
//! the `x-csrf-token` header of script requests), checked by the access
//! middleware on every state-changing request before any handler runs.

use tower_sessions::Session;

use super::secret;

const KEY: &str = "csrf";
/// The form field that carries the token.
pub const FIELD: &str = "_csrf";
/// The header that carries the token for script requests.
pub const HEADER: &str = "x-csrf-token";

/// The session's token, created on first use.
pub async fn token(session: &Session) -> anyhow::Result<String> {
    if let Some(token) = session.get::<String>(KEY).await? {
        return Ok(token);
    }
    let token = secret::generate("")?;
    session.insert(KEY, &token).await?;
    Ok(token)
}

/// Whether `offered` is this session's token. A session without a token has
/// never shown a form, so nothing it sends can be valid.
pub async fn verify(session: &Session, offered: Option<&str>) -> bool {
    match (session.get::<String>(KEY).await.ok().flatten(), offered) {
        (Some(expected), Some(offered)) => secret::constant_time_eq(&expected, offered),
        _ => false,
    }
}

/// Finds the token in an URL-encoded form body.
pub fn from_form(body: &[u8]) -> Option<String> {
    form_urlencoded::parse(body).find(|(key, _)| key == FIELD).map(|(_, value)| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_token_among_other_fields() {
        assert_eq!(from_form(b"email=a%40b.com&_csrf=abc-DEF_1&x=y"), Some("abc-DEF_1".to_owned()));
        assert_eq!(from_form(b"_csrf=a%2Bb+c"), Some("a+b c".to_owned()));
        assert_eq!(from_form(b"email=a"), None);
    }
}
