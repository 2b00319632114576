use super::*;

const KINDS: [&str; 12] = [
    "pool_funded",
    "pool_funded_officer",
    "pool_approved",
    "pool_rejected",
    "pool_expired",
    "pool_reopened",
    "pool_reopened_officer",
    "pool_maintenance_opened",
    "pool_awarded",
    "pool_delivered",
    "pledge_dropped",
    "pool_merged",
];
const PARTS: [&str; 3] = ["subject.txt", "txt", "html"];

fn participant() -> MailContext {
    MailContext {
        pool_id: 42,
        pool_title: "Registre des cimetières".into(),
        pool_url: "https://mutua.example/pools/42".into(),
        target_cents: Some(Cents::new(12_000_000)),
        threshold_cents: Some(Cents::new(10_000_000)),
        pledged_cents: Cents::new(13_500_000),
        participants_count: 3,
        recipient_name: "Marie Dupont".into(),
        recipient_organisation: "Commune de Namur".into(),
        recipient_is_officer: false,
        pledge_cents: Some(Cents::new(4_500_000)),
        share_cents: Some(Cents::new(4_000_000)),
        reason: Some("Budget insuffisant pour 2026.".into()),
        deadline: Some("2026-06-30".into()),
        public_url: "https://mutua.example".into(),
        pledge_provisional: false,
        maintained_pool_id: Some(7),
        maintained_pool_title: Some("Registre des sépultures".into()),
        repository_url: Some("https://git.example.be/sepultures".into()),
        licence: Some("GPL-3.0-or-later".into()),
        period_start: Some("2027-01-01".into()),
        period_end: Some("2027-12-31".into()),
        amount_cents: Some(Cents::new(2_500_000)),
        other_pool_id: Some(9),
        other_pool_title: Some("Gestion des concessions".into()),
        supplier: Some("Coopérative numérique".into()),
    }
}

fn officer() -> MailContext {
    MailContext {
        recipient_name: "Jean Officier".into(),
        recipient_organisation: "Centrale d'achat".into(),
        recipient_is_officer: true,
        pledge_cents: None,
        share_cents: None,
        ..participant()
    }
}

fn contexts() -> Vec<MailContext> {
    let mut minimal = participant();
    minimal.target_cents = None;
    minimal.threshold_cents = None;
    minimal.pledge_cents = None;
    minimal.share_cents = Some(Cents::ZERO);
    minimal.reason = None;
    minimal.deadline = None;
    minimal.participants_count = 1;
    minimal.recipient_name = String::new();
    minimal.maintained_pool_id = None;
    minimal.maintained_pool_title = None;
    minimal.repository_url = None;
    minimal.licence = None;
    minimal.period_start = None;
    minimal.period_end = None;
    minimal.amount_cents = None;
    minimal.other_pool_id = None;
    minimal.other_pool_title = None;
    minimal.supplier = None;
    let mut no_share = participant();
    no_share.share_cents = None;
    let provisional = MailContext { pledge_provisional: true, ..participant() };
    // A funded pool that a refusal took back below its threshold.
    let short = MailContext { pledged_cents: Cents::new(7_500_000), ..provisional.clone() };
    vec![participant(), officer(), minimal, no_share, provisional, short]
}

#[test]
fn every_locale_has_every_template() {
    let env = env();
    for &locale in Locale::ALL {
        for kind in KINDS {
            for part in PARTS {
                let name = format!("{locale}/{kind}.{part}");
                let tpl = env.get_template(&name).unwrap_or_else(|_| panic!("missing template {name}"));
                assert!(!tpl.source().trim().is_empty(), "empty template {name}");
            }
        }
    }
    assert_eq!(TEMPLATES.iter().flatten().flatten().count(), Locale::ALL.len() * KINDS.len() * PARTS.len());
    for (name, source) in &LAYOUTS {
        assert_eq!(env.get_template(name).unwrap_or_else(|_| panic!("invalid layout {name}")).source(), *source);
    }
}

/// The names of the `{% block name %}` tags in a template source.
fn block_names(source: &str) -> Vec<String> {
    source.split("{% block ").skip(1).filter_map(|rest| rest.split_once(" %}")).map(|(name, _)| name.into()).collect()
}

