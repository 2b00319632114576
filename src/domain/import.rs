//! A CSV file of organisations and their users (SPEC §14, `mutua import` and the page
//! `/organisations/import`), read once into lines that are valid by construction or say
//! what is wrong with them, each with its line number in the file.
//!
//! The file: UTF-8 with or without a byte order mark, `;` or `,` between fields (the header
//! decides which), the header `name,kind,locale,contact_email,bce,nis_code,user_email,
//! user_name,user_role` in any order, one line per user with its organisation's columns
//! repeated; a line without `user_email` only describes its organisation. An empty
//! `user_role` is `member`.

mod reason;

pub use reason::{Column, FileError, Reason};

use super::{
    email::Email,
    fields::{FieldError, FieldErrors},
    kinds::{Locale, OrganisationKind, Role},
    organisation::{OrganisationInput, RawOrganisation},
    text,
};

/// The columns, as the header names them.
pub const COLUMNS: [&str; 9] =
    ["name", "kind", "locale", "contact_email", "bce", "nis_code", "user_email", "user_name", "user_role"];

/// The largest file read (bytes): a few thousand lines of an office's members.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

/// A user a line describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportUser {
    pub email: Email,
    pub name: String,
    pub role: Role,
}

/// One line of the file, read.
#[derive(Clone, Debug)]
pub struct ImportLine {
    /// Its line number in the file (the header is line 1).
    pub line: u64,
    pub content: Result<(OrganisationInput, Option<ImportUser>), Vec<Reason>>,
}

/// Reads a file: its lines, or why it is no such file.
pub fn read(bytes: &[u8]) -> Result<Vec<ImportLine>, FileError> {
    if bytes.len() > MAX_BYTES {
        return Err(FileError::TooLarge { mib: MAX_BYTES / 1024 / 1024 });
    }
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| FileError::NotUtf8 { byte: e.valid_up_to() + 1 })?;
    let header = text.lines().next().unwrap_or_default();
    let delimiter = if header.matches(';').count() > header.matches(',').count() { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let names: Vec<String> = reader
        .headers()
        .map_err(|e| FileError::HeaderUnreadable { detail: e.to_string() })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let positions = columns(&names)?;
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(text, p.byte()));
                lines.push(ImportLine { line, content: Err(vec![Reason::Unreadable { detail: e.to_string() }]) });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_at(text, p.byte()));
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let content = if record.len() != names.len() {
            Err(vec![Reason::FieldCount { found: record.len(), expected: names.len() }])
        } else {
            let field = |column: usize| record.get(positions[column]).unwrap_or_default();
            parse_line(&field)
        };
        lines.push(ImportLine { line, content });
    }
    Ok(lines)
}

