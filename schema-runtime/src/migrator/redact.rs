//! Keeps passwords in database URLs out of every message: the one place that decides what of a
//! URL may be shown (the runtime's errors and the CLI's output both go through it).
//!
//! A URL is read the way the driver reads it: sqlx parses `postgres://` and `mysql://` URLs with
//! the `url` crate, so does this module. Where the driver would fail or misread the URL (a `/`,
//! `#`, `?` or space in the password that was not percent-encoded, no `//` after the scheme),
//! [`check_url`] says which part is wrong without echoing any of it, and [`redact_url`] shows
//! none of it. Free text (a driver's error, a message of ours) goes through [`redact`], which
//! hides the password of every URL it can see, or through [`Secrets::redact`], which also
//! hides every piece of the URLs it was made from, whatever the text around them.

use url::Url;

/// What is shown instead of a password.
const HIDDEN: &str = "***";

/// How to write the characters that end a password early.
const ENCODE_HINT: &str = "percent-encode `/` `#` `?` `@` `:` and spaces in the user name and password (`/` is %2F, `#` %23, `?` %3F, `@` %40, `:` %3A, a space %20)";

/// Why a database URL cannot be used as written. Its `Display` never quotes the URL.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlProblem {
    /// The `url` crate (the driver's parser) refused it.
    #[error("the database URL could not be parsed ({what}): {ENCODE_HINT}")]
    Unparsable { what: String },
    /// `postgres:user:pw@host/db`: read as a path, with the credentials as the database name.
    #[error("the database URL has no `//` after `{scheme}:`: write it as {scheme}://user:password@host:port/database ({ENCODE_HINT})")]
    NoAuthority { scheme: String },
    /// A `#` ends the URL for the driver; what follows it is dropped.
    #[error("the database URL has a `#`, where the driver stops reading it: {ENCODE_HINT}")]
    Fragment,
    /// An `@` after the host: a `/` or `?` in the password ended the user:password part early.
    #[error("the database URL has an `@` after its host (in the {part}): a `/` or `?` in the password ends the user:password part early; {ENCODE_HINT}")]
    AtAfterHost { part: &'static str },
}

fn is_server_scheme(scheme: &str) -> bool {
    matches!(scheme, "postgres" | "postgresql" | "mysql" | "mariadb")
}

fn scheme_of(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once(':')?;
    let valid = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Whether the driver can read `url` as it is meant: a `postgres://`, `postgresql://`,
/// `mysql://` or `mariadb://` URL the `url` crate parses, with an authority (`//`), no
/// fragment, and no `@` after the host. Other schemes (`sqlite:`) are not judged here.
pub fn check_url(url: &str) -> Result<(), UrlProblem> {
    parsed(url).map(|_| ())
}

/// `url` parsed, for a server scheme; `Ok(None)` for any other scheme.
fn parsed(url: &str) -> Result<Option<Url>, UrlProblem> {
    let Some(scheme) = scheme_of(url).filter(|s| is_server_scheme(s)) else {
        return Ok(None);
    };
    let parsed = Url::parse(url).map_err(|e| UrlProblem::Unparsable {
        // The url crate's messages are fixed words ("invalid port number"), never the input.
        what: e.to_string(),
    })?;
    if !parsed.has_authority() || parsed.cannot_be_a_base() {
        return Err(UrlProblem::NoAuthority { scheme });
    }
    if parsed.fragment().is_some() {
        return Err(UrlProblem::Fragment);
    }
    if parsed.path().contains('@') {
        return Err(UrlProblem::AtAfterHost {
            part: "database name",
        });
    }
    // The driver ignores parameters it does not know: one named `PW@host/db` is the rest of a
    // password that a `?` cut.
    if parsed
        .query_pairs()
        .any(|(key, _)| key.contains(['@', '/']))
    {
        return Err(UrlProblem::AtAfterHost {
            part: "query string",
        });
    }
    Ok(Some(parsed))
}

/// The URL as it may be printed: for a server URL the driver can read, the URL with its
/// password (in the user part and any `password=` parameter) replaced by `***`; for one it
/// cannot read, none of it (`<a database URL that could not be parsed>`: [`check_url`] says
/// why); other URLs (`sqlite:`, which hold no password) through [`redact`].
pub fn redact_url(url: &str) -> String {
    match parsed(url) {
        Ok(Some(mut parsed)) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some(HIDDEN));
            }
            let has_password_parameter = parsed.query_pairs().any(|(k, _)| is_password_key(&k));
            if has_password_parameter {
                let pairs: Vec<(String, String)> = parsed
                    .query_pairs()
                    .map(|(k, v)| {
                        let v = if is_password_key(&k) {
                            HIDDEN.to_string()
                        } else {
                            v.into_owned()
                        };
                        (k.into_owned(), v)
                    })
                    .collect();
                parsed.query_pairs_mut().clear().extend_pairs(pairs);
            }
            parsed.to_string()
        }
        Ok(None) => redact(url),
        Err(_) => "<a database URL that could not be parsed>".to_string(),
    }
}