#[test]
fn bodies_extend_their_locale_layout_and_fill_only_its_blocks() {
    let env = env();
    let source = |name: &str| env.get_template(name).unwrap_or_else(|_| panic!("missing {name}")).source().to_owned();
    for &locale in Locale::ALL {
        for ext in ["txt", "html"] {
            let layout = format!("{locale}/_layout.{ext}");
            let mut declared = block_names(&source(&layout));
            if ext == "html" {
                assert!(source(&layout).starts_with("{% extends \"_base.html\" %}\n"), "{layout}");
                declared.extend(block_names(&source("_base.html")));
            }
            for kind in KINDS {
                let name = format!("{locale}/{kind}.{ext}");
                let body = source(&name);
                // Another locale's layout would mix two languages in one email.
                assert!(body.starts_with(&format!("{{% extends \"{layout}\" %}}\n")), "{name} must extend {layout}");
                let filled = block_names(&body);
                assert!(filled.iter().any(|b| b == "intro"), "{name} has no intro");
                // A misspelt block would be silently ignored, and its text lost.
                for block in filled {
                    assert!(declared.contains(&block), "{name}: block {block:?} is not in {layout}");
                }
            }
        }
    }
}

#[test]
fn layouts_leave_no_stray_whitespace_and_every_locale_the_same_shape() {
    // With inheritance, tags decide every line break: guard the shape of the output.
    for kind in MailKind::ALL {
        for ctx in contexts().into_iter().chain([MailContext { reason: None, ..participant() }]) {
            let mut shapes = Vec::new();
            for &locale in Locale::ALL {
                let mail = render(kind, locale, &ctx).unwrap();
                let html = &mail.html;
                assert!(html.starts_with("<!DOCTYPE html>\n<html lang="), "{locale} {kind:?}");
                assert!(html.ends_with("</p>\n</div>\n</body>\n</html>\n"), "{locale} {kind:?}");
                for line in html.lines() {
                    assert!(!line.is_empty() && line.trim() == line, "{locale} {kind:?}: html line {line:?}");
                }
                let text = &mail.text;
                assert!(
                    !text.starts_with(char::is_whitespace) && !text.contains("\n\n\n"),
                    "{locale} {kind:?}\n{text}"
                );
                assert!(text.ends_with(".\n") && text.matches("\n\n-- \n").count() == 1, "{locale} {kind:?}\n{text}");
                for line in text.lines() {
                    assert!(line == "-- " || line.trim_end() == line, "{locale} {kind:?}: text line {line:?}");
                }
                // HTML lines and text paragraphs: a lost line break shows up in one locale.
                shapes.push((locale, html.lines().count(), text.split("\n\n").count()));
            }
            assert!(shapes.windows(2).all(|w| (w[0].1, w[0].2) == (w[1].1, w[1].2)), "{kind:?}: {shapes:?}");
        }
    }
}

#[test]
fn every_kind_and_locale_renders() {
    for &locale in Locale::ALL {
        for kind in MailKind::ALL {
            for ctx in contexts() {
                let mail = render(kind, locale, &ctx).unwrap_or_else(|e| panic!("{locale} {kind:?}: {e:#?}"));
                assert!(!mail.subject.is_empty());
                assert!(!mail.subject.contains(['\n', '\r']), "{}", mail.subject);
                assert!(mail.subject.contains(&ctx.pool_title), "{locale} {kind:?}: {}", mail.subject);
                assert!(one_line(&mail.text).contains(&ctx.pool_title));
                assert!(mail.text.contains(&ctx.pool_url));
                assert!(mail.html.contains(&format!("href=\"{}\"", ctx.pool_url)));
                assert!(mail.text.contains(&format::money(ctx.pledged_cents, locale)));
                if let Some(t) = ctx.target_cents {
                    assert!(mail.text.contains(&format::money(Cents::new(t.get()), locale)), "{locale} {kind:?}");
                    assert!(mail.html.contains(&format::money(Cents::new(t.get()), locale)));
                }
                if let Some(t) = ctx.threshold_cents {
                    assert!(mail.text.contains(&format::money(Cents::new(t.get()), locale)), "{locale} {kind:?}");
                }
                assert!(mail.html.contains(&format!("lang=\"{locale}\"")));
                assert!(mail.html.trim_start().starts_with("<!DOCTYPE html>"));
                assert!(mail.html.trim_end().ends_with("</html>"));
                for s in [&mail.subject, &mail.text, &mail.html] {
                    assert!(!s.contains("{{") && !s.contains("{%"), "unrendered tag in {locale} {kind:?}");
                }
                if !ctx.recipient_name.is_empty() {
                    assert!(one_line(&mail.text).contains(&ctx.recipient_name), "{locale} {kind:?}");
                }
            }
        }
    }
}

