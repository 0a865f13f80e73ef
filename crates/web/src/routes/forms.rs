//! Form validation that shows every problem next to its field and keeps
//! what the person typed (except passwords).

use pmcoach_core::ids::Email;

use crate::auth::password;

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
