//! The reasons of an import's preview (`domain::import::Reason`) in the officer's
//! language: each reason is a message `import.reason.{kind}` filled with its data, a
//! column's refused value is `import.invalid.{column}`, and a reason about a column starts
//! with the column's name as the file's header writes it (`import.reason.in_column`).
//! Why a whole file cannot be read: `import.file.*`.

use crate::{
    domain::{
        import::{COLUMNS, Column, FileError, Reason},
        kinds::{Locale, OrganisationKind, Role},
    },
    web::i18n,
};

/// The reason, as the page says it in `lang`.
pub fn words(lang: Locale, reason: &Reason) -> String {
    let (key, args) = message(reason);
    let args: Vec<(&str, &str)> = args.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let words = i18n::fill(lang, &key, &args);
    match reason.column() {
        Some(column) => i18n::fill(lang, "import.reason.in_column", &[("column", column.as_str()), ("reason", &words)]),
        None => words,
    }
}

/// Why the file cannot be read, as the page says it in `lang` beside the file's field.
pub fn file_words(lang: Locale, error: &FileError) -> String {
    let listed = |names: Vec<&str>| {
        if names.is_empty() { i18n::text(lang, "import.file.none") } else { names.join(", ") }
    };
    match error {
        FileError::TooLarge { mib } => i18n::fill(lang, "import.file.too_large", &[("mib", &mib.to_string())]),
        FileError::NotUtf8 { byte } => i18n::fill(lang, "import.file.not_utf8", &[("byte", &byte.to_string())]),
        FileError::HeaderUnreadable { detail } => {
            i18n::fill(lang, "import.file.header_unreadable", &[("detail", detail)])
        }
        FileError::Header { missing, unknown } => i18n::fill(
            lang,
            "import.file.header",
            &[
                ("columns", &COLUMNS.join(",")),
                ("missing", &listed(missing.clone())),
                ("unknown", &listed(unknown.iter().map(String::as_str).collect())),
            ],
        ),
    }
}

/// The message key of a reason and its placeholders' values.
fn message(reason: &Reason) -> (String, Vec<(&'static str, String)>) {
    let key = |name: &str| format!("import.reason.{name}");
    match reason {
        Reason::Unreadable { detail } => (key("unreadable"), vec![("detail", detail.clone())]),
        Reason::FieldCount { found, expected } => {
            (key("field_count"), vec![("found", found.to_string()), ("expected", expected.to_string())])
        }
        Reason::Invalid { column, .. } => invalid(*column),
        Reason::DescribedOtherwise { name, line } => {
            (key("described_otherwise"), vec![("name", name.clone()), ("line", line.to_string())])
        }
        Reason::OtherBce { name, recorded, .. } => {
            (key("other_bce"), vec![("name", name.clone()), ("recorded", recorded.clone())])
        }
        Reason::NameTaken { name, .. } => (key("name_taken"), vec![("name", name.clone())]),
        Reason::BceTaken { bce, name, .. } => (key("bce_taken"), vec![("bce", bce.clone()), ("name", name.clone())]),
        Reason::NameOnLine { name, line } => {
            (key("name_on_line"), vec![("name", name.clone()), ("line", line.to_string())])
        }
        Reason::BceOnLine { line } => (key("bce_on_line"), vec![("line", line.to_string())]),
        Reason::UserOnLine { email, line } => {
            (key("user_on_line"), vec![("email", email.clone()), ("line", line.to_string())])
        }
        Reason::RoleMismatch => (key("role_mismatch"), Vec::new()),
        Reason::UserOfOther { email, organisation, .. } => {
            (key("user_of_other"), vec![("email", email.clone()), ("organisation", organisation.clone())])
        }
    }
}

/// What a column's value must be: `import.invalid.{column}`, with the values allowed
/// where the column is a closed list.
fn invalid(column: Column) -> (String, Vec<(&'static str, String)>) {
    let listed = |values: Vec<&str>| vec![("values", values.join(", "))];
    let args = match column {
        Column::Kind => listed(OrganisationKind::ALL.iter().map(|k| k.as_str()).collect()),
        Column::Locale => listed(Locale::ALL.iter().map(|l| l.as_str()).collect()),
        Column::UserRole => listed(Role::ALL.iter().map(|r| r.as_str()).collect()),
        _ => Vec::new(),
    };
    (format!("import.invalid.{}", column.as_str()), args)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One reason of each kind, and each column refused.
    fn every_reason() -> Vec<Reason> {
        let mut reasons = vec![
            Reason::Unreadable { detail: "x".into() },
            Reason::FieldCount { found: 2, expected: 9 },
            Reason::DescribedOtherwise { name: "Ciney".into(), line: 2 },
            Reason::OtherBce { name: "Ciney".into(), id: 3, recorded: "0207446772".into() },
            Reason::NameTaken { name: "Ciney".into(), id: 3 },
            Reason::BceTaken { bce: "0207446772".into(), name: "Ciney".into(), id: 3 },
            Reason::NameOnLine { name: "Ciney".into(), line: 2 },
            Reason::BceOnLine { line: 2 },
            Reason::UserOnLine { email: "a@b.be".into(), line: 2 },
            Reason::RoleMismatch,
            Reason::UserOfOther { email: "a@b.be".into(), organisation: "Ciney".into(), id: 3 },
        ];
        reasons.extend(Column::ALL.map(|column| Reason::Invalid { column, message: String::new() }));
        reasons
    }

    #[test]
    fn every_reason_has_its_message_and_every_placeholder_is_filled() {
        for reason in every_reason() {
            let (key, _) = message(&reason);
            assert!(i18n::has(&key), "{key}");
            for lang in Locale::ALL {
                let words = words(*lang, &reason);
                assert!(!words.contains('{') && !words.contains("import."), "{lang}: {words}");
            }
        }
    }

    #[test]
    fn every_file_error_has_its_words() {
        let errors = [
            FileError::TooLarge { mib: 2 },
            FileError::NotUtf8 { byte: 3 },
            FileError::HeaderUnreadable { detail: "x".into() },
            FileError::Header { missing: vec!["locale"], unknown: Vec::new() },
        ];
        for error in &errors {
            for lang in Locale::ALL {
                let words = file_words(*lang, error);
                assert!(!words.contains('{') && !words.contains("import."), "{lang}: {words}");
            }
        }
        assert!(file_words(Locale::De, &errors[3]).contains("fehlend: locale; unbekannt: keine"));
    }

    #[test]
    fn a_closed_list_names_its_values() {
        let refused = Reason::Invalid { column: Column::UserRole, message: String::new() };
        assert!(words(Locale::Nl, &refused).contains("member, manager, officer"), "{}", words(Locale::Nl, &refused));
        assert!(words(Locale::Fr, &refused).starts_with("user_role : "));
    }
}
