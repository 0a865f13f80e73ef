//! Server configuration: defaults → TOML file → `PMCOACH_*` environment
//! variables → command-line flags, each layer overriding the one before.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Everything `pmcoach serve` can be told.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Folder for the embedded SQLite database; created if missing.
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL instead of the embedded SQLite.
    pub database_url: Option<String>,
    /// Fill an empty database with a sample organisation.
    pub demo: bool,
    /// Mark cookies `Secure` (sent over HTTPS only; browsers also accept them
    /// on http://localhost). Turn off only behind plain HTTP on a trusted LAN.
    pub secure_cookies: bool,
    /// Days a session lasts without activity.
    pub session_days: i64,
    /// Days an invitation link stays valid.
    pub invitation_days: i64,
    /// Sign-in attempts allowed in a burst per client address.
    pub sign_in_burst: u32,
    /// Seconds until one more sign-in attempt is allowed after a burst.
    pub sign_in_refill_seconds: u64,
    /// The address people reach pmcoach at, for links in e-mails
    /// ("https://pmcoach.example.com"); needed when e-mail is on.
    pub public_url: Option<String>,
    /// When and how reminders are made.
    pub reminders: RemindersConfig,
    /// Sending reminders by e-mail over SMTP (off by default).
    pub email: EmailConfig,
}

/// The `[reminders]` table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RemindersConfig {
    /// Look for due reminders in the background.
    pub enabled: bool,
    /// Seconds between two looks.
    pub every_seconds: u64,
    /// Days a rater's invitation may stay unanswered before the person
    /// assessed is told (and the rater, by e-mail, is reminded).
    pub rater_wait_days: i64,
    /// Days after an assessment closes before a reassessment is suggested.
    pub reassess_days: i64,
}

impl Default for RemindersConfig {
    fn default() -> Self {
        RemindersConfig { enabled: true, every_seconds: 300, rater_wait_days: 7, reassess_days: 91 }
    }
}

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587); refused without it.
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or in tests.
    None,
}

/// The `[email]` table.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmailConfig {
    pub enabled: bool,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    /// Better given as PMCOACH_SMTP_PASSWORD than written in the file.
    pub password: Option<String>,
    /// The sender, such as "pmcoach <pmcoach@example.com>".
    pub from: String,
}

impl Default for EmailConfig {
    fn default() -> Self {
        EmailConfig {
            enabled: false,
            smtp_host: "localhost".to_owned(),
            smtp_port: 587,
            security: SmtpSecurity::Starttls,
            username: None,
            password: None,
            from: "pmcoach <pmcoach@localhost>".to_owned(),
        }
    }
}

impl std::fmt::Debug for EmailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailConfig")
            .field("enabled", &self.enabled)
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .finish()
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The database URL may carry a password.
        let database = self.database_url.as_ref().map(|url| redact(url));
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("database_url", &database)
            .field("demo", &self.demo)
            .field("secure_cookies", &self.secure_cookies)
            .field("session_days", &self.session_days)
            .field("invitation_days", &self.invitation_days)
            .field("sign_in_burst", &self.sign_in_burst)
            .field("sign_in_refill_seconds", &self.sign_in_refill_seconds)
            .field("public_url", &self.public_url)
            .field("reminders", &self.reminders)
            .field("email", &self.email)
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("pmcoach-data"),
            database_url: None,
            demo: false,
            secure_cookies: true,
            session_days: 14,
            invitation_days: 7,
            sign_in_burst: 5,
            sign_in_refill_seconds: 12,
            public_url: None,
            reminders: RemindersConfig::default(),
            email: EmailConfig::default(),
        }
    }
}

/// The commented defaults, printed by `pmcoach default-config`.
pub const DEFAULT_CONFIG_TOML: &str = r#"# pmcoach configuration. Every setting is optional; these are the defaults.
# Precedence: these defaults < this file (--config FILE) < PMCOACH_* environment
# variables (PMCOACH_ADDR, PMCOACH_DATA_DIR, ...) < command-line flags.

