//! The matcher's data (`data/matching/`): word lists, the lexicon and the
//! translation dictionary, embedded at build so the binary stays
//! self-contained. Their format and how to add a word, a concept or a
//! language: docs/MATCHING.md, "Matcher data".
//!
//! Every file is tab-separated text, one row per line; a line starting with
//! `#` and a blank line are skipped. A row that does not fit its file's
//! columns (their number, a language that is not a [`Locale`], an unknown
//! class, an empty field) is a mistake in the data: it is left out, and the
//! test `every_row_of_every_file_is_read` names its file and line (the
//! process does not stop on data it embeds).

use crate::domain::kinds::Locale;

/// What a column of a data file holds.
#[derive(Clone, Copy)]
pub(super) enum Column {
    /// Any non-empty text.
    Text,
    /// A language code.
    Language,
    /// A language code, or `*` for every language.
    LanguageOrAll,
    /// One of these words.
    OneOf(&'static [&'static str]),
}

/// One embedded data file.
pub(super) struct DataFile {
    text: &'static str,
    columns: &'static [Column],
}

macro_rules! data_file {
    ($name:literal, $columns:expr) => {
        DataFile::new(include_str!(concat!("../../../data/matching/", $name)), $columns)
    };
}

use Column::{Language, LanguageOrAll, OneOf, Text};

/// The columns of the lexicon's concept files.
const CONCEPT: &[Column] = &[Text, LanguageOrAll, Text];
/// Belgian public bodies, officials, registers and their acronyms.
pub(super) static ACRONYMS: DataFile = data_file!("acronyms.tsv", CONCEPT);
/// Generic words of administration and IT.
pub(super) static VOCABULARY: DataFile = data_file!("vocabulary.tsv", CONCEPT);
/// The competences and services of local authorities.
pub(super) static LOCAL_AUTHORITIES: DataFile = data_file!("local-authorities.tsv", CONCEPT);
/// The lexicon's concept files, in the order they are compiled.
pub(super) static CONCEPTS: [&DataFile; 3] = [&ACRONYMS, &VOCABULARY, &LOCAL_AUTHORITIES];
/// Background frequency classes of generic words.
pub(super) static PRIORS: DataFile = data_file!("priors.tsv", &[OneOf(&["weak", "medium"]), Text]);
/// Generic heads of Dutch and German compounds.
pub(super) static COMPOUND_HEADS: DataFile = data_file!("compound-heads.tsv", &[Language, Text]);
/// Stop words per language.
pub(super) static STOP_WORDS: DataFile = data_file!("stop-words.tsv", &[Language, Text]);
/// Words that tell a text's language.
pub(super) static LANGUAGE_MARKERS: DataFile = data_file!("language-markers.tsv", &[Language, Text]);
/// The columns of the dictionary: a word in one language, its translation in another.
pub(super) const TRANSLATION_COLUMNS: &[Column] = &[Language, Text, Language, Text];
/// One-word translations between languages (FreeDict).
pub(super) static TRANSLATIONS: DataFile = data_file!("translations.tsv", TRANSLATION_COLUMNS);

/// A row of a data file: its fields, and the languages each names (none
/// for a column that is not a language).
pub(super) struct Row<const N: usize> {
    pub(super) fields: [&'static str; N],
    languages: [&'static [Locale]; N],
}

impl<const N: usize> Row<N> {
    /// The languages field `i` names: one, or all for `*`.
    pub(super) fn languages(&self, i: usize) -> &'static [Locale] {
        self.languages.get(i).copied().unwrap_or_default()
    }
}

impl DataFile {
    /// A data file holding `text` in these columns.
    pub(super) const fn new(text: &'static str, columns: &'static [Column]) -> Self {
        DataFile { text, columns }
    }

    /// The rows of the file that fit its columns, `N` of them.
    pub(super) fn rows<const N: usize>(&self) -> impl Iterator<Item = Row<N>> + use<N> {
        let columns = self.columns;
        self.lines().filter_map(move |(_, line)| read(columns, line).ok())
    }

    /// Each row that does not fit the `N` columns: its line and why.
    #[cfg(test)]
    fn mistakes<const N: usize>(&self) -> Vec<String> {
        self.lines()
            .filter_map(|(number, line)| read::<N>(self.columns, line).err().map(|why| format!("{number}: {why}")))
            .collect()
    }

    /// The lines holding rows, numbered from 1.
    fn lines(&self) -> impl Iterator<Item = (usize, &'static str)> + use<> {
        self.text.lines().enumerate().map(|(i, l)| (i + 1, l)).filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
    }
}

/// The row `line` holds, or what does not fit `columns` (`N` of them). No
/// allocation: the dictionary's 96 000 rows are read at every start.
fn read<const N: usize>(columns: &[Column], line: &'static str) -> Result<Row<N>, String> {
    let mut fields = [""; N];
    let mut count = 0;
    for field in line.split('\t') {
        if let Some(slot) = fields.get_mut(count) {
            *slot = field;
        }
        count += 1;
    }
    if count != N || columns.len() != N {
        return Err(format!("{count} fields, expected {}", columns.len()));
    }
    let mut languages: [&'static [Locale]; N] = [&[]; N];
    for (i, (field, column)) in fields.iter().zip(columns).enumerate() {
        languages[i] = match (column, *field) {
            (_, "") => return Err(format!("field {} is empty", i + 1)),
            (Text, _) => &[],
            (LanguageOrAll, "*") => Locale::ALL,
            (Language | LanguageOrAll, code) => match Locale::ALL.iter().find(|l| l.as_str() == code) {
                Some(lang) => std::slice::from_ref(lang),
                None => return Err(format!("{code:?} is not a language")),
            },
            (OneOf(words), word) if words.contains(&word) => &[],
            (OneOf(words), word) => return Err(format!("{word:?} is not one of {words:?}")),
        };
    }
    Ok(Row { fields, languages })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_every_file_is_read() {
        // Each file with the number of columns its reader reads.
        let files = [
            ("acronyms.tsv", &ACRONYMS, ACRONYMS.mistakes::<3>()),
            ("vocabulary.tsv", &VOCABULARY, VOCABULARY.mistakes::<3>()),
            ("local-authorities.tsv", &LOCAL_AUTHORITIES, LOCAL_AUTHORITIES.mistakes::<3>()),
            ("priors.tsv", &PRIORS, PRIORS.mistakes::<2>()),
            ("compound-heads.tsv", &COMPOUND_HEADS, COMPOUND_HEADS.mistakes::<2>()),
            ("stop-words.tsv", &STOP_WORDS, STOP_WORDS.mistakes::<2>()),
            ("language-markers.tsv", &LANGUAGE_MARKERS, LANGUAGE_MARKERS.mistakes::<2>()),
            ("translations.tsv", &TRANSLATIONS, TRANSLATIONS.mistakes::<4>()),
        ];
        for (name, file, mistakes) in files {
            assert!(mistakes.is_empty(), "data/matching/{name}, lines {mistakes:#?}");
            assert!(file.lines().count() > 0, "data/matching/{name} is empty");
        }
    }

    #[test]
    fn a_row_that_does_not_fit_is_named_and_left_out() {
        let file = DataFile::new("# comment\nfr\tmot\nxx\tword\nnl\n\nde\t\n", &[Language, Text]);
        assert_eq!(file.rows::<2>().map(|r| r.fields[1]).collect::<Vec<_>>(), ["mot"]);
        assert_eq!(
            file.mistakes::<2>(),
            ["3: \"xx\" is not a language", "4: 1 fields, expected 2", "6: field 2 is empty"]
        );
    }
}
