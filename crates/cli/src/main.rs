//! `pmcoach`: the command line of the pmcoach skills coach.
//!
//! Thin by design: it parses arguments, reads files, calls the library
//! crates and maps their results to output and exit codes (0 success,
//! 1 problems found, 2 usage or I/O error).

mod backup_cmd;
mod check_cmd;
mod framework_cmd;
mod framework_source;
mod profile_cmd;
mod scenarios_cmd;
mod serve_cmd;
mod text;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "pmcoach",
    version,
    about = "A skills coach for product managers, product marketers and technical PMs",
    long_about = "pmcoach tells you which skills your product role needs and why, and checks your \
                  messages for the audience you are writing to.\n\n\
                  Start with `pmcoach profile --role pm --level senior` to see your target profile, \
                  or `pmcoach framework show` to browse the skills."
)]
struct Cli {
    /// Use the skill framework in DIR (with skills/*.toml and context-rules.toml)
    /// instead of the one built into pmcoach
    #[arg(long, global = true, value_name = "DIR")]
    framework: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check messages before you send them: is the point up front, is the ask clear, will this
    /// audience (exec, engineering, sales, customer-success, customer, design, peer) read and
    /// understand it? Reads Markdown and plain text files, folders and standard input
    Check(check_cmd::CheckArgs),
    /// Check or print the skill framework
    #[command(subcommand)]
    Framework(framework_cmd::FrameworkCommand),
    /// Show the target profile for a role context: which skills matter, how much, and why
    Profile(profile_cmd::ProfileArgs),
    /// Check or print the situational-judgement scenario bank
    #[command(subcommand)]
    Scenarios(scenarios_cmd::ScenariosCommand),
    /// Start the web app (embedded SQLite by default; PostgreSQL with --database-url)
    Serve(serve_cmd::ServeArgs),
    /// Print the configuration file with every setting, its default and what it does
    DefaultConfig,
    /// Administer an installation from the command line
    #[command(subcommand)]
    Admin(serve_cmd::AdminCommand),
    /// Write a consistent backup of the database to FILE, also while the server runs (one portable format
    /// for SQLite and PostgreSQL)
    Backup(backup_cmd::BackupArgs),
    /// Restore a backup FILE into an empty database (SQLite or PostgreSQL, whichever the backup came from)
    Restore(backup_cmd::RestoreArgs),
}

/// Output formats shared by the commands that print data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable text for a terminal
    Text,
    /// One JSON object, for scripts
    Json,
}

/// Outcome of a command that ran to the end: success or "found problems".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Clean,
    ProblemsFound,
    /// Some inputs could not be read (missing, not UTF-8, ...) but the others were processed.
    InputErrors,
}

/// The process's memory allocator. glibc's malloc keeps memory freed by a
/// thread in that thread's arena (every SQLite connection runs on a thread
/// of its own), so under a steady load the server's resident memory crept
/// up about 1 MiB a minute while its live heap stayed near 11 MiB (heaptrack);
/// see docs/benchmarks.md, the soak.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check_cmd::run(&args),
        Command::Framework(command) => framework_cmd::run(command, cli.framework.as_deref()),
        Command::Profile(args) => profile_cmd::run(&args, cli.framework.as_deref()),
        Command::Scenarios(command) => scenarios_cmd::run(command, cli.framework.as_deref()),
        Command::Serve(args) => serve_cmd::serve(&args, cli.framework.as_deref()).map(|()| Outcome::Clean),
        Command::DefaultConfig => serve_cmd::default_config().map(|()| Outcome::Clean),
        Command::Admin(command) => serve_cmd::admin(&command).map(|()| Outcome::Clean),
        Command::Backup(args) => backup_cmd::backup(&args).map(|()| Outcome::Clean),
        Command::Restore(args) => backup_cmd::restore(&args).map(|()| Outcome::Clean),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::ProblemsFound) => ExitCode::from(1),
        Ok(Outcome::InputErrors) => ExitCode::from(2),
        Err(error) => {
            text::error(&format!("{error:#}"));
            ExitCode::from(2)
        }
    }
}