fn is_password_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("password")
}

/// Everything of some URLs that must not be printed, to take out of any text: the URLs as
/// written, and their passwords as written and as the driver decodes them (for a URL that
/// cannot be parsed: the whole URL, everything after its scheme, and whatever stands between
/// its user name and its last `@`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Secrets {
    /// What to replace, longest first, with what.
    pieces: Vec<(String, String)>,
}

/// Passwords shorter than this are not searched for in free text (`pw` would hide every
/// "pw" of a message); URLs that hold them are still redacted as URLs.
const SHORTEST_SECRET: usize = 3;

impl Secrets {
    pub fn new() -> Secrets {
        Secrets::default()
    }

    /// The secrets of one URL (nothing for a URL without a password).
    pub fn of(url: &str) -> Secrets {
        let mut secrets = Secrets::new();
        secrets.add(url);
        secrets
    }

    /// Adds the secrets of `url`.
    pub fn add(&mut self, url: &str) {
        let url = url.trim();
        if url.is_empty() {
            return;
        }
        let shown = redact_url(url);
        let mut pieces = Vec::new();
        match parsed(url) {
            Ok(Some(parsed)) => {
                if shown != url {
                    pieces.push((url.to_string(), shown));
                }
                if let Some(password) = parsed.password() {
                    pieces.push((password.to_string(), HIDDEN.to_string()));
                    pieces.push((decoded(password), HIDDEN.to_string()));
                }
                for (key, value) in parsed.query_pairs() {
                    if is_password_key(&key) {
                        pieces.push((value.into_owned(), HIDDEN.to_string()));
                    }
                }
                // The password as typed, before the url crate encoded anything in it.
                pieces.extend(typed_password(url).map(|p| (p, HIDDEN.to_string())));
            }
            Ok(None) => {
                if shown != url {
                    pieces.push((url.to_string(), shown));
                }
            }
            Err(_) => {
                pieces.push((url.to_string(), shown));
                if let Some((_, rest)) = url.split_once(':') {
                    pieces.push((rest.to_string(), HIDDEN.to_string()));
                }
                pieces.extend(typed_password(url).map(|p| (p, HIDDEN.to_string())));
            }
        }
        for (piece, with) in pieces {
            let long_enough = piece.chars().count() >= SHORTEST_SECRET;
            if long_enough && piece != with && !self.pieces.iter().any(|(p, _)| *p == piece) {
                self.pieces.push((piece, with));
            }
        }
        self.pieces
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    }

    /// `text` without any of these secrets, and through [`redact`] for other URLs in it.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (piece, with) in &self.pieces {
            if out.contains(piece.as_str()) {
                out = out.replace(piece.as_str(), with);
            }
        }
        redact(&out)
    }
}

/// As the driver decodes it.
fn decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// What stands between the user name and the last `@` of the URL as typed (after `://`, or
/// after the scheme's `:` when there is no `//`): the password, when it holds characters that
/// end a password early.
fn typed_password(url: &str) -> Option<String> {
    let (_, rest) = url.split_once(':')?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let at = rest.rfind('@')?;
    let (_, password) = rest[..at].split_once(':')?;
    Some(password.to_string()).filter(|p| !p.is_empty())
}