# Address to listen on.
addr = "127.0.0.1:8080"

# Folder for the embedded SQLite database (created if missing).
data_dir = "pmcoach-data"

# Use PostgreSQL instead of SQLite, e.g. "postgres://pmcoach@db.internal/pmcoach".
# Several pmcoach servers can share one PostgreSQL database.
# database_url = "postgres://..."

# Fill an empty database with a sample organisation to explore.
demo = false

# Send cookies over HTTPS only (browsers also accept them on http://localhost).
# Turn off only when serving plain HTTP on a trusted network.
secure_cookies = true

# Days a session lasts without activity.
session_days = 14

# Days an invitation link stays valid.
invitation_days = 7

# Sign-in attempts allowed in a burst per client address, and seconds until
# one more attempt is allowed.
sign_in_burst = 5
sign_in_refill_seconds = 12

# The address people reach pmcoach at, used for links in e-mails.
# public_url = "https://pmcoach.example.com"

[reminders]
# Look for due check-ins, overdue 1:1s, unanswered rater invitations and
# reassessments in the background, and notify people in the app.
enabled = true
every_seconds = 300
# Days an invitation may stay unanswered before the person assessed is told
# (and, with e-mail on, the rater gets a fresh link).
rater_wait_days = 7
# Days after an assessment closes before a reassessment is suggested.
reassess_days = 91

[email]
# Also send reminders by e-mail (each person can turn this off in Settings).
enabled = false
smtp_host = "localhost"
smtp_port = 587
# "starttls" (port 587), "tls" (port 465), or "none" (a relay on this machine).
security = "starttls"
# username = "pmcoach"
# The password is best given as the PMCOACH_SMTP_PASSWORD variable.
# password = "..."
from = "pmcoach <pmcoach@localhost>"
"#;

/// Why a configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("config file {path} is not valid: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("environment variable {name}={value:?} is not valid: {message}")]
    Env { name: String, value: String, message: String },
    #[error("{0}")]
    Conflict(String),
}