#[test]
fn share_and_pledge_shown_to_participants_only() {
    for &locale in Locale::ALL {
        let share = format::money(Cents::new(4_000_000), locale);
        let pledge = format::money(Cents::new(4_500_000), locale);
        // An invitation goes to organisations that do not take part yet.
        for kind in MailKind::ALL.into_iter().filter(|k| *k != MailKind::PoolMaintenanceOpened) {
            let mail = render(kind, locale, &participant()).unwrap();
            assert!(mail.text.contains(&share), "{locale} {kind:?}: no share in\n{}", mail.text);
            assert!(mail.html.contains(&share), "{locale} {kind:?}: no share in html");
            assert!(mail.text.contains(&pledge), "{locale} {kind:?}: no pledge");
        }
        for kind in [MailKind::PoolFunded, MailKind::PoolReopened] {
            let mail = render(kind, locale, &officer()).unwrap();
            assert!(!mail.text.contains(&share), "{locale} {kind:?}: officer sees a share");
            assert!(!mail.html.contains(&share));
            assert!(mail.text.contains("42"));
            let participant_mail = render(kind, locale, &participant()).unwrap();
            assert_ne!(mail.subject, participant_mail.subject);
        }
        let invitation = render(MailKind::PoolMaintenanceOpened, locale, &participant()).unwrap();
        assert!(!invitation.text.contains(&share) && !invitation.html.contains(&share), "{locale}");
    }
}

/// The words, per locale, that tell a participant its council must decide and how to
/// record the decision.
const COUNCIL: [(Locale, &str); 4] = [
    (Locale::Fr, "organe compétent"),
    (Locale::Nl, "bevoegd orgaan"),
    (Locale::De, "zuständige Organ"),
    (Locale::En, "competent body"),
];

#[test]
fn a_provisional_pledge_is_told_that_its_council_must_decide_and_how_to_record_it() {
    let provisional = MailContext { pledge_provisional: true, ..participant() };
    for (locale, council) in COUNCIL {
        let mail = render(MailKind::PoolFunded, locale, &provisional).unwrap();
        let text = one_line(&mail.text);
        assert!(text.contains(council), "{locale}\n{}", mail.text);
        assert!(text.contains("https://mutua.example/pools/42"), "{locale}: the page\n{}", mail.text);
        assert!(text.contains("POST https://mutua.example/api/v1/pools/42/pledge/confirm"), "{locale}\n{}", mail.text);
        assert!(mail.html.contains("href=\"https://mutua.example/pools/42\""), "{locale}");
        // A confirmed pledge (or none) waits for nothing.
        let confirmed = render(MailKind::PoolFunded, locale, &participant()).unwrap();
        assert!(!one_line(&confirmed.text).contains("pledge/confirm"), "{locale}");
        let reopened = render(MailKind::PoolReopened, locale, &provisional).unwrap();
        assert!(one_line(&reopened.text).contains("https://mutua.example/pools/42"), "{locale}");
    }
}

#[test]
fn a_reopened_pool_says_what_is_missing() {
    let short = MailContext { pledged_cents: Cents::new(7_500_000), ..participant() };
    for &locale in Locale::ALL {
        let missing = format::money(Cents::new(2_500_000), locale);
        for c in [short.clone(), MailContext { recipient_is_officer: true, ..short.clone() }] {
            let mail = render(MailKind::PoolReopened, locale, &c).unwrap();
            assert!(mail.text.contains(&missing), "{locale}\n{}", mail.text);
            assert!(mail.html.contains(&missing), "{locale}");
        }
    }
}

#[test]
fn a_maintenance_invitation_names_the_software_its_period_and_its_source() {
    for &locale in Locale::ALL {
        let mail = render(MailKind::PoolMaintenanceOpened, locale, &participant()).unwrap();
        let text = one_line(&mail.text);
        for expected in [
            "Registre des sépultures",
            "https://git.example.be/sepultures",
            "GPL-3.0-or-later",
            "https://mutua.example/pools/42",
        ] {
            assert!(text.contains(expected), "{locale}: {expected}\n{}", mail.text);
            assert!(mail.html.contains(expected), "{locale} html: {expected}");
        }
        for date in ["2027-01-01", "2027-12-31", "2026-06-30"] {
            assert!(text.contains(&format::iso_date(date, locale)), "{locale}: {date}\n{}", mail.text);
        }
    }
}