/// `text` with the password of every database URL it shows hidden: `scheme://user:***@host`
/// (the user part runs to the last `@` of the URL, so a password holding `/`, `#` or `?` is
/// hidden whole), `postgres:***@host` for the form without `//`, and every `password=...`
/// parameter. A password with spaces in free text cannot be told from the words around it:
/// what knows the URL uses [`Secrets`].
pub fn redact(text: &str) -> String {
    redact_parameters(&redact_userinfo(text))
}

/// Where a URL written into free text ends.
fn ends_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>')
}

fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((start, after_scheme)) = next_url(rest) {
        out.push_str(&rest[..after_scheme]);
        let tail = &rest[after_scheme..];
        let end = tail.find(ends_url).unwrap_or(tail.len());
        let token = &tail[..end];
        out.push_str(&hide_userinfo(token));
        rest = &tail[end..];
        debug_assert!(start <= after_scheme);
    }
    out.push_str(rest);
    out
}

/// The next URL in `text`: where its scheme starts, and where what follows `scheme://` (or
/// `postgres:`, `mysql:`... without `//`) starts.
fn next_url(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(found) = text[from..].find(':') {
        let colon = from + found;
        let scheme_start = text[..colon]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .map(|i| i + 1)
            .unwrap_or(0);
        let scheme = &text[scheme_start..colon];
        let after = &text[colon + 1..];
        if !scheme.is_empty() && after.starts_with("//") {
            return Some((scheme_start, colon + 3));
        }
        if is_server_scheme(&scheme.to_ascii_lowercase()) && after.contains('@') {
            return Some((scheme_start, colon + 1));
        }
        from = colon + 1;
    }
    None
}

/// `user:password@host...` -> `user:***@host...`, the user part running to the last `@`.
fn hide_userinfo(token: &str) -> String {
    match token.rfind('@') {
        Some(at) => {
            let userinfo = &token[..at];
            match userinfo.find(':') {
                Some(colon) => format!("{}:{HIDDEN}{}", &userinfo[..colon], &token[at..]),
                None => token.to_string(),
            }
        }
        None => token.to_string(),
    }
}

