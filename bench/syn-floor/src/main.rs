//! Parses every `.rs` file under the given directory with syn and prints how many items it saw.

use std::path::Path;

fn walk(dir: &Path, items: &mut usize) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, items)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path)?;
            let file = syn::parse_file(&text).map_err(|e| std::io::Error::other(e.to_string()))?;
            *items += file.items.len();
        }
    }
    Ok(())
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: syn-floor DIR");
    let mut items = 0;
    if let Err(e) = walk(Path::new(&dir), &mut items) {
        eprintln!("syn-floor: {e}");
        std::process::exit(2);
    }
    println!("{items}");
}
