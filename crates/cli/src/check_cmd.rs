//! `pmcoach check`: the communication coach on files, folders and standard input.
//!
//! Inputs are streamed: a walker thread finds files, `--jobs` workers check
//! them, and the main thread prints each file's result in input order as soon
//! as it is ready. At most a small window of files is in flight, so memory
//! does not grow with the number of files.

mod render;

use std::collections::HashMap;
use std::io::{self, IsTerminal, Read, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use pmcoach_comms::output::{JsonFile, sarif};
use pmcoach_comms::{Audience, CheckOptions, Checker, Config, Kind, Report, Severity, TextFormat};

use crate::Outcome;
use crate::text;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  pmcoach check update.md --audience exec --kind update\n  \
                        pmcoach check docs/ --format json\n  \
                        pbpaste | pmcoach check - --audience customer --kind reply\n\n\
                        Exit status: 0 nothing at error severity, 1 errors found, 2 usage or I/O error \
                        (other files are still checked).")]
pub struct CheckArgs {
    /// Files or folders to check; folders are walked for .md, .markdown and .txt files
    /// (honouring .gitignore). `-` or no path reads standard input
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// Whom the message is for: exec, engineering, sales, customer-success, customer, design or peer
    /// [default: from .pmcoach.toml, else peer]
    #[arg(long, value_parser = Audience::parse)]
    audience: Option<Audience>,
    /// What the message is: update, request, announcement, reply or collateral
    #[arg(long, value_parser = Kind::parse)]
    kind: Option<Kind>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: CheckFormat,
    /// Use this configuration file instead of the nearest .pmcoach.toml above each file
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Files to check in parallel [default: all cores]
    #[arg(long, short, value_name = "N")]
    jobs: Option<NonZeroUsize>,
    /// When to use colour in text output
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorWhen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    /// Diagnostics for people, with the offending words underlined
    Text,
    /// One JSON object: {"files":[...]}
    Json,
    /// SARIF 2.1.0, for code-scanning tools
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    /// Colour when writing to a terminal and NO_COLOR is not set
    Auto,
    /// Always colour
    Always,
    /// Never colour
    Never,
}

/// One thing to check.
#[derive(Debug, Clone)]
enum Input {
    Stdin,
    File(PathBuf),
    /// A path that could not be used, with the reason.
    Bad(String, String),
}

impl Input {
    fn display(&self) -> String {
        match self {
            Input::Stdin => "-".to_owned(),
            Input::File(p) => p.display().to_string(),
            Input::Bad(p, _) => p.clone(),
        }
    }
}

/// The checked result of one input, already rendered.
struct Done {
    index: usize,
    rendered: String,
    counts: [usize; 3],
    error: Option<String>,
}

/// Which configuration (and so which checker) applies to which folder.
struct Checkers {
    fixed: Option<Arc<Checker>>,
    default: Arc<Checker>,
    by_dir: Mutex<HashMap<PathBuf, Result<Arc<Checker>, String>>>,
    by_config: Mutex<HashMap<PathBuf, Result<Arc<Checker>, String>>>,
}

impl Checkers {
    fn for_path(&self, path: Option<&Path>) -> Result<Arc<Checker>, String> {
        if let Some(c) = &self.fixed {
            return Ok(c.clone());
        }
        let dir = match path.and_then(Path::parent) {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if let Some(found) = lock(&self.by_dir).get(&dir) {
            return found.clone();
        }
        let dir_abs = std::path::absolute(&dir).unwrap_or_else(|_| dir.clone());
        let result = match Config::find(&dir_abs) {
            None => Ok(self.default.clone()),
            Some(config_path) => {
                let cached = lock(&self.by_config).get(&config_path).cloned();
                match cached {
                    Some(r) => r,
                    None => {
                        let built = Config::load(&config_path)
                            .map_err(|e| e.to_string())
                            .and_then(|c| Checker::with_config(&c).map(Arc::new).map_err(|e| e.to_string()));
                        lock(&self.by_config).insert(config_path, built.clone());
                        built
                    }
                }
            }
        };
        lock(&self.by_dir).insert(dir, result.clone());
        result
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn is_checked_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "md" | "markdown" | "txt"))
}

/// Walks the arguments and hands every input, numbered, to `send`, which
/// returns false to stop early.
fn produce(paths: Vec<String>, mut sink: impl FnMut(usize, Input) -> bool, total: &AtomicUsize) {
    let mut index = 0;
    let mut send = |input: Input| {
        total.fetch_add(1, Ordering::Relaxed);
        let ok = sink(index, input);
        index += 1;
        ok
    };
    let paths = if paths.is_empty() { vec!["-".to_owned()] } else { paths };
    for arg in paths {
        if arg == "-" {
            if !send(Input::Stdin) {
                return;
            }
            continue;
        }
        let path = PathBuf::from(&arg);
        match std::fs::metadata(&path) {
            Err(e) => {
                let why = if e.kind() == io::ErrorKind::NotFound {
                    "no such file or folder".to_owned()
                } else {
                    e.to_string()
                };
                if !send(Input::Bad(arg, why)) {
                    return;
                }
            }
            Ok(m) if m.is_dir() => {
                let walker = ignore::WalkBuilder::new(&path).sort_by_file_name(|a, b| a.cmp(b)).build();
                for entry in walker {
                    let input = match entry {
                        Ok(e) if e.file_type().is_some_and(|t| t.is_file()) && is_checked_extension(e.path()) => {
                            Input::File(e.into_path())
                        }
                        Ok(_) => continue,
                        Err(e) => Input::Bad(arg.clone(), e.to_string()),
                    };
                    if !send(input) {
                        return;
                    }
                }
            }
            Ok(_) => {
                if !send(Input::File(path)) {
                    return;
                }
            }
        }
    }
}

/// Lets a worker start on input `index` only when it is within `window` of
/// the next input to print, which bounds the results waiting to be printed.
struct Window {
    printed: Mutex<usize>,
    moved: Condvar,
    size: usize,
}

impl Window {
    fn wait_for(&self, index: usize) {
        let mut printed = lock(&self.printed);
        while index >= *printed + self.size {
            printed = self.moved.wait(printed).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }
    fn advance(&self, to: usize) {
        *lock(&self.printed) = to;
        self.moved.notify_all();
    }
}

struct Job<'a> {
    args: &'a CheckArgs,
    checkers: &'a Checkers,
    color: bool,
}

impl Job<'_> {
    fn run(&self, index: usize, input: Input) -> Done {
        let name = input.display();
        let mut done = Done { index, rendered: String::new(), counts: [0; 3], error: None };
        let (text, path) = match read(&input) {
            Ok(t) => t,
            Err(why) => {
                done.error = Some(format!("{name}: {why}"));
                return done;
            }
        };
        let checker = match self.checkers.for_path(path.as_deref()) {
            Ok(c) => c,
            Err(why) => {
                done.error = Some(format!("{name}: not checked, its configuration is broken: {why}"));
                return done;
            }
        };
        let format = match &path {
            Some(p) => TextFormat::from_path(&p.to_string_lossy()),
            None => TextFormat::Markdown,
        };
        let options = CheckOptions { audience: self.args.audience, kind: self.args.kind, format };
        // A bug in a rule must not cost the user the other files' results.
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| checker.check(&text, &options)));
        let Ok(report) = checked else {
            done.error = Some(format!("{name}: internal error while checking this file (please report it)"));
            return done;
        };
        for f in &report.findings {
            done.counts[f.severity as usize] += 1;
        }
        done.rendered = match self.args.format {
            CheckFormat::Text => render::text(&name, &text, &report, &checker, self.color),
            CheckFormat::Json => serde_json::to_string(&JsonFile::new(&name, &report)).unwrap_or_default(),
            CheckFormat::Sarif => sarif_results(&name, &report),
        };
        done
    }
}