impl Config {
    /// Defaults overridden by the TOML file at `path`, if given.
    pub fn from_file(path: Option<&Path>) -> Result<Config, ConfigError> {
        let Some(path) = path else { return Ok(Config::default()) };
        let bytes = std::fs::read(path).map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
        let text = String::from_utf8(bytes).map_err(|error| ConfigError::Invalid {
            path: path.to_owned(),
            message: format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                error.utf8_error().valid_up_to()
            ),
        })?;
        toml::from_str(&text).map_err(|error| {
            let line = error.span().map(|span| text[..span.start].matches('\n').count() + 1);
            let at = line.map(|line| format!("line {line}: ")).unwrap_or_default();
            ConfigError::Invalid { path: path.to_owned(), message: format!("{at}{}", error.message().trim()) }
        })
    }

    /// Applies `PMCOACH_*` variables from `vars` (pass `std::env::vars()`).
    pub fn apply_env(&mut self, vars: impl Iterator<Item = (String, String)>) -> Result<(), ConfigError> {
        for (name, value) in vars {
            let Some(key) = name.strip_prefix("PMCOACH_") else { continue };
            let invalid = |message: &str| ConfigError::Env {
                name: name.clone(),
                value: value.clone(),
                message: message.to_owned(),
            };
            match key {
                "ADDR" => {
                    self.addr = value.parse().map_err(|_| invalid("expected an address such as 127.0.0.1:8080"))?
                }
                "DATA_DIR" => self.data_dir = PathBuf::from(&value),
                "DATABASE_URL" => self.database_url = Some(value.clone()),
                "DEMO" => self.demo = parse_bool(&value).ok_or_else(|| invalid("expected true or false"))?,
                "SECURE_COOKIES" => {
                    self.secure_cookies = parse_bool(&value).ok_or_else(|| invalid("expected true or false"))?
                }
                "SESSION_DAYS" => {
                    self.session_days =
                        parse_positive(&value).ok_or_else(|| invalid("expected a whole number of days, at least 1"))?
                }
                "PUBLIC_URL" => self.public_url = Some(value.clone()),
                "SMTP_PASSWORD" => self.email.password = Some(value.clone()),
                "INVITATION_DAYS" => {
                    self.invitation_days =
                        parse_positive(&value).ok_or_else(|| invalid("expected a whole number of days, at least 1"))?
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Checks settings that only make sense together.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.database_url
            && !(url.starts_with("postgres://") || url.starts_with("postgresql://"))
        {
            return Err(ConfigError::Conflict(format!(
                "database_url must start with postgres:// (got {}); for SQLite use data_dir instead",
                redact(url)
            )));
        }
        if self.session_days < 1 || self.invitation_days < 1 || self.sign_in_burst < 1 {
            return Err(ConfigError::Conflict(
                "session_days, invitation_days and sign_in_burst must be at least 1".to_owned(),
            ));
        }
        let reminders = &self.reminders;
        if reminders.every_seconds < 1 || reminders.rater_wait_days < 1 || reminders.reassess_days < 1 {
            return Err(ConfigError::Conflict(
                "[reminders] every_seconds, rater_wait_days and reassess_days must be at least 1".to_owned(),
            ));
        }
        if let Some(url) = &self.public_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(ConfigError::Conflict(format!("public_url must start with https:// or http:// (got {url:?})")));
        }
        if self.email.enabled {
            if self.public_url.is_none() {
                return Err(ConfigError::Conflict(
                    "[email] is enabled but public_url is not set: e-mails need it to link back to pmcoach".to_owned(),
                ));
            }
            crate::mail::Mailer::check(&self.email).map_err(ConfigError::Conflict)?;
        }
        Ok(())
    }

    /// The URL the store opens: PostgreSQL when configured, else the SQLite
    /// file in the data folder.
    pub fn store_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => self.data_dir.join("pmcoach.db").display().to_string(),
        }
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn parse_positive(value: &str) -> Option<i64> {
    value.trim().parse().ok().filter(|days: &i64| *days >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_defaults_are_the_defaults() {
        let parsed: Config = toml::from_str(DEFAULT_CONFIG_TOML).expect("default config parses");
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn environment_overrides_and_reports_bad_values() {
        let mut config = Config::default();
        let vars = [("PMCOACH_ADDR", "0.0.0.0:9000"), ("PMCOACH_DEMO", "true"), ("OTHER", "x")];
        config.apply_env(vars.iter().map(|(k, v)| (k.to_string(), v.to_string()))).expect("valid");
        assert_eq!(config.addr.port(), 9000);
        assert!(config.demo);
        let error = config.apply_env([("PMCOACH_SESSION_DAYS".to_owned(), "soon".to_owned())].into_iter()).unwrap_err();
        assert!(error.to_string().contains("PMCOACH_SESSION_DAYS=\"soon\""), "{error}");
    }

    #[test]
    fn urls_are_redacted_in_debug_output() {
        assert_eq!(redact("postgres://app:hunter2@db/pm"), "postgres://app:***@db/pm");
        let config = Config { database_url: Some("postgres://app:hunter2@db/pm".to_owned()), ..Config::default() };
        assert!(!format!("{config:?}").contains("hunter2"));
    }

    #[test]
    fn a_broken_file_names_its_line() {
        let dir = std::env::temp_dir().join(format!("pmcoach-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("bad.toml");
        std::fs::write(&path, "addr = \"127.0.0.1:1\"\ndemo = maybe\n").expect("write");
        let error = Config::from_file(Some(&path)).unwrap_err().to_string();
        assert!(error.contains("line 2"), "{error}");
        std::fs::write(&path, "colour = \"blue\"\n").expect("write");
        let error = Config::from_file(Some(&path)).unwrap_err().to_string();
        assert!(error.contains("unknown field"), "{error}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
