//! Criterion benchmark of the checker library on realistic prose.
//!
//! Run with `cargo bench -p pmcoach-comms`. Uses the man-page corpus from
//! `bench/comms.sh` when `PMCOACH_BENCH_CORPUS` points at its `corpus.txt`,
//! and a built-in sample of messages otherwise.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pmcoach_comms::{Audience, CheckOptions, Checker, TextFormat};

const SAMPLE: &str = "TL;DR: the billing migration slips one week, to Friday 12 December; I need your go/no-go on \
the new date by Wednesday.\n\n- What happened: the export job failed the load test at 40,000 accounts, twice our \
largest customer.\n- What we changed: Sam's team split the job into batches; the retest runs Monday.\n- Risk: if the \
retest fails, we keep the old system through January, which costs about $8,000 a month.\n\nI think this is \
basically the right call, and we will share a revised plan soon.\n";

fn corpus() -> (String, TextFormat) {
    match std::env::var("PMCOACH_BENCH_CORPUS").ok().and_then(|p| std::fs::read_to_string(p).ok()) {
        Some(text) => (text, TextFormat::Plain),
        None => (SAMPLE.repeat(2000), TextFormat::Markdown),
    }
}

fn bench(c: &mut Criterion) {
    let checker = Checker::new();
    let (text, format) = corpus();
    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    for audience in [Audience::Exec, Audience::Customer] {
        let options = CheckOptions::for_audience(audience).format(format);
        group.bench_function(audience.as_str(), |b| b.iter(|| black_box(checker.check(black_box(&text), &options))));
    }
    group.finish();
    c.bench_function("checker_new", |b| b.iter(|| black_box(Checker::new())));
}

criterion_group!(benches, bench);
criterion_main!(benches);
