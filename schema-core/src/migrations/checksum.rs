//! The checksum of a migration file.
//!
//! Algorithm (version 1, do not change without a migration path for recorded histories):
//! SHA-256 over the UTF-8 text after removing one leading byte-order mark and replacing every
//! CRLF with LF.
//!
//! Why SHA-256: the value is stored in every database's history table and compared for years,
//! so the algorithm must be fixed by a public specification (FIPS 180-4), not by a library
//! version (`DefaultHasher` is explicitly unstable across Rust releases and broke refinery's
//! users once). It must also be collision resistant, because "same checksum" is read as "same
//! file": a 64-bit non-cryptographic hash does not promise that. SHA-256 is the smallest common
//! choice that does, and `sha2` is already a dependency of the workspace.
//!
//! Why normalize: a Windows checkout (`core.autocrlf`) or an editor adding a BOM changes the
//! bytes but not the SQL; refusing such a file as "changed after apply" is the most reported
//! checksum complaint about sqlx.

use sha2::{Digest, Sha256};
use std::fmt;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// A SHA-256 digest of a normalized migration file.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Checksum(pub [u8; 32]);

impl Checksum {
    /// The checksum of raw file content (normalized first).
    pub fn of(content: &str) -> Checksum {
        Checksum::of_normalized(&normalize(content))
    }

    /// The checksum of text that is already normalized.
    pub fn of_normalized(normalized: &str) -> Checksum {
        Checksum(Sha256::digest(normalized.as_bytes()).into())
    }

    /// Lowercase hexadecimal, 64 characters: the form stored in the history table.
    pub fn to_hex(&self) -> String {
        let mut out = String::with_capacity(64);
        for byte in self.0 {
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 15)] as char);
        }
        out
    }

    /// Whether `hex` is exactly this checksum's `to_hex` (no allocation: the runner compares
    /// every history row with its file).
    pub fn is_hex(&self, hex: &str) -> bool {
        let bytes = hex.as_bytes();
        bytes.len() == 64
            && self.0.iter().enumerate().all(|(i, byte)| {
                bytes[2 * i] == HEX[usize::from(byte >> 4)]
                    && bytes[2 * i + 1] == HEX[usize::from(byte & 15)]
            })
    }

    /// Parses the stored form; `None` if it is not 64 hexadecimal digits.
    pub fn from_hex(hex: &str) -> Option<Checksum> {
        let bytes = hex.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks(2).enumerate() {
            let high = (pair[0] as char).to_digit(16)?;
            let low = (pair[1] as char).to_digit(16)?;
            out[i] = (high * 16 + low) as u8;
        }
        Some(Checksum(out))
    }
}

impl fmt::Display for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Checksum({self})")
    }
}

/// Removes one leading byte-order mark and turns CRLF line endings into LF.
pub fn normalize(content: &str) -> String {
    let without_bom = content.strip_prefix('\u{feff}').unwrap_or(content);
    without_bom.replace("\r\n", "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_bom_do_not_change_the_checksum() {
        let lf = Checksum::of("CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n");
        let crlf = Checksum::of("CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n");
        let bom = Checksum::of("\u{feff}CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n");
        assert_eq!(lf, crlf);
        assert_eq!(lf, bom);
    }

    #[test]
    fn a_changed_statement_changes_the_checksum() {
        assert_ne!(
            Checksum::of("CREATE TABLE a (id int);"),
            Checksum::of("CREATE TABLE a (id bigint);")
        );
    }

    #[test]
    fn hex_form_round_trips_and_compares_exactly() {
        let checksum = Checksum::of("CREATE TABLE a (id int);");
        let hex = checksum.to_hex();
        assert_eq!(hex, format!("{checksum}"));
        assert_eq!(Checksum::from_hex(&hex), Some(checksum));
        assert!(checksum.is_hex(&hex));
        assert!(!checksum.is_hex(&hex.to_uppercase()));
        assert!(!checksum.is_hex(&hex[..63]));
        assert!(!Checksum::of("other").is_hex(&hex));
    }

    #[test]
    fn lone_carriage_returns_are_content() {
        assert_ne!(Checksum::of("a\rb"), Checksum::of("a\nb"));
    }

    #[test]
    fn checksum_is_sha256_of_the_normalized_text() {
        // sha256("") is a published test vector.
        assert_eq!(
            Checksum::of("\u{feff}").to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn hex_round_trips() {
        let sum = Checksum::of("select 1");
        assert_eq!(Checksum::from_hex(&sum.to_hex()), Some(sum));
        assert_eq!(Checksum::from_hex("zz"), None);
        assert_eq!(Checksum::from_hex(&"g".repeat(64)), None);
    }
}
