//! Which database, from `MUTUA_DATABASE_URL` (read in `crate::config`).

/// Where the data lives, chosen from the URL scheme (never by trying each backend).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            Ok(Self::Postgres(raw.to_owned()))
        } else if let Some(path) = raw.strip_prefix("sqlite://") {
            non_empty_path(path)
        } else if let Some(path) = raw.strip_prefix("sqlite:") {
            non_empty_path(path)
        } else if raw.contains("://") {
            Err(format!(
                "MUTUA_DATABASE_URL: unsupported scheme in {raw:?}; use a file path, sqlite://path or postgres://…"
            ))
        } else {
            non_empty_path(raw)
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Self::Postgres(_))
    }
}

fn non_empty_path(path: &str) -> Result<DatabaseUrl, String> {
    if path.is_empty() {
        Err("MUTUA_DATABASE_URL: empty SQLite path".into())
    } else {
        Ok(DatabaseUrl::Sqlite(path.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_is_chosen_by_scheme() {
        assert_eq!(DatabaseUrl::parse("mutua.db"), Ok(DatabaseUrl::Sqlite("mutua.db".into())));
        assert_eq!(DatabaseUrl::parse("sqlite:///tmp/x.db"), Ok(DatabaseUrl::Sqlite("/tmp/x.db".into())));
        assert!(DatabaseUrl::parse("postgres://u@h/db").unwrap().is_postgres());
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
    }
}
