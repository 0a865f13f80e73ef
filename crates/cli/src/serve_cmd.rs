//! `pmcoach serve`, `pmcoach default-config` and `pmcoach admin`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use pmcoach_core::ids::Email;
use pmcoach_store::{NewUser, OrgRole};
use pmcoach_web::{App, Config};

/// Where the data lives: shared by `serve` and `admin`.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Read settings from this TOML file (see `pmcoach default-config`)
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Folder for the embedded SQLite database [default: ./pmcoach-data]
    #[arg(long, value_name = "DIR", conflicts_with = "database_url")]
    data_dir: Option<PathBuf>,
    /// Use PostgreSQL instead of SQLite, e.g. postgres://pmcoach@localhost/pmcoach
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

impl StoreArgs {
    /// Defaults → file → environment → these flags.
    pub(crate) fn config(&self) -> anyhow::Result<Config> {
        let mut config = Config::from_file(self.config.as_deref())?;
        config.apply_env(std::env::vars())?;
        if let Some(dir) = &self.data_dir {
            config.data_dir = dir.clone();
            config.database_url = None;
        }
        if let Some(url) = &self.database_url {
            config.database_url = Some(url.clone());
        }
        config.validate()?;
        Ok(config)
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, value_name = "HOST:PORT")]
    addr: Option<std::net::SocketAddr>,
    /// Fill an empty database with a sample organisation and print its sign-in details
    #[arg(long)]
    demo: bool,
    #[command(flatten)]
    store: StoreArgs,
}

/// Serves with the built-in framework, or the one in `framework_dir`, which
/// is checked before anything else happens: a broken file stops the start
/// with its file and line, before a database is opened or a port taken.
pub fn serve(args: &ServeArgs, framework_dir: Option<&std::path::Path>) -> anyhow::Result<()> {
    let framework = crate::framework_source::load(framework_dir)?;
    let mut config = args.store.config()?;
    if let Some(addr) = args.addr {
        config.addr = addr;
    }
    config.demo |= args.demo;
    init_logging();
    runtime()?.block_on(async move {
        let demo = config.demo;
        let where_ = config.database_url.as_deref().map_or_else(
            || format!("SQLite in {}", config.data_dir.display()),
            |url| format!("PostgreSQL at {}", pmcoach_web::config::redact(url)),
        );
        let app = App::build_with(config, framework).await?;
        let addr = app.local_addr()?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "pmcoach is running at http://{addr}  (data: {where_}; Ctrl-C to stop)")?;
        if demo {
            match pmcoach_web::demo::seed(app.state.store.as_ref()).await? {
                Some(logins) => {
                    writeln!(out, "\nDemo organisation \"Northwind Labs\" created. Sign in as any of:")?;
                    for login in logins {
                        writeln!(out, "  {:<26} {:<8} {}", login.email, login.role.as_str(), login.title)?;
                    }
                    writeln!(out, "Password for every demo account: {}\n", pmcoach_web::demo::DEMO_PASSWORD)?;
                }
                None => writeln!(out, "--demo: the database already has people in it, so no demo data was added.")?,
            }
        }
        drop(out);
        app.serve(shutdown_signal()).await.context("the server stopped with an error")?;
        tracing::info!("stopped");
        Ok(())
    })
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Completes on Ctrl-C or SIGTERM, so requests in flight can finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an account. The password is read from standard input (one line).
    ///
    /// On an empty database this also creates the organisation (give --organisation)
    /// and the account becomes its first admin.
    CreateUser(CreateUserArgs),
}

#[derive(Debug, Args)]
pub struct CreateUserArgs {
    #[arg(long)]
    email: String,
    #[arg(long)]
    name: String,
    /// member, manager or admin
    #[arg(long, default_value = "member", value_parser = OrgRole::parse)]
    role: OrgRole,
    /// E-mail address of the new person's manager
    #[arg(long, value_name = "EMAIL")]
    manager: Option<String>,
    /// Organisation name, needed when the database is still empty
    #[arg(long)]
    organisation: Option<String>,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn admin(command: &AdminCommand) -> anyhow::Result<()> {
    let AdminCommand::CreateUser(args) = command;
    let config = args.store.config()?;
    let email = Email::parse(&args.email)?;
    let name = args.name.trim().to_owned();
    if name.is_empty() {
        bail!("--name cannot be empty");
    }
    let password = read_password()?;
    if let Err(message) = pmcoach_web::check_new_password(&password) {
        bail!("{message}");
    }
    runtime()?.block_on(async move {
        if config.database_url.is_none() {
            std::fs::create_dir_all(&config.data_dir)
                .with_context(|| format!("cannot create the data folder {}", config.data_dir.display()))?;
        }
        let store = pmcoach_store::open(&config.store_url()).await?;
        let password_hash = pmcoach_web::hash_password(password).await?;
        let new_user = NewUser { email, name, password_hash };
        let user = if store.has_users().await? {
            let Some(organisation) = store.first_organisation().await? else { bail!("no organisation found") };
            let manager = match &args.manager {
                Some(raw) => {
                    let email = Email::parse(raw)?;
                    let (manager, _) = store
                        .user_with_password(&email)
                        .await?
                        .with_context(|| format!("no account with the e-mail address {email} to be the manager"))?;
                    Some(manager.id)
                }
                None => None,
            };
            store.create_user(organisation.id, &new_user, args.role, manager).await?
        } else {
            let Some(organisation) = args.organisation.as_deref().map(str::trim).filter(|o| !o.is_empty()) else {
                bail!(
                    "the database is empty: give --organisation NAME to create the organisation with this first admin"
                );
            };
            store.create_organisation(organisation, &new_user).await?.1
        };
        writeln!(std::io::stdout().lock(), "created {} <{}> as {}", user.name, user.email, user.role)?;
        Ok(())
    })
}

fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let mut err = std::io::stderr().lock();
        write!(err, "Password for the new account (shown as you type; at least 10 characters): ")?;
        err.flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line).context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

pub fn default_config() -> anyhow::Result<()> {
    std::io::stdout().lock().write_all(pmcoach_web::DEFAULT_CONFIG_TOML.as_bytes())?;
    Ok(())
}