fn redact_parameters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = find_ignore_case(rest, "password=") {
        let (before, after) = rest.split_at(index + "password=".len());
        out.push_str(before);
        let end = after
            .find(|c: char| c == '&' || c == ';' || ends_url(c))
            .unwrap_or(after.len());
        if end > 0 {
            out.push_str(HIDDEN);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .to_ascii_lowercase()
        .find(&needle.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_replaced() {
        assert_eq!(
            redact("cannot connect to postgres://app:s3cr%40t@db:5432/prod: refused"),
            "cannot connect to postgres://app:***@db:5432/prod: refused"
        );
        assert_eq!(
            redact("mysql://root:pw@h/db and mariadb://u:p:q@h2"),
            "mysql://root:***@h/db and mariadb://u:***@h2"
        );
        assert_eq!(
            redact("x postgres://p@h/db?password=hunter2&sslmode=require"),
            "x postgres://p@h/db?password=***&sslmode=require"
        );
        assert_eq!(
            redact("host=h PASSWORD=pw user=u"),
            "host=h PASSWORD=*** user=u"
        );
    }

    #[test]
    fn passwords_with_characters_that_end_them_early_are_replaced_whole() {
        for (text, want) in [
            (
                "at `postgres://u:S3cret/PW@127.0.0.1:5432/x`",
                "at `postgres://u:***@127.0.0.1:5432/x`",
            ),
            (
                "postgres://u:S3cret#PW@127.0.0.1:5432/x",
                "postgres://u:***@127.0.0.1:5432/x",
            ),
            ("postgres://u:a?b/c@h/x ok", "postgres://u:***@h/x ok"),
            ("postgres:u:pw@h/x", "postgres:u:***@h/x"),
            ("mysql:root:S3cret@h/x", "mysql:root:***@h/x"),
        ] {
            assert_eq!(redact(text), want, "{text}");
        }
    }

    #[test]
    fn text_without_passwords_is_unchanged() {
        for text in [
            "sqlite://data/app.db?mode=rwc",
            "postgres://app@db/prod",
            "no url here",
            "a://",
            "see postgres: the server said no",
            "sqlite:app.db",
        ] {
            assert_eq!(redact(text), text);
        }
    }

    #[test]
    fn urls_are_shown_as_the_driver_reads_them() {
        assert_eq!(
            redact_url("postgres://u:S3cret@127.0.0.1:5432/x"),
            "postgres://u:***@127.0.0.1:5432/x"
        );
        // A space is encoded by the parser (and decoded by the driver): it is a password.
        assert_eq!(
            redact_url("postgres://u:S3cret PW@127.0.0.1:5432/x"),
            "postgres://u:***@127.0.0.1:5432/x"
        );
        assert_eq!(
            redact_url("mysql://root@h:3306/d?password=S3cret&ssl-mode=disabled"),
            "mysql://root@h:3306/d?password=***&ssl-mode=disabled"
        );
        assert_eq!(
            redact_url("postgres://app@db/prod"),
            "postgres://app@db/prod"
        );
        assert_eq!(redact_url("sqlite:data/app.db"), "sqlite:data/app.db");
    }

    #[test]
    fn urls_the_driver_cannot_read_are_not_shown_at_all() {
        for url in [
            "postgres://u:S3cret/PW@127.0.0.1:5432/x",
            "postgres://u:S3cret#PW@127.0.0.1:5432/x",
            "postgres:u:pw@h/x",
            "postgres://u:1234/PW@127.0.0.1:5432/x",
            "postgres://u:12?PW@127.0.0.1:5432/x",
            "mysql://root:S3cret/PW@127.0.0.1:3306/x",
            "mariadb:root:S3cret@h/x",
            "postgres://u:5432#S3cret@h/x",
        ] {
            let problem = check_url(url).expect_err(url);
            let shown = redact_url(url);
            for text in [problem.to_string(), shown] {
                assert!(
                    !text.contains("S3cret") && !text.contains("PW"),
                    "{url}: {text}"
                );
                assert!(!text.contains(":pw"), "{url}: {text}");
                assert!(!text.contains("127.0.0.1"), "{url}: {text}");
            }
        }
        assert_eq!(
            check_url("postgres://u:S3cret/PW@127.0.0.1:5432/x")
                .unwrap_err()
                .to_string(),
            format!("the database URL could not be parsed (invalid port number): {ENCODE_HINT}")
        );
        assert!(matches!(
            check_url("postgres:u:pw@h/x"),
            Err(UrlProblem::NoAuthority { scheme }) if scheme == "postgres"
        ));
        for fine in [
            "postgres://u:S3cret@h:5432/x",
            "postgres://u:S3cret%2FPW@h/x",
            "postgres:///x?host=/var/run/postgresql",
            "postgres://u@h/x?application_name=a/b",
            "mysql://root@127.0.0.1:3306/x",
            "sqlite:app.db",
            "sqlite::memory:",
        ] {
            assert_eq!(check_url(fine), Ok(()), "{fine}");
        }
    }

    #[test]
    fn secrets_take_every_piece_of_their_url_out_of_any_text() {
        let secrets = Secrets::of("postgres://u:S3cret PW@127.0.0.1:5432/x");
        assert_eq!(
            secrets.redact("failed: postgres://u:S3cret PW@127.0.0.1:5432/x refused; S3cret PW"),
            "failed: postgres://u:***@127.0.0.1:5432/x refused; ***"
        );
        let secrets = Secrets::of("postgres://u:S3cret/PW@127.0.0.1:5432/x");
        let shown = secrets.redact("on postgres://u:S3cret/PW@127.0.0.1:5432/x: S3cret/PW");
        assert!(
            !shown.contains("S3cret") && !shown.contains("PW"),
            "{shown}"
        );
        let secrets = Secrets::of("postgres://u:p%40ss%2Fw@h/x");
        assert_eq!(secrets.redact("p@ss/w and p%40ss%2Fw"), "*** and ***");
        let secrets = Secrets::of("postgres:u:pw@h/x");
        let shown = secrets.redact("database \"u:pw@h/x\" does not exist");
        assert!(!shown.contains("pw@"), "{shown}");
        assert_eq!(
            Secrets::of("sqlite:app.db").redact("sqlite:app.db"),
            "sqlite:app.db"
        );
    }
}
