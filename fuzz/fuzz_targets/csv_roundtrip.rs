//! pmcoach has no CSV import; its CSV is the scenario responses export. This
//! target checks that export's writer (`csv_text`) round-trips any cells
//! through a standard CSV reader: the same rows and cells come back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pmcoach_core::scenarios::{CSV_HEADER, csv_text};

fuzz_target!(|rows: Vec<[String; 12]>| {
    let text = csv_text(&rows);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    assert_eq!(header, CSV_HEADER.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>());
    let read: Vec<Vec<String>> =
        reader.records().map(|record| record.expect("a record").iter().map(str::to_owned).collect()).collect();
    let written: Vec<Vec<String>> = rows.iter().map(|row| row.to_vec()).collect();
    assert_eq!(read, written, "CSV text:\n{text}");
});
