//! Is the lexicon fitted to the dev sets? A lexicon written for the dev needs
//! would occur in them much more often, relative to other text of the domain,
//! than a generic one. This measures, for each lexicon file, the share of its
//! concepts (and of its written forms) that occur in a sample of each corpus,
//! all samples cut to the same number of words:
//! - `needs-dev`, `needs-dev2`: the dev sets (titles and descriptions);
//! - the English labels of the Common Procurement Vocabulary
//!   (`../shared/data/cpv-2008-en.json`), text of the same domain nobody tuned
//!   on (a concept counts when any of its forms occurs, so the English forms
//!   stand for it there).
//!
//! The audited files (acronyms and generic vocabulary) are the reference: a
//! newer file whose ratio dev / CPV is not above theirs is not more fitted.
//! A form occurs when its words follow each other (one other word allowed in
//! between), each word as written or with up to three more letters (plural,
//! inflection).
//!
//! Run: `cargo run --release --example lexicon_fit [-- list]`; `list` also
//! prints the concepts of the domain vocabulary that occur in a dev set.
mod common;
use common::{SETS, load};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The lexicon's concept files (`data/matching/`), as compiled into the matcher.
const FILES: [(&str, &str); 3] = [
    ("acronyms (acronyms.tsv, audited)", include_str!("../data/matching/acronyms.tsv")),
    ("generic vocabulary (vocabulary.tsv, audited)", include_str!("../data/matching/vocabulary.tsv")),
    ("local authorities (local-authorities.tsv)", include_str!("../data/matching/local-authorities.tsv")),
];
/// Random samples of each corpus averaged.
const SAMPLES: u64 = 10;

fn words(s: &str) -> Vec<String> {
    let folded: String = s.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect();
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(String::from).collect()
}

/// A concept: its canonical form and written forms, each as words.
struct Concept {
    name: String,
    forms: Vec<Vec<String>>,
}

/// The concepts of one concept file (`concept, language, form` rows; the
/// rows of one concept follow each other).
fn concepts(table: &str) -> Vec<Concept> {
    let mut out: Vec<Concept> = Vec::new();
    for line in table.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [canon, _, form] = fields[..] else { panic!("not a concept row: {line:?}") };
        if out.last().is_none_or(|c| c.name != canon) {
            out.push(Concept { name: canon.to_string(), forms: vec![words(canon)] });
        }
        let concept = out.last_mut().expect("pushed");
        concept.forms.push(words(form.trim_start_matches('^')));
    }
    for c in &mut out {
        c.forms.retain(|f| !f.is_empty());
    }
    out
}

fn word_matches(form: &str, text: &str) -> bool {
    if form.chars().count() < 4 {
        return form == text;
    }
    text.strip_prefix(form).is_some_and(|rest| rest.chars().count() <= 3)
}

/// True when `form` occurs in `text` (see the module doc).
fn occurs(form: &[String], text: &[String]) -> bool {
    (0..text.len()).any(|start| {
        let mut pos = start;
        for (k, w) in form.iter().enumerate() {
            if pos < text.len() && word_matches(w, &text[pos]) {
                pos += 1;
            } else if k > 0 && pos + 1 < text.len() && word_matches(w, &text[pos + 1]) {
                pos += 2;
            } else {
                return false;
            }
        }
        true
    })
}

/// Lines shuffled with `seed`, joined until `budget` words.
fn sample(lines: &[Vec<String>], budget: usize, seed: u64) -> Vec<String> {
    let mut order: Vec<&Vec<String>> = lines.iter().collect();
    order.shuffle(&mut rand::rngs::StdRng::seed_from_u64(seed));
    let mut out = Vec::new();
    for l in order {
        if out.len() >= budget {
            break;
        }
        out.extend(l.iter().cloned());
        out.push(String::new()); // no form spans two lines
    }
    out
}

fn main() {
    let list = std::env::args().nth(1).as_deref() == Some("list");
    let mut corpora: Vec<(String, Vec<Vec<String>>)> = SETS
        .iter()
        .map(|&s| (s.to_string(), load(s).iter().map(|n| words(&format!("{} {}", n.title, n.description))).collect()))
        .collect();
    let cpv_path = format!("{}/../shared/data/cpv-2008-en.json", env!("CARGO_MANIFEST_DIR"));
    let cpv: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&cpv_path).unwrap_or_else(|e| panic!("{cpv_path}: {e}")))
            .expect("CPV labels");
    corpora.push(("CPV labels (en)".into(), cpv.values().filter_map(|v| v.as_str()).map(words).collect()));
    let budget = corpora.iter().map(|c| c.1.iter().map(Vec::len).sum::<usize>()).min().unwrap_or(0);
    println!("Each corpus sampled to {budget} words, {SAMPLES} samples.\n");
    println!(
        "| lexicon file | concepts | forms | corpus | concepts occurring | forms occurring |\n|---|---|---|---|---|---|"
    );
    for (file, src) in FILES {
        let cs = concepts(src);
        let nforms: usize = cs.iter().map(|c| c.forms.len()).sum();
        let mut shares = Vec::new();
        for (name, lines) in &corpora {
            let (mut c_hit, mut f_hit) = (0.0, 0.0);
            for seed in 0..SAMPLES {
                let text = sample(lines, budget, seed);
                c_hit += cs.iter().filter(|c| c.forms.iter().any(|f| occurs(f, &text))).count() as f64;
                f_hit += cs.iter().flat_map(|c| &c.forms).filter(|f| occurs(f, &text)).count() as f64;
            }
            let c_share = c_hit / SAMPLES as f64 / cs.len() as f64;
            shares.push(c_share);
            println!(
                "| {file} | {} | {nforms} | {name} | {c_share:.3} | {:.3} |",
                cs.len(),
                f_hit / SAMPLES as f64 / nforms as f64
            );
        }
        let cpv_share = shares.last().copied().unwrap_or(0.0).max(f64::EPSILON);
        println!(
            "| {file} | | | ratio to CPV | {} | |",
            shares[..shares.len() - 1].iter().map(|s| format!("{:.2}", s / cpv_share)).collect::<Vec<_>>().join(" / ")
        );
        if list && file.contains("local authorities") {
            for c in &cs {
                let sets: Vec<&str> = corpora[..SETS.len()]
                    .iter()
                    .filter(|(_, lines)| lines.iter().any(|l| c.forms.iter().any(|f| occurs(f, l))))
                    .map(|(n, _)| n.as_str())
                    .collect();
                if !sets.is_empty() {
                    eprintln!("{} in {}", c.name, sets.join(", "));
                }
            }
        }
    }
}