fn sarif_results(name: &str, report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&sarif::result(name, f).to_string());
    }
    out
}

fn read(input: &Input) -> Result<(String, Option<PathBuf>), String> {
    let (bytes, path) = match input {
        Input::Bad(_, why) => return Err(why.clone()),
        Input::Stdin => {
            let mut buf = Vec::new();
            io::stdin().lock().read_to_end(&mut buf).map_err(|e| format!("cannot read standard input: {e}"))?;
            (buf, None)
        }
        Input::File(p) => {
            let bytes = std::fs::read(p).map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => "no such file".to_owned(),
                io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
                _ => format!("cannot read: {e}"),
            })?;
            (bytes, Some(p.clone()))
        }
    };
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.replace_range(..3, "   ");
            }
            Ok((s, path))
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(format!("not UTF-8 text (invalid byte at line {line}, byte offset {offset}); save it as UTF-8"))
        }
    }
}

/// A one-line progress display on standard error, for terminals only.
struct Progress {
    enabled: bool,
    last: Instant,
    shown: bool,
}

impl Progress {
    fn tick(&mut self, done: usize, total: usize, finished_walking: bool) {
        if !self.enabled || done < 20 || self.last.elapsed() < Duration::from_millis(100) {
            return;
        }
        self.last = Instant::now();
        let width = 30;
        let line = if finished_walking && total > 0 {
            let filled = done * width / total;
            format!("\r  checking [{}{}] {done}/{total} files", "#".repeat(filled), " ".repeat(width - filled))
        } else {
            format!("\r  checking {done} files…")
        };
        let _ = io::stderr().lock().write_all(line.as_bytes());
        self.shown = true;
    }
    fn clear(&mut self) {
        if self.shown {
            let _ = write!(io::stderr().lock(), "\r{:60}\r", "");
        }
    }
}

