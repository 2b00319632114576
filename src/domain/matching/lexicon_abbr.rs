//! Belgian public-sector acronyms and institution names, in the three
//! national languages, mapped to one canonical French form.
//!
//! # The rule (every lexicon file follows it)
//!
//! An entry belongs here only if *any* local-authority IT need may use it,
//! whatever its topic, and someone who had never read the dev sets would have
//! written it:
//! 1. Belgian local bodies, councils, officials, institutions, registers and
//!    their acronyms (CPAS/OCMW/ÖSHZ, collège communal, RGPD, BCE, RIS…);
//! 2. generic acts and objects of administration (request, permit, register,
//!    invoice, payment, appointment, booking, registration, signature,
//!    archive, contract, decision, deadline, report…);
//! 3. generic IT vocabulary (software, platform, database, online, form, map,
//!    dashboard, export, interface, notification…);
//! 4. the departments and competences of a commune or CPAS as named on an
//!    organisation chart (population, état civil, urbanisme, travaux,
//!    enseignement, petite enfance, jeunesse, logement, mobilité, finances,
//!    personnel…) and the people they serve (citizen, agent, parent, pupil,
//!    owner, trader…).
//!
//! Never the object of one particular need (firewood, debts, trees, hornets,
//! parking meters, bicycles, energy meters…), even when it looks generic: a
//! word added because a dev need uses it makes the matcher worse on the needs
//! it has not seen. Generality comes from the analysis instead: stemming,
//! compound splitting, Dutch diminutives, typo, derivation and cognate
//! matching (`fuzzy.rs`).
//!
//! Line format: `canonical = lang: variant, variant | lang: ...` where `lang`
//! is fr, nl, de, en or `*` (any language). A variant prefixed with `^` is only
//! recognised when written in capitals (the lowercase word means something
//! else, e.g. Dutch "gas"). Variants and canonical forms go through the same
//! analysis as needs (folding, stop words, stemming), so inflected forms match.

/// Acronyms and institutions (see module doc for the format).
pub(crate) const ABBREVIATIONS: &str = r#"
cpas = *: cpas, ocmw, oshz, ocmws | fr: centre public d'action sociale | nl: openbaar centrum voor maatschappelijk welzijn, sociaal huis | de: offentliches sozialhilfezentrum, sozialhilfezentrum
sac = *: ^SAC, ^GAS | fr: sanction administrative communale, sanctions administratives | nl: gemeentelijke administratieve sanctie | de: kommunale verwaltungssanktion, verwaltungssanktion
pst = *: pst | fr: programme strategique transversal
rgpd = *: rgpd, gdpr, avg, dsgvo | fr: reglement general sur la protection des donnees, protection des donnees | nl: algemene verordening gegevensbescherming, gegevensbescherming, privacywetgeving | de: datenschutz grundverordnung, datenschutz | en: data protection
dpo = *: dpo | fr: delegue a la protection des donnees | nl: functionaris voor gegevensbescherming | de: datenschutzbeauftragter
ged = *: ged, dms | fr: gestion electronique des documents, gestion electronique de documents, gestion documentaire | nl: documentbeheer, documentbeheersysteem | de: dokumentenmanagement, dokumentenverwaltung | en: document management
erp = *: erp | fr: progiciel de gestion integre
crm = *: crm | fr: gestion de la relation citoyen | en: customer relationship management
cms = *: cms | en: content management system | fr: systeme de gestion de contenu
sig = *: ^SIG, gis | fr: systeme d'information geographique, geomatique | nl: geografisch informatiesysteem | de: geoinformationssystem, geographisches informationssystem | en: geographic information system
api = *: api, apis, webservice, webservices | fr: interface de programmation | en: web service
sso = *: sso | en: single sign on | fr: authentification unique
rh = *: rh, grh, hr, hrm | fr: ressources humaines, gestion des ressources humaines | nl: personeelsdienst, personeelsbeheer, human resources | de: personalabteilung, personalwesen, personalverwaltung | en: human resources
informatique = *: ict, tic | nl: informatica, ict dienst | de: informatik, edv
zone police = *: zp, pz | nl: politiezone | de: polizeizone
zone secours = nl: hulpverleningszone | de: hilfeleistungszone
police = nl: politie, lokale politie | de: polizei | fr: police locale, policier, policiers, policiere
pompier = nl: brandweer | de: feuerwehr
bce = *: bce, kbo | fr: banque carrefour des entreprises | nl: kruispuntbank van ondernemingen, ondernemingsnummer | fr: numero d'entreprise
bcss = *: bcss, ksz | fr: banque carrefour de la securite sociale | nl: kruispuntbank van de sociale zekerheid
registre national = *: rrn | nl: rijksregister, rijksregisternummer | de: nationalregister | fr: numero national
ris = *: ^RIS | fr: revenu d'integration sociale, revenu d'integration | nl: leefloon | de: eingliederungseinkommen
eid = *: eid | fr: carte d'identite electronique | nl: elektronische identiteitskaart | de: elektronischer personalausweis
carte identite = nl: identiteitskaart | de: personalausweis
itsme = *: itsme
parapheur signature = fr: parapheur, parapheurs | nl: parafeur, e parafeur | de: unterschriftenmappe
directeur general = *: ^DG | fr: directrice generale | nl: algemeen directeur, secretaris | de: generaldirektor, generaldirektorin, gemeindesekretar
directeur financier = fr: directrice financiere, receveur | nl: financieel directeur | de: finanzdirektor
college communal = *: cbs | fr: college des bourgmestre et echevins, college | nl: college van burgemeester en schepenen, schepencollege | de: gemeindekollegium
conseil communal = nl: gemeenteraad | de: gemeinderat | fr: conseil de ville
conseil action sociale = nl: ocmw raad, raad voor maatschappelijk welzijn | de: sozialhilferat
bourgmestre = nl: burgemeester | de: burgermeister, burgermeisterin | fr: maire
echevin = nl: schepen | de: schoffe, schoffin
mandataire = nl: mandataris | de: mandatar, mandatstrager
etat civil = nl: burgerlijke stand | de: standesamt, personenstand
population = nl: bevolking, bevolkingsdienst | de: einwohnermeldeamt, bevolkerung
urbanisme = fr: amenagement du territoire | nl: stedenbouw, ruimtelijke ordening | de: stadtebau, raumordnung
permis urbanisme = fr: permis de batir | nl: omgevingsvergunning, bouwvergunning | de: baugenehmigung
pcs = *: pcs | fr: plan de cohesion sociale
paedc = *: paedc, paed, secap | fr: plan d'action en faveur de l'energie durable et du climat, convention des maires | nl: burgemeestersconvenant, klimaatplan
spw = *: spw | fr: service public de wallonie | nl: waalse overheidsdienst
province = nl: provincie | de: provinz
asbl = *: asbl, vzw | de: verein ohne gewinnerzielungsabsicht
tva = *: tva, btw | de: mwst, mehrwertsteuer
pmr = *: pmr | fr: personne a mobilite reduite | nl: persoon met beperkte mobiliteit
proces verbal = *: pv | nl: proces verbaal | de: protokoll
marche public = fr: marches publics | nl: overheidsopdracht, overheidsopdrachten | de: offentlicher auftrag, offentliche auftrage
application = *: app, apps, appli, applis
smartphone mobile = *: smartphone, smartphones, gsm | fr: telephone portable, telephone mobile | nl: mobiele telefoon | de: handy, mobiltelefon
email = *: email, mail, courriel, mails, emails, mailing
sms = *: sms, texto
wifi = *: wifi, wlan
"#;
