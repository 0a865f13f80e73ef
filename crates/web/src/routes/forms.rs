//! Form validation that shows every problem next to its field and keeps
//! what the person typed (except passwords).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use pmcoach_core::ids::Email;
use serde::de::DeserializeOwned;

use crate::auth::password;
use crate::error::AppError;

/// The most a form body may hold; the access middleware refuses more first.
pub const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// A submitted form, read strictly: a body that is not UTF-8 (raw, or once
/// percent-decoded) is refused rather than quietly patched with replacement
/// characters, and a body that does not fit the form gets our error page
/// instead of a bare message. Use it in place of `axum::Form`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| too_large())?;
        if !decodes_to_utf8(&bytes) {
            return Err(AppError::Invalid(
                "This form arrived with characters pmcoach cannot read (it was not sent as UTF-8), so nothing was \
                 saved. Go back, reload the page and try again; if you pasted the text, paste it as plain text."
                    .to_owned(),
            ));
        }
        let request = Request::from_parts(parts, axum::body::Body::from(Bytes::clone(&bytes)));
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(form)) => Ok(Form(form)),
            Err(rejection) => Err(AppError::Invalid(format!(
                "This form could not be read ({}), so nothing was saved. Go back, reload the page and try again.",
                rejection.body_text().trim_end_matches('.')
            ))),
        }
    }
}

pub fn too_large() -> AppError {
    AppError::TooLarge(
        "That form was larger than pmcoach accepts (2 MB), so nothing was saved. Shorten it and try again.".to_owned(),
    )
}

/// Whether every name and value of a URL-encoded body is UTF-8 once its
/// `%XX` escapes are decoded.
fn decodes_to_utf8(body: &[u8]) -> bool {
    body.split(|&b| b == b'&').all(|pair| {
        let mut decoded = Vec::with_capacity(pair.len());
        let mut i = 0;
        while i < pair.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            match (pair[i], pair.get(i + 1).copied().and_then(hex), pair.get(i + 2).copied().and_then(hex)) {
                (b'%', Some(high), Some(low)) => {
                    decoded.push((high * 16 + low) as u8);
                    i += 3;
                }
                (byte, _, _) => {
                    decoded.push(byte);
                    i += 1;
                }
            }
        }
        std::str::from_utf8(&decoded).is_ok()
    })
}

/// Problems with a submitted form, by field name.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(name, _)| *name == field).map(|(_, message)| message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// A required short text such as a name: trimmed, 1–120 characters.
pub fn required_text(errors: &mut FieldErrors, field: &'static str, label: &str, value: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, format!("Enter {label}."));
    } else if value.chars().count() > 120 {
        errors.add(field, format!("Keep {label} under 120 characters."));
    } else if value.chars().any(char::is_control) {
        errors.add(field, format!("{label} cannot contain control characters."));
    }
    value.to_owned()
}

pub fn email(errors: &mut FieldErrors, field: &'static str, value: &str) -> Option<Email> {
    match Email::parse(value) {
        Ok(email) => Some(email),
        Err(_) if value.trim().is_empty() => {
            errors.add(field, "Enter an e-mail address.");
            None
        }
        Err(error) => {
            errors.add(field, error.to_string());
            None
        }
    }
}

/// A new password and its confirmation.
pub fn new_password(errors: &mut FieldErrors, field: &'static str, password_value: &str, confirm: &str) {
    if let Err(message) = password::check_new(password_value) {
        errors.add(field, message);
    } else if password_value != confirm {
        errors.add("confirm", "The two passwords are not the same.");
    }
}

#[cfg(test)]
mod strict_form_tests {
    use super::decodes_to_utf8;

    #[test]
    fn only_utf8_after_decoding_passes() {
        assert!(decodes_to_utf8(b"name=caf%C3%A9&x=1+2&y=%zz&z=%"));
        assert!(decodes_to_utf8("name=café".as_bytes()));
        assert!(!decodes_to_utf8(b"name=caf\xe9"));
        assert!(!decodes_to_utf8(b"name=%FF%FE"));
        assert!(!decodes_to_utf8(b"a=1&%C3=2"), "names too");
    }
}
