//! `pmcoach backup FILE` and `pmcoach restore FILE`: the portable backup of
//! `pmcoach_store::backup`, taken while the server runs and restored into an
//! empty database of either backend.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use pmcoach_store::backup::{self, Totals};

use crate::serve_cmd::StoreArgs;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the backup (a new file; it is written beside it first and renamed when complete)
    #[arg(value_name = "FILE")]
    file: PathBuf,
    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file written by `pmcoach backup`
    #[arg(value_name = "FILE")]
    file: PathBuf,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn backup(args: &BackupArgs) -> anyhow::Result<()> {
    let config = args.store.config()?;
    if args.file.exists() {
        bail!("{} already exists: give a new file name (a backup never overwrites a file)", args.file.display());
    }
    if config.database_url.is_none() {
        let database = config.data_dir.join("pmcoach.db");
        if !database.is_file() {
            bail!("there is no pmcoach database in {}: check --data-dir", config.data_dir.display());
        }
    }
    // Written under a temporary name and renamed once complete, so FILE is
    // never a half-written backup.
    let partial = partial_path(&args.file);
    let totals = runtime()?.block_on(async {
        let store = pmcoach_store::open(&config.store_url()).await?;
        let file = File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
        let mut out = BufWriter::new(file);
        let totals = store.backup(&mut out).await;
        let synced = out.into_inner().map_err(|e| e.into_error()).and_then(|file| file.sync_all());
        match (totals, synced) {
            (Ok(totals), Ok(())) => Ok(totals),
            (Err(error), _) => Err(anyhow::Error::from(error)),
            (_, Err(error)) => Err(anyhow::Error::from(error).context(format!("cannot write {}", partial.display()))),
        }
    });
    let totals = match totals {
        Ok(totals) => totals,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error.context("the backup failed; no backup file was written"));
        }
    };
    std::fs::rename(&partial, &args.file)
        .with_context(|| format!("cannot rename the backup to {}", args.file.display()))?;
    writeln!(std::io::stdout().lock(), "backed up {} to {}", describe(totals), args.file.display())?;
    Ok(())
}

pub fn restore(args: &RestoreArgs) -> anyhow::Result<()> {
    // The whole file is checked before any database is opened or created.
    let (header, totals) = backup::verify(&mut open_backup(&args.file)?)
        .with_context(|| format!("cannot restore {}", args.file.display()))?;
    let config = args.store.config()?;
    let restored = runtime()?.block_on(async {
        if config.database_url.is_none() {
            std::fs::create_dir_all(&config.data_dir)
                .with_context(|| format!("cannot create the data folder {}", config.data_dir.display()))?;
        }
        let store = pmcoach_store::open(&config.store_url()).await?;
        let restored = store.restore(&mut open_backup(&args.file)?).await?;
        anyhow::Ok(restored)
    });
    let restored = restored.with_context(|| format!("cannot restore {}; nothing was changed", args.file.display()))?;
    debug_assert_eq!(restored, totals);
    writeln!(
        std::io::stdout().lock(),
        "restored {} from {} (a {} backup made by pmcoach {})",
        describe(restored),
        args.file.display(),
        header.backend,
        header.pmcoach
    )?;
    Ok(())
}

fn open_backup(path: &Path) -> anyhow::Result<BufReader<File>> {
    let file = File::open(path).with_context(|| format!("cannot open the backup file {}", path.display()))?;
    Ok(BufReader::new(file))
}

fn partial_path(file: &Path) -> PathBuf {
    let mut name = file.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    file.with_file_name(name)
}

fn describe(totals: Totals) -> String {
    format!("{} tables, {} rows", totals.tables, totals.rows)
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")
}
