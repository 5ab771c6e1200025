//! Keeps passwords in database URLs out of every message.

/// Replaces the password of every `scheme://user:password@host` URL and every
/// `password=...` parameter in `text` with `***`.
pub fn redact(text: &str) -> String {
    redact_parameters(&redact_userinfo(text))
}

fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = rest.find("://") {
        let (before, after) = rest.split_at(index + 3);
        out.push_str(before);
        let authority_end = after
            .find(|c: char| matches!(c, '/' | '?' | '#' | '"' | '\'' | '`') || c.is_whitespace())
            .unwrap_or(after.len());
        let authority = &after[..authority_end];
        match authority.rfind('@') {
            Some(at) => {
                let userinfo = &authority[..at];
                match userinfo.find(':') {
                    Some(colon) => {
                        out.push_str(&userinfo[..colon]);
                        out.push_str(":***");
                    }
                    None => out.push_str(userinfo),
                }
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &after[authority_end..];
    }
    out.push_str(rest);
    out
}

fn redact_parameters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = find_ignore_case(rest, "password=") {
        let (before, after) = rest.split_at(index + "password=".len());
        out.push_str(before);
        let end = after
            .find(|c: char| c == '&' || c == ';' || c.is_whitespace())
            .unwrap_or(after.len());
        if end > 0 {
            out.push_str("***");
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
    use super::redact;

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
    fn text_without_passwords_is_unchanged() {
        for text in [
            "sqlite://data/app.db?mode=rwc",
            "postgres://app@db/prod",
            "no url here",
            "a://",
        ] {
            assert_eq!(redact(text), text);
        }
    }
}