#[test]
fn a_maintenance_pool_the_platform_named_reads_in_the_recipients_language() {
    let mut ctx = participant();
    ctx.pool_title = "Maintenance (2027-01-01 – 2027-12-31) : Begraafplaatsregister".into();
    let nl = render(MailKind::PoolMaintenanceOpened, Locale::Nl, &ctx).unwrap();
    let expected = "Onderhoud van 1 januari 2027 tot en met 31 december 2027: Begraafplaatsregister";
    assert!(nl.subject.contains(expected), "{}", nl.subject);
    assert!(!one_line(&nl.text).contains("Maintenance ("), "{}", nl.text);
    // A title an officer wrote stays as written.
    ctx.pool_title = "Onderhoud 2027 van het register".into();
    let fr = render(MailKind::PoolFunded, Locale::Fr, &ctx).unwrap();
    assert!(fr.subject.contains("Onderhoud 2027 van het register"), "{}", fr.subject);
}

#[test]
fn zero_share_is_shown() {
    let mut ctx = participant();
    ctx.pledge_cents = None;
    ctx.share_cents = Some(Cents::ZERO);
    for &locale in Locale::ALL {
        let mail = render(MailKind::PoolApproved, locale, &ctx).unwrap();
        assert!(mail.text.contains(&format::money(Cents::new(0), locale)), "{locale}\n{}", mail.text);
    }
}

#[test]
fn rejection_reason_and_expiry_deadline_are_shown() {
    for &locale in Locale::ALL {
        let mail = render(MailKind::PoolRejected, locale, &participant()).unwrap();
        assert!(one_line(&mail.text).contains("Budget insuffisant pour 2026."));
        assert!(mail.html.contains("Budget insuffisant pour 2026."));
        let mail = render(MailKind::PoolExpired, locale, &participant()).unwrap();
        let date = format::iso_date("2026-06-30", locale);
        assert!(one_line(&mail.text).contains(&date), "{locale}: {date} missing\n{}", mail.text);
    }
}

#[test]
fn texts_are_in_their_language() {
    let ctx = participant();
    let checks: [(Locale, &[&str]); 4] = [
        (Locale::Fr, &["Madame, Monsieur", "vous", "centrale d'achat"]),
        (Locale::Nl, &["Geachte", "u ", "aankoopcentrale"]),
        (Locale::De, &["Sehr geehrte Damen und Herren", "Sie", "Beschaffungsstelle"]),
        (Locale::En, &["Dear", "you", "central purchasing office"]),
    ];
    for (locale, words) in checks {
        for kind in MailKind::ALL {
            for c in [ctx.clone(), officer()] {
                let mail = render(kind, locale, &c).unwrap();
                let text = one_line(&mail.text);
                for w in words {
                    assert!(text.contains(w), "{locale} {kind:?}: {w:?} missing\n{}", mail.text);
                    assert!(mail.html.contains(w), "{locale} {kind:?} html: {w:?}");
                }
            }
        }
    }
    let de = render(MailKind::PoolApproved, Locale::De, &ctx).unwrap();
    let de = RenderedMail { text: one_line(&de.text), ..de };
    // The licence is the one recorded at delivery, not always the GNU GPL.
    assert!(de.text.contains("freien Lizenz") && !de.text.contains("GPL") && de.text.contains("Vergabeverfahren"));
    let nl = render(MailKind::PoolApproved, Locale::Nl, &ctx).unwrap();
    let nl = RenderedMail { text: one_line(&nl.text), ..nl };
    assert!(nl.text.contains("vrije licentie") && !nl.text.contains("GPL") && nl.text.contains("overheidsopdracht"));
    let fr = render(MailKind::PoolApproved, Locale::Fr, &ctx).unwrap();
    let fr = RenderedMail { text: one_line(&fr.text), ..fr };
    assert!(fr.text.contains("licence libre") && !fr.text.contains("GPL") && fr.text.contains("marché public"));
    assert!(fr.text.contains("(projet n°") && !fr.text.contains("pool n°"), "{}", fr.text);
    // Guard against a copy-paste of the wrong language.
    assert!(!de.text.contains("Geachte") && !nl.text.contains("Sehr geehrte"));
    assert!(!fr.text.contains("Dear") && !de.text.contains("Madame"));
}