pub fn run(args: &CheckArgs) -> anyhow::Result<Outcome> {
    let fixed = match &args.config {
        Some(path) => {
            let config = Config::load(path)?;
            Some(Arc::new(Checker::with_config(&config)?))
        }
        None => None,
    };
    let checkers = Checkers {
        fixed,
        default: Arc::new(Checker::new()),
        by_dir: Mutex::new(HashMap::new()),
        by_config: Mutex::new(HashMap::new()),
    };
    let jobs =
        args.jobs.map_or_else(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get), NonZeroUsize::get);
    let stdout_tty = io::stdout().is_terminal();
    let color = match args.color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => stdout_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let job = Job { args, checkers: &checkers, color };
    // 32 inputs per job ahead of the printer: enough that a worker on a
    // large file does not leave the others idle (4 per job measured 5% slower
    // with two jobs), still a bound that does not grow with the input count.
    let window = Window { printed: Mutex::new(0), moved: Condvar::new(), size: jobs * 32 };
    let total = AtomicUsize::new(0);
    let walked = AtomicBool::new(false);
    let mut out = text::stdout();
    let mut printer = Printer { format: args.format, first: true, counts: [0; 3], files: 0, errors: Vec::new() };
    let mut progress = Progress { enabled: io::stderr().is_terminal(), last: Instant::now(), shown: false };

    if jobs == 1 {
        // One job: no threads, no hand-offs; check and print each input in turn.
        let mut failed: Option<io::Error> = None;
        printer.begin(&mut out)?;
        produce(
            args.paths.clone(),
            |index, input| {
                let done = job.run(index, input);
                if let Err(e) = printer.file(&mut out, done) {
                    failed = Some(e);
                    return false;
                }
                progress.tick(index + 1, total.load(Ordering::Relaxed), false);
                true
            },
            &total,
        );
        progress.clear();
        let result = match failed {
            Some(e) => Err(e),
            None => printer.end(&mut out),
        };
        text::finish(result.and_then(|()| out.flush()))?;
        return Ok(printer.outcome());
    }

    let result: io::Result<()> = std::thread::scope(|scope| {
        // Roomy channels: a full one puts its sender to sleep, and with a
        // file every few hundred microseconds those wake-ups cost more than
        // the hand-off (2 slots per job: two jobs 1.51× one job; 64: 1.65×).
        let (input_tx, input_rx) = sync_channel::<(usize, Input)>(jobs * 64);
        let (done_tx, done_rx) = sync_channel::<Done>(jobs * 64);
        let paths = args.paths.clone();
        let (total_ref, walked_ref) = (&total, &walked);
        scope.spawn(move || {
            produce(paths, |index, input| input_tx.send((index, input)).is_ok(), total_ref);
            walked_ref.store(true, Ordering::Release);
        });
        let input_rx = Arc::new(Mutex::new(input_rx));
        for _ in 0..jobs {
            let (rx, tx, job, window) = (input_rx.clone(), done_tx.clone(), &job, &window);
            scope.spawn(move || worker(&rx, &tx, job, window));
        }
        drop(done_tx);
        printer.begin(&mut out)?;
        let mut pending: HashMap<usize, Done> = HashMap::new();
        let mut next = 0;
        for done in done_rx {
            pending.insert(done.index, done);
            while let Some(d) = pending.remove(&next) {
                next += 1;
                printer.file(&mut out, d)?;
            }
            window.advance(next);
            progress.tick(next, total.load(Ordering::Relaxed), walked.load(Ordering::Acquire));
        }
        progress.clear();
        printer.end(&mut out)
    });
    text::finish(result.and_then(|()| out.flush()))?;
    Ok(printer.outcome())
}

