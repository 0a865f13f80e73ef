//! Sending e-mail over SMTP (lettre), for reminders. Off unless `[email]`
//! is enabled in the configuration.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use pmcoach_core::ids::Email;

use crate::config::{EmailConfig, SmtpSecurity};

/// A configured SMTP sender.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

/// Why an e-mail was not sent, and whether trying again could help.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    /// The server refused for good (a bad address, say): do not retry.
    pub permanent: bool,
}

impl Mailer {
    /// Checks the settings without connecting, so that a typo stops the
    /// server at start rather than at the first reminder.
    pub fn check(config: &EmailConfig) -> Result<(), String> {
        config
            .from
            .parse::<Mailbox>()
            .map_err(|e| format!("[email] from = {:?} is not an e-mail sender: {e}", config.from))?;
        if config.smtp_host.trim().is_empty() {
            return Err("[email] smtp_host is empty".to_owned());
        }
        if config.username.is_some() != config.password.is_some() {
            return Err("[email] needs both username and password (PMCOACH_SMTP_PASSWORD), or neither".to_owned());
        }
        if config.password.is_some() && config.security == SmtpSecurity::None {
            return Err("[email] refuses to send a password over an unencrypted connection: \
                        use security = \"starttls\" or \"tls\""
                .to_owned());
        }
        Ok(())
    }

    pub fn new(config: &EmailConfig) -> anyhow::Result<Mailer> {
        Self::check(config).map_err(anyhow::Error::msg)?;
        let host = config.smtp_host.trim();
        let builder = match config.security {
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        };
        let mut builder = builder.port(config.smtp_port).timeout(Some(Duration::from_secs(20)));
        if let (Some(user), Some(password)) = (&config.username, &config.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Mailer { transport: builder.build(), from: config.from.parse()? })
    }

    /// Sends one plain-text message.
    pub async fn send(&self, to: &Email, name: &str, subject: &str, body: String) -> Result<(), SendError> {
        let failed = |message: String| SendError { message, permanent: true };
        let address = to.as_str().parse().map_err(|e| failed(format!("cannot address {to}: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new((!name.is_empty()).then(|| name.to_owned()), address))
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| failed(format!("cannot build the message: {e}")))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|error| SendError { permanent: error.is_permanent(), message: error.to_string() })
    }
}