#[test]
fn html_is_escaped_text_is_verbatim() {
    let mut ctx = participant();
    ctx.pool_title = "<script>alert(\"x\")</script> & Co".into();
    ctx.recipient_organisation = "CPAS <b>d'Eupen</b>".into();
    ctx.reason = Some("<img src=x onerror=alert(1)>".into());
    for &locale in Locale::ALL {
        for kind in MailKind::ALL {
            for c in [ctx.clone(), MailContext { recipient_is_officer: true, ..ctx.clone() }] {
                let mail = render(kind, locale, &c).unwrap();
                assert!(!mail.html.contains("<script>"), "{locale} {kind:?}");
                assert!(!mail.html.contains("<b>d"), "{locale} {kind:?}");
                assert!(!mail.html.contains("<img"), "{locale} {kind:?}");
                assert!(mail.html.contains("&lt;script&gt;"), "{locale} {kind:?}");
                assert!(one_line(&mail.text).contains("<script>alert(\"x\")</script> & Co"));
                assert!(mail.subject.contains("<script>alert(\"x\")</script> & Co"));
            }
        }
        let mail = render(MailKind::PoolRejected, locale, &ctx).unwrap();
        assert!(one_line(&mail.text).contains("<img src=x onerror=alert(1)>"));
        assert!(mail.html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }
}

#[test]
fn subject_is_one_line_even_with_newlines_in_title() {
    let mut ctx = participant();
    ctx.pool_title = "Réservation\r\nde salles".into();
    for &locale in Locale::ALL {
        for kind in MailKind::ALL {
            let mail = render(kind, locale, &ctx).unwrap();
            assert!(!mail.subject.contains(['\r', '\n']));
            assert!(mail.subject.contains("Réservation de salles"));
        }
    }
}

#[test]
fn event_types_round_trip() {
    for kind in MailKind::ALL {
        assert_eq!(MailKind::from_event_type(kind.event_type()), Some(kind));
    }
    assert_eq!(MailKind::PoolFunded.event_type(), "pool.funded");
    assert_eq!(MailKind::PoolApproved.event_type(), "pool.approved");
    assert_eq!(MailKind::PoolRejected.event_type(), "pool.rejected");
    assert_eq!(MailKind::PoolExpired.event_type(), "pool.expired");
    assert_eq!(MailKind::PoolReopened.event_type(), "pool.reopened");
    assert_eq!(MailKind::PoolMaintenanceOpened.event_type(), "pool.maintenance_opened");
    let to_officers: Vec<MailKind> = MailKind::ALL.into_iter().filter(|k| k.to_officers()).collect();
    assert_eq!(to_officers, [MailKind::PoolFunded, MailKind::PoolReopened]);
    assert_eq!(MailKind::from_event_type("pool.cancelled"), None);
    assert_eq!(MailKind::from_event_type(""), None);
}

#[test]
fn text_is_wrapped_without_splitting_amounts() {
    let mut ctx = participant();
    ctx.pool_title = "Plateforme de réservation des salles communales et des infrastructures sportives".into();
    ctx.pool_url = format!("https://mutua.example/pools/42/{}", "x".repeat(90));
    for &locale in Locale::ALL {
        for kind in MailKind::ALL {
            for c in [ctx.clone(), officer()] {
                let text = render(kind, locale, &c).unwrap().text;
                for line in text.lines() {
                    assert!(
                        line.chars().count() <= TEXT_WIDTH || !line.trim().contains(' '),
                        "{locale} {kind:?}: line too long: {line:?}"
                    );
                }
                assert!(text.contains(&c.pool_url), "URL must not be cut");
                assert!(text.contains(&format::money(Cents::new(c.pledged_cents.get()), locale)));
                assert!(text.ends_with('\n'));
            }
        }
    }
    assert_eq!(wrap_text("a b c", 3), "a b\nc");
    assert_eq!(wrap_text("- aa bb cc", 5), "- aa\n  bb\n  cc");
    assert_eq!(wrap_text("short\n\nlines\n", 76), "short\n\nlines\n");
    assert_eq!(wrap_text("1\u{A0}234,56\u{A0}€", 3), "1\u{A0}234,56\u{A0}€");
}

#[test]
fn urls_in_html_are_escaped_but_readable() {
    let mut ctx = participant();
    ctx.pool_url = "https://mutua.example/pools/42?a=1&b=\"2\"".into();
    let mail = render(MailKind::PoolFunded, Locale::Fr, &ctx).unwrap();
    assert!(mail.html.contains("href=\"https://mutua.example/pools/42?a=1&amp;b=&quot;2&quot;\""));
    assert!(mail.text.contains(&ctx.pool_url));
}