/// The number of the line (from 1) that starts at or holds byte `offset`: counted from the
/// text, whatever its line endings.
fn line_at(text: &str, offset: u64) -> u64 {
    // The reader may place a record at the line end before it, or at blank lines it skipped.
    let bytes = text.as_bytes();
    let mut end = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
    while end < bytes.len() && (bytes[end] == b'\r' || bytes[end] == b'\n') {
        end += 1;
    }
    bytes[..end].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// Where each of [`COLUMNS`] is in the file's header.
fn columns(names: &[String]) -> Result<[usize; 9], FileError> {
    let mut positions = [0; 9];
    let mut missing = Vec::new();
    for (i, column) in COLUMNS.iter().enumerate() {
        match names.iter().position(|n| n == column) {
            Some(p) => positions[i] = p,
            None => missing.push(*column),
        }
    }
    let unknown: Vec<String> = names.iter().filter(|n| !COLUMNS.contains(&n.as_str())).cloned().collect();
    if !missing.is_empty() || !unknown.is_empty() {
        return Err(FileError::Header { missing, unknown });
    }
    Ok(positions)
}

/// A parser's refusal of a field, as the reason of its column.
fn invalid(error: &FieldError) -> Reason {
    match Column::named(&error.field) {
        Some(column) => Reason::Invalid { column, message: error.message.clone() },
        // Every field the parsers of a line name is a column; said as is otherwise.
        None => Reason::Unreadable { detail: format!("{}: {}", error.field, error.message) },
    }
}

fn parse_line<'a>(field: &impl Fn(usize) -> &'a str) -> Result<(OrganisationInput, Option<ImportUser>), Vec<Reason>> {
    let optional = |column: usize| Some(field(column)).filter(|v| !v.trim().is_empty());
    let organisation = OrganisationInput::parse(RawOrganisation {
        name: field(0),
        kind: OrganisationKind::parse(field(1).trim()),
        locale: Locale::parse(field(2).trim()),
        contact_email: optional(3),
        bce: optional(4),
        nis_code: optional(5),
        population: None,
    });
    let mut errors: Vec<Reason> = match &organisation {
        Ok(_) => Vec::new(),
        Err(fields) => fields.iter().map(invalid).collect(),
    };
    let user = if optional(6).is_some() || optional(7).is_some() || optional(8).is_some() {
        let mut fields = FieldErrors::default();
        let email = fields.check("user_email", Email::parse(field(6)));
        let name = fields.check("user_name", text::name(field(7)));
        let role = fields.check("user_role", optional(8).map_or(Ok(Role::Member), |r| Role::parse(r.trim())));
        match fields.finish(email.zip(name).zip(role).map(|((email, name), role)| ImportUser { email, name, role })) {
            Ok(user) => Some(user),
            Err(fields) => {
                errors.extend(fields.iter().map(invalid));
                None
            }
        }
    } else {
        None
    };
    match organisation {
        Ok(organisation) if errors.is_empty() => Ok((organisation, user)),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "name,kind,locale,contact_email,bce,nis_code,user_email,user_name,user_role";

    #[test]
    fn reads_either_separator_with_or_without_a_bom() {
        let comma = format!("{HEADER}\nCommune de Namur,commune,fr,,0207.446.772,92094,a@namur.be,Anne,manager\n");
        let semicolon = format!(
            "\u{feff}{}\n\"Commune de Namur\";commune;fr;;BE 0207446772;92094;a@namur.be;Anne;manager\n",
            HEADER.replace(',', ";")
        );
        for file in [comma, semicolon] {
            let lines = read(file.as_bytes()).unwrap();
            assert_eq!(lines.len(), 1);
            assert_eq!(lines[0].line, 2);
            let (organisation, user) = lines[0].content.clone().unwrap();
            assert_eq!(organisation.bce.unwrap().as_str(), "0207446772");
            assert_eq!(user.unwrap().role, Role::Manager);
        }
    }

    #[test]
    fn a_line_without_user_describes_its_organisation_and_errors_say_which_field() {
        let file = format!(
            "{HEADER}\nCiney,commune,fr,,,91030,,,\n\nCiney,village,xx,,0207446773,1,nope,,officer\nshort,line\n"
        );
        let lines = read(file.as_bytes()).unwrap();
        assert_eq!(lines.iter().map(|l| l.line).collect::<Vec<_>>(), [2, 4, 5]);
        assert!(lines[0].content.as_ref().unwrap().1.is_none());
        let errors = lines[1].content.clone().unwrap_err();
        let columns: Vec<Option<Column>> = errors.iter().map(Reason::column).collect();
        use Column::*;
        assert_eq!(columns, [Kind, Locale, NisCode, Bce, UserEmail, UserName].map(Some));
        assert_eq!(lines[2].content.clone().unwrap_err(), [Reason::FieldCount { found: 2, expected: 9 }]);
    }

    #[test]
    fn refuses_a_wrong_header_or_encoding() {
        assert!(read(b"name,kind\nx,y\n").unwrap_err().to_string().contains("missing: locale"));
        assert_eq!(read(b"name,kind,\xe9\n").unwrap_err(), FileError::NotUtf8 { byte: 11 });
        let Err(FileError::Header { missing, unknown }) = read(b"name,kind,mayor\n") else { panic!() };
        assert_eq!((missing.len(), unknown), (7, vec!["mayor".to_owned()]));
    }
}
