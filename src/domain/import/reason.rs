//! Why a line of an import file cannot be imported, as data: the column it concerns and
//! what each reason needs to be said (the line it clashes with, the organisation found);
//! likewise why a whole file cannot be read.
//! The command line says it in English ([`std::fmt::Display`], this module); the page
//! `/organisations/import` in the officer's language (`web::pages::organisation_import`,
//! keys `import.reason.*` and `import.invalid.*`).

use std::fmt;

use super::COLUMNS;

/// A column of the file, as its header names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Name,
    Kind,
    Locale,
    ContactEmail,
    Bce,
    NisCode,
    UserEmail,
    UserName,
    UserRole,
}

impl Column {
    pub const ALL: [Column; 9] = [
        Self::Name,
        Self::Kind,
        Self::Locale,
        Self::ContactEmail,
        Self::Bce,
        Self::NisCode,
        Self::UserEmail,
        Self::UserName,
        Self::UserRole,
    ];

    /// Its name in the header (kept as is in every language: it is what the file says).
    pub fn as_str(self) -> &'static str {
        COLUMNS[self as usize]
    }

    /// The column a parser's field name is.
    pub fn named(field: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == field)
    }
}

/// Why a line cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The CSV reader cannot read the line (its own words).
    Unreadable { detail: String },
    /// The line has another number of fields than the header.
    FieldCount { found: usize, expected: usize },
    /// A column's value is refused by its parser (`message`: the parser's English words,
    /// as the API gives them).
    Invalid { column: Column, message: String },
    /// An earlier line describes the same organisation otherwise.
    DescribedOtherwise { name: String, line: u64 },
    /// The organisation found by NIS code or name has another enterprise number.
    OtherBce { name: String, id: i64, recorded: String },
    /// Another recorded organisation has this name.
    NameTaken { name: String, id: i64 },
    /// Another recorded organisation has this enterprise number.
    BceTaken { bce: String, name: String, id: i64 },
    /// An earlier line names another organisation the same.
    NameOnLine { name: String, line: u64 },
    /// An earlier line gives another organisation the same enterprise number.
    BceOnLine { line: u64 },
    /// An earlier line has the same user.
    UserOnLine { email: String, line: u64 },
    /// An officer outside the central purchasing organisation, or a member or manager in it.
    RoleMismatch,
    /// The email is a user of another organisation.
    UserOfOther { email: String, organisation: String, id: i64 },
}

impl Reason {
    /// The column the reason is about, said before it.
    pub fn column(&self) -> Option<Column> {
        match self {
            Self::Unreadable { .. } | Self::FieldCount { .. } | Self::DescribedOtherwise { .. } => None,
            Self::Invalid { column, .. } => Some(*column),
            Self::OtherBce { .. } | Self::BceTaken { .. } | Self::BceOnLine { .. } => Some(Column::Bce),
            Self::NameTaken { .. } | Self::NameOnLine { .. } => Some(Column::Name),
            Self::UserOnLine { .. } | Self::UserOfOther { .. } => Some(Column::UserEmail),
            Self::RoleMismatch => Some(Column::UserRole),
        }
    }
}

/// In English, as `mutua import` prints it: the column, then what is wrong.
impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(column) = self.column() {
            write!(f, "{}: ", column.as_str())?;
        }
        match self {
            Self::Unreadable { detail } => write!(f, "cannot be read: {detail}"),
            Self::FieldCount { found, expected } => write!(f, "has {found} fields, the header {expected}"),
            Self::Invalid { message, .. } => f.write_str(message),
            Self::DescribedOtherwise { name, line } => write!(f, "describes {name:?} otherwise than line {line}"),
            Self::OtherBce { name, id, recorded } => {
                write!(f, "{name:?} (id {id}) matches by NIS code or name but has the enterprise number {recorded}")
            }
            Self::NameTaken { name, id } => write!(f, "an organisation named {name:?} exists (id {id})"),
            Self::BceTaken { bce, name, id } => write!(f, "{bce} is already {name:?}'s (id {id})"),
            Self::NameOnLine { name, line } => write!(f, "{name:?} is also on line {line}"),
            Self::BceOnLine { line } => write!(f, "also on line {line}"),
            Self::UserOnLine { email, line } => write!(f, "{email} is already on line {line}"),
            Self::RoleMismatch => f.write_str(
                "officers belong to the central purchasing organisation, members and managers to the others",
            ),
            Self::UserOfOther { email, organisation, id } => {
                write!(f, "{email} is a user of another organisation, {organisation:?} (id {id})")
            }
        }
    }
}

/// Why a whole file cannot be read (no line can be judged).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    /// Larger than [`super::MAX_BYTES`].
    TooLarge { mib: usize },
    /// Not UTF-8, from this byte (counted from 1).
    NotUtf8 { byte: usize },
    /// The CSV reader cannot read the header (its own words).
    HeaderUnreadable { detail: String },
    /// The header does not name the columns.
    Header { missing: Vec<&'static str>, unknown: Vec<String> },
}

/// In English, as `mutua import` prints it.
impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let listed = |names: Vec<&str>| if names.is_empty() { "none".to_owned() } else { names.join(", ") };
        match self {
            Self::TooLarge { mib } => write!(f, "the file is larger than {mib} MiB"),
            Self::NotUtf8 { byte } => write!(f, "the file is not UTF-8 (byte {byte}): save it as CSV UTF-8"),
            Self::HeaderUnreadable { detail } => write!(f, "the header cannot be read: {detail}"),
            Self::Header { missing, unknown } => write!(
                f,
                "the header must name the columns {}; missing: {}; unknown: {}",
                COLUMNS.join(","),
                listed(missing.clone()),
                listed(unknown.iter().map(String::as_str).collect()),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_column_is_named_as_the_header_names_it() {
        assert_eq!(Column::ALL.map(Column::as_str), COLUMNS);
        assert_eq!(Column::named("user_role"), Some(Column::UserRole));
        assert_eq!(Column::named("population"), None);
    }

    #[test]
    fn the_english_words_start_with_the_column() {
        let invalid = Reason::Invalid { column: Column::Bce, message: "must be a Belgian enterprise number".into() };
        assert_eq!(invalid.to_string(), "bce: must be a Belgian enterprise number");
        assert_eq!(Reason::BceOnLine { line: 4 }.to_string(), "bce: also on line 4");
        assert_eq!(
            Reason::DescribedOtherwise { name: "Ciney".into(), line: 2 }.to_string(),
            "describes \"Ciney\" otherwise than line 2"
        );
    }
}
