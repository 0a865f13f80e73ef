//! Embeds every file under `content/` into the library, so the shipped
//! framework travels inside the binary and `--framework DIR` is only an
//! override.

use std::{env, fs, io, path::Path};

fn main() -> io::Result<()> {
    // Read at run time, not with env!(): a build script binary compiled for
    // one checkout may be reused by cargo for another sharing the target dir.
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").map_err(io::Error::other)?;
    let content = Path::new(&manifest_dir).join("../../content");
    // A directory path makes cargo rescan the whole tree, so adding a file
    // rebuilds too, not only editing one.
    println!("cargo:rerun-if-changed={}", content.display());
    let mut files = Vec::new();
    collect(&content, &content, &mut files)?;
    files.sort();
    let mut out = String::from("/// Every file under `content/`: (path relative to `content/`, text).\n");
    out.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    for relative in &files {
        let absolute = content.join(relative).canonicalize()?;
        out.push_str(&format!("    ({relative:?}, include_str!({:?})),\n", absolute.display().to_string()));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").map_err(io::Error::other)?).join("embedded_content.rs");
    fs::write(dest, out)
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, files)?;
        } else if path.extension().is_some_and(|ext| ext == "toml") {
            let relative = path.strip_prefix(root).map_err(io::Error::other)?;
            files.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}