fn worker(rx: &Mutex<Receiver<(usize, Input)>>, tx: &SyncSender<Done>, job: &Job<'_>, window: &Window) {
    loop {
        let next = lock(rx).recv();
        let Ok((index, input)) = next else { return };
        window.wait_for(index);
        if tx.send(job.run(index, input)).is_err() {
            return;
        }
    }
}

struct Printer {
    format: CheckFormat,
    first: bool,
    counts: [usize; 3],
    files: usize,
    errors: Vec<String>,
}

impl Printer {
    fn begin(&mut self, out: &mut impl Write) -> io::Result<()> {
        match self.format {
            CheckFormat::Text => Ok(()),
            CheckFormat::Json => out.write_all(b"{\"files\":["),
            CheckFormat::Sarif => out.write_all(sarif::header(env!("CARGO_PKG_VERSION")).as_bytes()),
        }
    }

    fn file(&mut self, out: &mut impl Write, done: Done) -> io::Result<()> {
        if let Some(e) = done.error {
            self.errors.push(e);
            return Ok(());
        }
        self.files += 1;
        for i in 0..3 {
            self.counts[i] += done.counts[i];
        }
        if done.rendered.is_empty() {
            return Ok(());
        }
        if self.format != CheckFormat::Text && !self.first {
            out.write_all(b",")?;
        }
        self.first = false;
        out.write_all(done.rendered.as_bytes())
    }

    /// Reports unreadable inputs and picks the exit status.
    fn outcome(&self) -> Outcome {
        for e in &self.errors {
            text::error(e);
        }
        if !self.errors.is_empty() {
            Outcome::InputErrors
        } else if self.counts[Severity::Error as usize] > 0 {
            Outcome::ProblemsFound
        } else {
            Outcome::Clean
        }
    }

    fn end(&mut self, out: &mut impl Write) -> io::Result<()> {
        match self.format {
            CheckFormat::Text => {
                let [info, warning, error] = self.counts;
                let files = if self.files == 1 { "1 file" } else { &format!("{} files", self.files) };
                let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
                writeln!(
                    out,
                    "{files} checked: {}, {}, {}",
                    plural(error, "error", "errors"),
                    plural(warning, "warning", "warnings"),
                    plural(info, "note", "notes")
                )
            }
            CheckFormat::Json => out.write_all(b"]}\n"),
            CheckFormat::Sarif => {
                out.write_all(sarif::FOOTER.as_bytes())?;
                out.write_all(b"\n")
            }
        }
    }
}
