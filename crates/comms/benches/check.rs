//! Criterion benchmark of the checker library on realistic prose.
//!
//! Run with `cargo bench -p pmcoach-comms`. Uses the man-page corpus from
//! `bench/comms.sh` when `PMCOACH_BENCH_CORPUS` points at its `files` folder
//! (every file is checked as its own document, as `pmcoach check` does), and
//! a built-in sample of messages otherwise.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pmcoach_comms::{Audience, CheckOptions, Checker, TextFormat};

const SAMPLE: &str = "TL;DR: the billing migration slips one week, to Friday 12 December; I need your go/no-go on \
the new date by Wednesday.\n\n- What happened: the export job failed the load test at 40,000 accounts, twice our \
largest customer.\n- What we changed: Sam's team split the job into batches; the retest runs Monday.\n- Risk: if the \
retest fails, we keep the old system through January, which costs about $8,000 a month.\n\nI think this is \
basically the right call, and we will share a revised plan soon.\n";

fn corpus() -> (Vec<String>, TextFormat) {
    let Some(dir) = std::env::var_os("PMCOACH_BENCH_CORPUS") else {
        return (vec![SAMPLE.repeat(2000)], TextFormat::Markdown);
    };
    let mut paths: Vec<_> =
        std::fs::read_dir(dir).map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default();
    paths.sort();
    let texts: Vec<String> = paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    if texts.is_empty() { (vec![SAMPLE.repeat(2000)], TextFormat::Markdown) } else { (texts, TextFormat::Plain) }
}

fn bench(c: &mut Criterion) {
    let checker = Checker::new();
    let (texts, format) = corpus();
    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Bytes(texts.iter().map(|t| t.len() as u64).sum()));
    group.sample_size(10);
    for audience in [Audience::Exec, Audience::Customer] {
        let options = CheckOptions::for_audience(audience).format(format);
        group.bench_function(audience.as_str(), |b| {
            b.iter(|| {
                for text in &texts {
                    black_box(checker.check(black_box(text), &options));
                }
            })
        });
    }
    group.finish();
    c.bench_function("checker_new", |b| b.iter(|| black_box(Checker::new())));
}

criterion_group!(benches, bench);
criterion_main!(benches);
