//! Redaction of a pool's text (SPEC §16): the title and description it ever had are
//! replaced, in every stored copy, by the text an officer gives.
//!
//! A pool's text comes from the need that opened it and from officers' edits; copies of it
//! live in its events (`pool.created`, `pool.updated`, `need.posted`), in other pools'
//! events that name it (a maintenance pool's `maintains_title`, the pools suggested to a
//! need), in its needs and in the emails kept in the outbox. [`Redaction`] says, for any of
//! these texts, what it becomes; the service applies it everywhere in one transaction.

use super::events::{DomainEvent, SimilarPool};

/// The texts a pool ever had and the text that replaces them.
#[derive(Clone, Debug)]
pub struct Redaction {
    pub pool_id: i64,
    pub title: String,
    pub description: String,
    /// Earlier titles and descriptions to replace, longest first, each with its
    /// replacement. Never empty strings, never the replacement itself.
    replaced: Vec<(String, String)>,
}

impl Redaction {
    /// `old_titles` and `old_descriptions`: every title and description the pool had.
    pub fn new(
        pool_id: i64,
        title: String,
        description: String,
        old_titles: impl IntoIterator<Item = String>,
        old_descriptions: impl IntoIterator<Item = String>,
    ) -> Self {
        let mut replaced: Vec<(String, String)> = Vec::new();
        let pairs = old_titles
            .into_iter()
            .map(|t| (t, title.clone()))
            .chain(old_descriptions.into_iter().map(|d| (d, description.clone())));
        for (old, new) in pairs {
            if !old.trim().is_empty() && old != new && !replaced.iter().any(|(o, _)| *o == old) {
                replaced.push((old, new));
            }
        }
        replaced.sort_by_key(|(old, _)| std::cmp::Reverse(old.len()));
        Self { pool_id, title, description, replaced }
    }

    /// Whether there is anything to replace.
    pub fn is_empty(&self) -> bool {
        self.replaced.is_empty()
    }

    /// The old texts (for a query that looks for the rows holding them).
    pub fn old_texts(&self) -> impl Iterator<Item = &str> {
        self.replaced.iter().map(|(old, _)| old.as_str())
    }

    /// `text` with every old text in it replaced; `None` when it holds none.
    pub fn text(&self, text: &str) -> Option<String> {
        let mut out = text.to_owned();
        let mut changed = false;
        for (old, new) in &self.replaced {
            if out.contains(old.as_str()) {
                out = out.replace(old.as_str(), new);
                changed = true;
            }
        }
        changed.then_some(out)
    }

    fn replace(&self, field: &mut String) -> bool {
        match self.text(field) {
            Some(new) => {
                *field = new;
                true
            }
            None => false,
        }
    }

    fn replace_option(&self, field: &mut Option<String>) -> bool {
        field.as_mut().is_some_and(|f| self.replace(f))
    }

    fn suggestions(&self, similar: &mut [SimilarPool]) -> bool {
        let mut changed = false;
        for s in similar.iter_mut().filter(|s| s.pool_id == self.pool_id) {
            if s.title != self.title {
                s.title.clone_from(&self.title);
                changed = true;
            }
        }
        changed
    }

    /// Redacts an event recorded on `event_pool`: the pool's own text in its own events,
    /// the pool's title where another pool's event names it. Whether anything changed.
    pub fn event(&self, event_pool: Option<i64>, event: &mut DomainEvent) -> bool {
        let own = event_pool == Some(self.pool_id);
        match event {
            DomainEvent::PoolCreated(created) => {
                let mut changed = false;
                if own {
                    changed |= self.replace(&mut created.title);
                    changed |= self.replace_option(&mut created.description);
                }
                // A maintenance pool's title and description quote the delivered pool's.
                if let Some(m) = created.maintenance.as_mut().filter(|m| m.maintains_pool_id == self.pool_id) {
                    changed |= self.replace_option(&mut m.maintains_title);
                    changed |= self.replace(&mut created.title);
                    changed |= self.replace_option(&mut created.description);
                }
                changed
            }
            DomainEvent::PoolUpdated(edit) if own => {
                self.replace_option(&mut edit.title) | self.replace_option(&mut edit.description)
            }
            DomainEvent::NeedPosted(posted) => {
                let title = own && self.replace(&mut posted.title);
                self.suggestions(&mut posted.similar_pools) | title
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_old_text_is_replaced_longest_first_and_nothing_else() {
        let r = Redaction::new(
            7,
            "Cimetière".into(),
            "Registre des concessions.".into(),
            ["Cimetière".into(), "Cimetière de Marie".into()],
            ["Registre. Écrire à marie.dupont@gembloux.be".into(), String::new()],
        );
        assert_eq!(r.old_texts().count(), 2, "the unchanged title and the empty text are not replaced");
        assert_eq!(r.text("Cimetière de Marie").as_deref(), Some("Cimetière"));
        assert_eq!(
            r.text("Voir: Registre. Écrire à marie.dupont@gembloux.be").as_deref(),
            Some("Voir: Registre des concessions.")
        );
        assert_eq!(r.text("Voirie"), None);
    }
}
